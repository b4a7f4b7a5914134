using System.Collections.Immutable;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Analysis;

/// <summary>How fixes are written and which rules run. Defaults follow the seed's pattern.</summary>
public sealed record AnalyzerOptions
{
    public static AnalyzerOptions Default { get; } = new();

    /// <summary>Name of the user the fix creates.</summary>
    public string UserName { get; init; } = "appuser";

    /// <summary>Name of the group the fix creates.</summary>
    public string GroupName { get; init; } = "appgroup";

    /// <summary>uid/gid for numeric mode and for images with no shell or no user tools.</summary>
    public int Uid { get; init; } = 10001;

    public int Gid { get; init; } = 10001;

    /// <summary>
    /// Create the user with a fixed uid/gid and write <c>USER uid:gid</c>, so Kubernetes
    /// <c>runAsNonRoot</c> can verify the user without reading /etc/passwd.
    /// </summary>
    public bool Numeric { get; init; }

    /// <summary>Whether the fix adds <c>--chown</c> to application COPY/ADD in the final stage.</summary>
    public bool Chown { get; init; } = true;

    /// <summary>
    /// Findings reported per file; the rest are counted in <see cref="AnalysisResult.Omitted"/>. A hostile file can
    /// repeat one bad line forty thousand times, and every finding costs a fix, output and review space downstream.
    /// </summary>
    public const int DefaultMaxFindingsPerFile = 100;

    /// <summary>Findings kept per file, the most severe and earliest first (see <see cref="DefaultMaxFindingsPerFile"/>).</summary>
    public int MaxFindingsPerFile { get; init; } = DefaultMaxFindingsPerFile;

    /// <summary>
    /// The pragmas of the file's base version, to tell each suppression's <see cref="PragmaOrigin"/>; null when no
    /// base is compared (<c>reviewbot scan</c>), and <see cref="PragmaBaseline.Empty"/> for a file new in the change.
    /// </summary>
    public PragmaBaseline? Baseline { get; init; }

    /// <summary>
    /// Only pragmas the <see cref="Baseline"/> holds suppress (<c>check.suppressions: base</c>): one the change added is
    /// ignored and its finding counts, so a pull request cannot switch its own gate off. Without a baseline, none suppress.
    /// </summary>
    public bool BaselinePragmasOnly { get; init; }

    /// <summary>
    /// Reads a file of the build context by the source path a COPY or ADD names (as written, relative to the context),
    /// or returns null when it is not there (or may not be read). The engine asks only for the script an image starts
    /// with, to see whether that script drops root (RB001); without it, such a script counts as unreadable, and an
    /// installed step-down tool stands as the evidence. The engine does no I/O: the caller decides what may be read,
    /// and keeps it inside the context and within its own size limits; a file that is there but too large to read is
    /// returned as empty (or longer than <see cref="MaxContextFileChars"/>), so it counts as running nothing.
    /// </summary>
    public Func<string, string?>? ReadContextFile { get; init; }

    /// <summary>
    /// The caller's cancellation (a review's time budget, the service shutting down), honoured while parsing and between
    /// rules: <see cref="OperationCanceledException"/> then, never a partial result that could read as a clean file.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// Characters of a build-context file the engine reads at most; a longer one counts as a script that runs nothing
    /// (no step-down), not as unreadable. It is the pull request author's file, and an entrypoint script is a few kilobytes.
    /// </summary>
    public const int MaxContextFileChars = 1 << 20;

    /// <summary>
    /// Facts about base images resolved outside the engine (the config's <c>images:</c>, registry configs); they win
    /// over images.json. Empty by default: only images.json is known.
    /// </summary>
    public ImageFacts Images { get; init; } = ImageFacts.None;

    /// <summary>
    /// Why this image must start as root, as another file of the repository says (a Docker container action's
    /// <c>action.yml</c>, a Compose file mounting the Docker socket); null when nothing does. RB001 then reports a
    /// notice that says why, and no fix switches the user. The Dockerfile's own signs (a Docker socket <c>VOLUME</c>,
    /// a step-down entrypoint) the engine finds itself.
    /// </summary>
    public RootExpected? RootExpected { get; init; }

    /// <summary>
    /// Write the non-root fix for OpenShift's arbitrary user ids: files owned by group 0 (<c>--chown=user:0</c>), the
    /// application's folders made group-writable (<c>chgrp -R 0</c>, <c>chmod -R g=u</c>), the user in group 0 and a
    /// HOME that group 0 can write, so the image runs under any uid OpenShift picks.
    /// </summary>
    public bool OpenShift { get; init; }

    /// <summary>
    /// Paths inside the container that the repository's Compose files and Kubernetes manifests mount volumes on for this
    /// Dockerfile's image (resolved by the caller, which reads them). The non-root fix creates them owned by the new user,
    /// as it does a VOLUME's, so a fresh volume mounted there starts writable.
    /// </summary>
    public ImmutableArray<string> MountPaths { get; init; } = [];

    /// <summary>Rule ids that do not run.</summary>
    public ImmutableHashSet<string> DisabledRules { get; init; } = ImmutableHashSet<string>.Empty.WithComparer(StringComparer.OrdinalIgnoreCase);
}

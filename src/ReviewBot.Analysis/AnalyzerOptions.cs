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
    /// Facts about base images resolved outside the engine (the config's <c>images:</c>, registry configs); they win
    /// over images.json. Empty by default: only images.json is known.
    /// </summary>
    public ImageFacts Images { get; init; } = ImageFacts.None;

    /// <summary>Rule ids that do not run.</summary>
    public ImmutableHashSet<string> DisabledRules { get; init; } = ImmutableHashSet<string>.Empty.WithComparer(StringComparer.OrdinalIgnoreCase);
}

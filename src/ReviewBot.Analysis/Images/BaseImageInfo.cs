using System.Collections.Immutable;
using System.Globalization;

namespace ReviewBot.Analysis.Images;

/// <summary>
/// What is known (or guessed) about a base image: its distro, who it runs as, whether a fix can use a shell
/// and user tools, and which users it already ships. Immutable; one instance is shared by every lookup that
/// resolves to the same data-file entry.
/// </summary>
public sealed record BaseImageInfo
{
    /// <summary>Source of an image whose reference could not be parsed or still holds a variable.</summary>
    public const string UnresolvedSource = "unresolved";

    /// <summary>Source of an image nothing in the data file matched.</summary>
    public const string UnknownSource = "unknown";

    /// <summary>The distribution the image is built on.</summary>
    public required DistroFamily Family { get; init; }

    /// <summary>The user the image runs as when nothing sets <c>USER</c>: <c>root</c> when root, else a name or <c>uid[:gid]</c>.</summary>
    public required string DefaultUser { get; init; }

    /// <summary>True when a shell exists, so a fix may add <c>RUN</c> instructions.</summary>
    public required bool HasShell { get; init; }

    /// <summary>Which user-creation commands the image has.</summary>
    public required UserTools UserTools { get; init; }

    /// <summary>Users the image already has; a fix reuses them and never takes their uid/gid.</summary>
    public required ImmutableArray<ShippedUser> ShippedUsers { get; init; }

    /// <summary>The shipped user a fix should switch to instead of creating one, if any.</summary>
    public ShippedUser? PreferredUser { get; init; }

    /// <summary>True when the image starts as root and its entrypoint steps down (gosu, su-exec, setpriv) at run time.</summary>
    public bool StepsDownAtRuntime { get; init; }

    /// <summary>
    /// The repository of the image's official variant that runs as non-root from the start, with the same tags
    /// (nginx: nginxinc/nginx-unprivileged, listening on 8080); null when there is none.
    /// </summary>
    public string? UnprivilegedVariant { get; init; }

    /// <summary>How to run an image that steps down at run time as non-root from the start, when no fix can do it safely.</summary>
    public string? NonRootHowTo { get; init; }

    /// <summary>True when a data-file entry matched the image's repository.</summary>
    public required bool IsKnown { get; init; }

    /// <summary>True when the facts come from a best guess on the tag (or name), not from an entry for this image.</summary>
    public required bool IsGuessed { get; init; }

    /// <summary>The id of the data-file entry or guess used, for messages; <see cref="UnknownSource"/> or <see cref="UnresolvedSource"/> otherwise.</summary>
    public required string Source { get; init; }

    /// <summary>A short human note about the facts (and any doubt about them).</summary>
    public required string Note { get; init; }

    /// <summary>
    /// False when only some of the image's users are known (facts from the config's <c>images:</c> or a registry: the
    /// default user, not every line of /etc/passwd), so a USER naming another user is not reported as missing.
    /// </summary>
    public bool KnowsAllUsers { get; init; } = true;

    /// <summary>The image's own ENV (from its registry config), which a Dockerfile's USER $NAME may read.</summary>
    public ImmutableDictionary<string, string> Env { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>True when the image runs as a non-root user by default.</summary>
    public bool DefaultsToNonRoot => !IsRootUser(DefaultUser);

    /// <summary>True when the image has user-creation commands.</summary>
    public bool HasUserTools => UserTools != UserTools.None;

    /// <summary>True when <paramref name="uid"/> is root or belongs to a user the image ships: a fix must not reuse it.</summary>
    public bool UsesUid(int uid)
    {
        // Loops, not Any with a lambda: the lambda captured the id, a closure for every id a fix tries.
        foreach (var user in ShippedUsers)
        {
            if (user.Uid == uid)
            {
                return true;
            }
        }

        return uid == 0;
    }

    /// <summary>True when <paramref name="gid"/> is root's group or the group of a user the image ships.</summary>
    public bool UsesGid(int gid)
    {
        foreach (var user in ShippedUsers)
        {
            if (user.Gid == gid)
            {
                return true;
            }
        }

        return gid == 0;
    }

    /// <summary>
    /// True for a <c>USER</c> value that means root: <c>root</c>, uid 0 in any spelling (<c>0</c>, <c>000</c>),
    /// with or without a group, and Windows' <c>ContainerAdministrator</c>.
    /// </summary>
    public static bool IsRootUser(string user)
    {
        var name = user.AsSpan();
        var colon = name.IndexOf(':');
        if (colon >= 0)
        {
            name = name[..colon];
        }

        name = name.Trim();
        return name.IsEmpty
            || name.Equals("root", StringComparison.Ordinal)
            || name.Equals("ContainerAdministrator", StringComparison.OrdinalIgnoreCase)
            || (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && uid == 0);
    }
}

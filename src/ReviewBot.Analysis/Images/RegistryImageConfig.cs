using System.Collections.Immutable;

namespace ReviewBot.Analysis.Images;

/// <summary>
/// What an image's config on its registry says (OCI image config: <c>config.User</c>, <c>config.Env</c>,
/// <c>os</c>, and the label <c>org.opencontainers.image.base.name</c>). Read outside the engine (ReviewBot.Registry);
/// the engine only receives it.
/// </summary>
/// <param name="User">config.User as written: empty means root.</param>
/// <param name="Os">The image's os (<c>linux</c>, <c>windows</c>).</param>
/// <param name="Env">config.Env, each <c>NAME=value</c>.</param>
/// <param name="BaseName">The label <c>org.opencontainers.image.base.name</c>, when the image has it.</param>
/// <param name="Digest">The manifest digest the config was read through, for messages.</param>
public sealed record RegistryImageConfig(string User, string Os, ImmutableArray<string> Env, string? BaseName, string? Digest)
{
    /// <summary>The OCI label naming the image this one was built from.</summary>
    public const string BaseNameLabel = "org.opencontainers.image.base.name";

    public bool IsWindows => string.Equals(Os, "windows", StringComparison.OrdinalIgnoreCase);
}

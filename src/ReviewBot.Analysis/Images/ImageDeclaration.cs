namespace ReviewBot.Analysis.Images;

/// <summary>
/// What an organisation declares about its own images (the config's <c>images:</c>): a glob over the image's
/// registry and repository (tag and digest ignored), the user the image runs as (<c>""</c> or <c>root</c>: root),
/// and optionally its distro family, which decides how a fix creates a user.
/// </summary>
public sealed record ImageDeclaration(string Match, string User, DistroFamily Family = DistroFamily.Unknown)
{
    /// <summary>
    /// True when <see cref="Match"/> matches the image. A Docker Hub image is also tried in its fully written form
    /// (<c>docker.io/library/python</c>), so either spelling in the config matches <c>FROM python</c>.
    /// </summary>
    public bool IsMatch(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Glob.IsMatch(Match, image.FullName)
            || (image.Registry is null && Glob.IsMatch(Match, ImageReference.DockerHubHost + "/" + (image.Repository.Contains('/') ? "" : "library/") + image.Repository));
    }
}

namespace ReviewBot.App.Onboarding;

/// <summary>
/// The App-wide switch for onboarding (section <c>Onboarding</c>): on install, each selected repository with
/// containers that run as root gets one pull request that fixes them. Off by default, because it needs
/// <c>contents: write</c>, which the default manifest does not ask for; /setup asks for it only when this is on.
/// </summary>
public sealed record OnboardingOptions
{
    public const string Section = "Onboarding";

    public bool Enabled { get; init; }

    /// <summary>The permission onboarding needs beyond the review's (branch, commit): the manifest's <c>contents</c>.</summary>
    public const string ContentsPermission = "write";
}

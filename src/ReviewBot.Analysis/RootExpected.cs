namespace ReviewBot.Analysis;

/// <summary>Why an image is expected to start as root, as a file other than the Dockerfile says.</summary>
public enum RootExpectedReason
{
    /// <summary>A Docker container action of the same repository (<c>action.yml</c>, <c>runs.using: docker</c>) is built from it.</summary>
    DockerAction,

    /// <summary>A manifest that runs the image mounts the Docker socket into it (a Compose volume).</summary>
    DockerSocket,
}

/// <summary>
/// A fact about how the image runs that only a file other than the Dockerfile tells, resolved by the caller (the engine
/// reads no files): which file says so, and whether the change under review wrote that file itself.
/// </summary>
/// <param name="Source">The repository path of the file that says so (<c>action.yml</c>); a path without backticks or line breaks.</param>
public sealed record RootExpected(RootExpectedReason Reason, string Source)
{
    /// <summary>
    /// False when the file that says so is the change's own (a pull request adds it, or changes what it says): the fix
    /// that would break the image is still held back, but the finding keeps its severity, so a pull request cannot turn
    /// its own RB001 error into a notice by adding an <c>action.yml</c> that names its Dockerfile. Fail closed.
    /// </summary>
    public bool Trusted { get; init; } = true;
}

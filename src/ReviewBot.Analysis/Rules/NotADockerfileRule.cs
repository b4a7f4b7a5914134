namespace ReviewBot.Analysis.Rules;

/// <summary>
/// RB007: a file judged as a Dockerfile that has no FROM (or no instruction at all) builds nothing, so nothing in it
/// can be judged; a link's target path read as text (<c>docker/spec</c>), a template, or prose under a Dockerfile
/// name would otherwise pass every check. An error that cannot be silenced: no pragma in the file, no
/// <c>rules.disable</c> and no <c>rules.severity</c> in the config turns it off, since the file's own author could.
/// </summary>
public sealed class NotADockerfileRule : IRule
{
    public static RuleDescriptor Descriptor { get; } = new(
        "RB007",
        Severity.Error,
        "Not a Dockerfile",
        "not-a-dockerfile",
        Why: "A file named or used as a Dockerfile that has no `FROM` instruction builds no image, so ReviewBot cannot tell which user anything runs as. Passing it would let any text under a Dockerfile name (a symbolic link's target path, a template, an empty file) through the gate unread.",
        Example: "docker/spec",
        FixText: "Make the file a Dockerfile that starts `FROM` a base image, or give it a name that is not a Dockerfile name (and remove it from any compose file or `devcontainer.json` that builds it).")
    {
        CannotBeSilenced = true,
    };

    public RuleDescriptor Rule => Descriptor;

    public IEnumerable<Finding> Analyze(RuleContext context) => Check(context.Document) is { } finding ? [finding] : [];

    /// <summary>The finding for a document without FROM, else null. Also for a document with no instruction at all, which has no model.</summary>
    public static Finding? Check(Syntax.DockerfileDocument document)
    {
        var instructions = document.Instructions;
        for (int i = 0; i < instructions.Length; i++)
        {
            if (instructions[i].Is("FROM"))
            {
                return null;
            }
        }

        return instructions.IsEmpty
            ? new Finding(Descriptor, Severity.Error, LineRange.Single(1), "This file has no Dockerfile instruction at all, so it builds nothing ReviewBot can check; a Dockerfile starts FROM a base image.")
            : new Finding(Descriptor, Severity.Error, LineRange.Single(instructions[0].StartLine), "This file has no FROM instruction, so it builds no image ReviewBot can check; a Dockerfile starts FROM a base image.");
    }
}

using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Images;
using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Rules;

/// <summary>RB002: USER names a user that nothing creates and the base image does not ship.</summary>
public sealed class UnknownUserRule : IRule
{
    public static RuleDescriptor Descriptor { get; } = new(
        "RB002",
        Severity.Warning,
        "USER names a user that does not exist",
        "unknown-user",
        Why: "Docker resolves a `USER` name through the image's `/etc/passwd` when the container starts (and when a later `RUN` executes). A name that nothing creates and the base image does not ship fails with \"unable to find user\": the build or the container breaks.",
        Example: "FROM debian:bookworm-slim\nUSER app\nCMD [\"/app/run\"]",
        FixText: "Create the user before the `USER` line, the way the base image's distro does it, or use a numeric `uid:gid`.");

    public RuleDescriptor Rule => Descriptor;

    /// <remarks>A list made at the first finding, not an iterator: the iterator's state machine was allocated for every file, and most files have no finding of this rule.</remarks>
    public IEnumerable<Finding> Analyze(RuleContext context)
    {
        List<Finding>? found = null;
        var limit = new FindingLimit(context, Descriptor);
        foreach (var stage in context.Model.Stages)
        {
            // Only where we know what the image ships; an unknown base may well have the user.
            bool knowsUsers = stage.Base.Family == DistroFamily.Scratch || (stage.Base.IsKnown && !stage.Base.IsGuessed && stage.Base.KnowsAllUsers);
            if (!knowsUsers || stage.DefinesUsersOpaquely || stage.Base.Family == DistroFamily.Windows)
            {
                continue;
            }

            for (int i = 0; i < stage.Instructions.Length; i++)
            {
                var instruction = stage.Instructions[i];
                if (!instruction.Is("USER"))
                {
                    continue;
                }

                // The user the model read from this USER: expanding it again here was a second expansion per USER.
                var named = stage.UserAfter(i);
                string user = named.User;
                if (!named.IsResolved || named.OverBudget || user.Length == 0 || !user.AsSpan().ContainsAnyExceptInRange('0', '9') || user == "root"
                    || stage.CreatedUsers.ContainsKey(user)
                    || Ships(stage.Base, user)
                    || DockerfileModel.SplitSpec(stage.Base.DefaultUser).User == user)
                {
                    continue;
                }

                if (limit.CountOnly(instruction.Range))
                {
                    continue;
                }

                string image = stage.RootImage?.ToString() ?? stage.Image.Text;
                // Only a valid POSIX name may reach a suggested RUN line: anything else would be shell.
                bool valid = SafeText.IsValidName(user);
                (found ??= []).Add(new Finding(
                    Descriptor,
                    Descriptor.DefaultSeverity,
                    instruction.Range,
                    $"USER {instruction.Arguments.Trim()} names the user {user}, which nothing in this Dockerfile creates and {image} does not ship: the container fails with \"unable to find user {user}\"."
                    + (valid ? "" : $" It is not a valid user name either (letters, digits, '_', '.' and '-', not starting with a digit or '-', at most {SafeText.MaxNameLength}), so no fix creates it: name a valid user, or use a numeric uid:gid."),
                    valid ? CreateUser(context, stage, i, user) : null));
            }
        }

        return (IEnumerable<Finding>?)found ?? [];
    }

    /// <summary>Whether the image ships <paramref name="user"/>.</summary>
    /// <remarks>A loop, not Any with a lambda: the lambda's closure was made for every instruction of every stage.</remarks>
    private static bool Ships(BaseImageInfo info, string user)
    {
        foreach (var shipped in info.ShippedUsers)
        {
            if (shipped.Name == user)
            {
                return true;
            }
        }

        return false;
    }

    private static Fix? CreateUser(RuleContext context, Stage stage, int index, string user)
    {
        var info = stage.Base;
        if (!info.HasShell || info.UserTools == UserTools.None || !stage.UserBefore(index).IsRoot)
        {
            return null;
        }

        string command = info.UserTools == UserTools.BusyBox
            ? $"addgroup -S {user} && adduser -S -G {user} -H -D {user}"
            : $"groupadd -r {user} && useradd -r -g {user} --no-create-home {user}";
        var instruction = stage.Instructions[index];
        return new Fix(
            $"Create the system user {user} before switching to it.",
            [InstructionEdits.InsertBefore(instruction.StartLine, InstructionEdits.NewLine(context.Document, instruction.Indent, "RUN " + command))]);
    }
}

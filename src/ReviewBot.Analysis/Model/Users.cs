using System.Text.RegularExpressions;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Model;

/// <summary>Where a stage's user came from.</summary>
public enum UserOrigin
{
    /// <summary>The base image's default user (no USER anywhere in the chain).</summary>
    BaseImage,

    /// <summary>A USER instruction in this stage or a parent stage.</summary>
    Instruction,
}

/// <summary>The user a stage runs as at some point.</summary>
/// <param name="Spec">The user as written after expansion (<c>app</c>, <c>1000:1000</c>, <c>root</c>).</param>
/// <param name="User">The user part of <see cref="Spec"/>.</param>
/// <param name="Group">The group part, if any.</param>
/// <param name="Origin">Base image default or a USER instruction.</param>
/// <param name="Source">The USER instruction, when <see cref="Origin"/> is Instruction.</param>
/// <param name="Unresolved">Variables whose values cannot be known.</param>
/// <param name="IsRoot">uid 0 under any name, or Windows' ContainerAdministrator.</param>
public sealed record EffectiveUser(
    string Spec,
    string User,
    string? Group,
    UserOrigin Origin,
    Instruction? Source,
    IReadOnlyList<string> Unresolved,
    bool IsRoot)
{
    public bool IsResolved => Unresolved.Count == 0;

    /// <summary>
    /// The USER's value was knowable but past the expansion budget: it is hostile or broken, not merely
    /// decided at build time, so it must not pass as a mere notice.
    /// </summary>
    public bool OverBudget { get; init; }
}

/// <summary>A user (or group) created by a RUN instruction or written into /etc/passwd.</summary>
public sealed record CreatedUser(string Name, int? Uid, Instruction Source);

/// <summary>Reads user-creating commands out of shell text.</summary>
internal static partial class UserCommands
{
    private static readonly HashSet<string> UseraddOptionsWithValue = new(StringComparer.Ordinal)
    {
        "-u", "--uid", "-g", "--gid", "-G", "--groups", "-d", "--home", "--home-dir", "-s", "--shell", "-c", "--comment",
        "-k", "--skel", "-K", "--key", "-e", "--expiredate", "-f", "--inactive", "-p", "--password", "-R", "--root",
        "-P", "--prefix", "-b", "--base-dir", "-h", "--ingroup", "--gecos", "--firstuid", "--lastuid", "--add-extra-groups",
        "--conf", "--extrausers", "-Z", "--selinux-user",
    };

    /// <summary>Users created by the shell text, with their uid when it is written down.</summary>
    public static IEnumerable<(string Name, int? Uid, bool IsGroup)> Find(string shell)
    {
        foreach (var segment in CommandsContaining(shell, UserCommandParts))
        {
            var words = Words(segment);
            int start = 0;
            while (start < words.Count && (words[start] is "sudo" or "exec" or "command" || words[start].Contains('=')))
            {
                start++;
            }

            if (start >= words.Count)
            {
                continue;
            }

            string command = Path.GetFileName(words[start]);
            bool isGroup = command is "groupadd" or "addgroup";
            bool isUser = command is "useradd" or "adduser";
            bool isMod = command == "usermod";
            if (!isGroup && !isUser && !isMod)
            {
                continue;
            }

            string? name = null;
            int? uid = null;
            for (int i = start + 1; i < words.Count; i++)
            {
                string word = words[i];
                string option = word;
                string? inline = null;
                int eq = word.IndexOf('=');
                if (word.StartsWith("--", StringComparison.Ordinal) && eq > 0)
                {
                    option = word[..eq];
                    inline = word[(eq + 1)..];
                }

                if (word.StartsWith('-') && word.Length > 1)
                {
                    string? value = inline;
                    // A cluster of short flags (-ms /bin/bash) takes a value when its last flag does.
                    if (option.Length > 2 && option[1] != '-' && option.Skip(1).All(char.IsAsciiLetter))
                    {
                        option = "-" + option[^1];
                    }

                    bool takesValue = UseraddOptionsWithValue.Contains(option) || (command == "adduser" && option is "-h" or "-g" or "-s" or "-G" or "-u" or "-k");
                    if (takesValue && value is null && i + 1 < words.Count)
                    {
                        value = words[++i];
                    }

                    if ((option is "-u" or "--uid" && !isGroup) || (option is "-g" or "--gid" && isGroup))
                    {
                        uid = int.TryParse(value, out int parsed) ? parsed : null;
                    }

                    continue;
                }

                if (word.StartsWith('>') || word.StartsWith('<') || word == "2>&1")
                {
                    break;
                }

                if (word.Length > 0)
                {
                    name ??= word;
                }
            }

            if (name is not null && IsUserName(name))
            {
                if (isMod)
                {
                    if (uid is not null)
                    {
                        yield return (name, uid, false);
                    }
                }
                else
                {
                    yield return (name, uid, isGroup);
                }
            }
        }

        // Lines appended to /etc/passwd: name:x:uid:gid:...
        if (shell.Contains("/etc/passwd", StringComparison.Ordinal))
        {
            foreach (Match match in PasswdLine().Matches(shell))
            {
                yield return (match.Groups["name"].Value, int.Parse(match.Groups["uid"].Value, System.Globalization.CultureInfo.InvariantCulture), false);
            }
        }
    }

    /// <summary>The commands <see cref="Find"/> reads (also as a path's last part, /usr/sbin/useradd).</summary>
    private static readonly string[] UserCommandParts = ["groupadd", "addgroup", "useradd", "adduser", "usermod"];

    /// <summary>A cheap test before <see cref="Find"/>: most RUN lines create no user.</summary>
    /// <remarks>
    /// One search per word, not <c>SearchValues&lt;string&gt;</c>: its multi-word search needs SSSE3 shuffles, which the
    /// Native AOT build (SSE2 baseline) runs as slow software fallbacks; it was the top symbol of a corpus scan's profile.
    /// Four of the five names share "add", which many scripts lack: one search rules them out together.
    /// </remarks>
    public static bool MayCreateUsers(ReadOnlySpan<char> shell) =>
        (shell.Contains("add", StringComparison.Ordinal) && ContainsAny(shell, UserCommandParts))
        || shell.Contains("usermod", StringComparison.Ordinal)
        || shell.Contains("/etc/passwd", StringComparison.Ordinal);

    /// <summary>Whether the text contains one of the words (ordinal).</summary>
    internal static bool ContainsAny(ReadOnlySpan<char> text, string[] words)
    {
        foreach (var word in words)
        {
            if (text.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the shell text touches /etc/passwd in a way we cannot follow (so a user may exist).</summary>
    public static bool MayDefineUsersOpaquely(ReadOnlySpan<char> text) =>
        text.Contains("/etc/passwd", StringComparison.Ordinal);

    private static bool IsUserName(string name) =>
        name.Length is > 0 and <= 64 && (char.IsAsciiLetter(name[0]) || name[0] == '_' || char.IsAsciiDigit(name[0]))
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '$');

    /// <summary>
    /// The simple commands of the shell text (split on ;, &amp;&amp;, ||, | and new lines) that contain one of
    /// <paramref name="parts"/>, in order. Only those are copied out of the text: a RUN's script is most of a
    /// Dockerfile, and the callers read one kind of command (mkdir, useradd …) that most commands are not.
    /// </summary>
    public static List<string> CommandsContaining(string shell, string[] parts)
    {
        var commands = new List<string>();
        foreach (var range in CommandSeparator().EnumerateSplits(shell))
        {
            if (ContainsAny(shell.AsSpan(range), parts))
            {
                commands.Add(shell[range]);
            }
        }

        return commands;
    }

    /// <summary>Whitespace-separated words with simple quotes removed.</summary>
    public static List<string> Words(string segment)
    {
        var words = new List<string>();
        foreach (var raw in segment.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            // An empty quoted word ("") is still a word: it is the value of the option before it.
            string word = raw.Trim('"', '\'', '(', ')', '{', '}');
            if (word.Length > 0 || raw is "\"\"" or "''")
            {
                words.Add(word);
            }
        }

        return words;
    }

    [GeneratedRegex(@"&&|\|\||;|\||\n")]
    private static partial Regex CommandSeparator();

    [GeneratedRegex(@"(?<![\w.-])(?<name>[a-z_][a-z0-9_.-]*):[^:\s]*:(?<uid>\d{1,9}):\d{1,9}:", RegexOptions.IgnoreCase)]
    private static partial Regex PasswdLine();
}

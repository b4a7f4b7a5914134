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

    /// <summary>
    /// Users created by the shell text, with their uid when it is written down, into <paramref name="into"/> (emptied
    /// first).
    /// </summary>
    /// <remarks>
    /// Each command is read in place, a word at a time (<see cref="WordReader"/>): a list of word strings per command
    /// and the command's own copy were most of what a RUN that creates a user cost, and a 4 MiB file of such RUNs
    /// allocated a third of its memory here. Only the name found becomes a string. Words are those of
    /// <see cref="Words"/>.
    /// </remarks>
    public static List<(string Name, int? Uid, bool IsGroup)> Find(string shell, List<(string Name, int? Uid, bool IsGroup)>? into = null)
    {
        var found = into ?? [];
        found.Clear();
        int from = 0;
        Span<int> next = stackalloc int[UserCommandParts.Length];
        next.Fill(Unsearched);
        while (from < shell.Length && IndexOfAny(shell, from, UserCommandParts, next) is var at && at >= 0)
        {
            int start = CommandStart(shell, at);
            int end = CommandEnd(shell, at);
            if (FindInCommand(shell.AsSpan(start, end - start)) is { } user)
            {
                found.Add(user);
            }

            from = end;
        }

        // Lines appended to /etc/passwd: name:x:uid:gid:...
        if (shell.Contains("/etc/passwd", StringComparison.Ordinal))
        {
            foreach (Match match in PasswdLine().Matches(shell))
            {
                found.Add((match.Groups["name"].Value, int.Parse(match.Groups["uid"].Value, System.Globalization.CultureInfo.InvariantCulture), false));
            }
        }

        return found;
    }

    /// <summary>The user or group one simple command creates (or gives a uid, for usermod), if it is such a command.</summary>
    private static (string Name, int? Uid, bool IsGroup)? FindInCommand(ReadOnlySpan<char> command)
    {
        var words = new WordReader(command);
        ReadOnlySpan<char> word;
        do
        {
            if (!words.Next(out word))
            {
                return null;
            }
        }
        while (word is "sudo" or "exec" or "command" || word.Contains('='));

        var program = Path.GetFileName(word);
        bool isGroup = program is "groupadd" or "addgroup";
        bool isUser = program is "useradd" or "adduser";
        bool isMod = program is "usermod";
        if (!isGroup && !isUser && !isMod)
        {
            return null;
        }

        bool isAdduser = program is "adduser";
        var options = UseraddOptionsWithValue.GetAlternateLookup<ReadOnlySpan<char>>();
        ReadOnlySpan<char> name = default;
        bool named = false;
        int? uid = null;
        Span<char> lastFlag = stackalloc char[2];
        while (words.Next(out word))
        {
            scoped ReadOnlySpan<char> option = word;
            ReadOnlySpan<char> inline = default;
            bool hasInline = false;
            int eq = word.IndexOf('=');
            if (word.StartsWith("--") && eq > 0)
            {
                option = word[..eq];
                inline = word[(eq + 1)..];
                hasInline = true;
            }

            if (word.Length > 1 && word[0] == '-')
            {
                var value = inline;
                bool hasValue = hasInline;
                // A cluster of short flags (-ms /bin/bash) takes a value when its last flag does.
                if (option.Length > 2 && option[1] != '-' && !option[1..].ContainsAnyExcept(AsciiLetters))
                {
                    lastFlag[0] = '-';
                    lastFlag[1] = option[^1];
                    option = lastFlag;
                }

                bool takesValue = options.Contains(option) || (isAdduser && option is "-h" or "-g" or "-s" or "-G" or "-u" or "-k");
                if (takesValue && !hasValue && words.Next(out var next))
                {
                    value = next;
                    hasValue = true;
                }

                if ((option is "-u" or "--uid" && !isGroup) || (option is "-g" or "--gid" && isGroup))
                {
                    uid = hasValue && int.TryParse(value, out int parsed) ? parsed : null;
                }

                continue;
            }

            if (word.StartsWith('>') || word.StartsWith('<') || word is "2>&1")
            {
                break;
            }

            if (word.Length > 0 && !named)
            {
                name = word;
                named = true;
            }
        }

        if (!named || !IsUserName(name) || (isMod && uid is null))
        {
            return null;
        }

        return (name.ToString(), uid, isGroup);
    }

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>The words of one command as <see cref="Words"/> cuts and trims them, read in place.</summary>
    private ref struct WordReader(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _at;

        public bool Next(out ReadOnlySpan<char> word)
        {
            while (_at < _text.Length)
            {
                int start = _at;
                while (start < _text.Length && _text[start] is ' ' or '\t' or '\n' or '\r')
                {
                    start++;
                }

                int end = start;
                while (end < _text.Length && _text[end] is not (' ' or '\t' or '\n' or '\r'))
                {
                    end++;
                }

                _at = end;
                if (end == start)
                {
                    break;
                }

                var raw = _text[start..end];
                word = raw.Trim(QuotesAndBrackets);
                // An empty quoted word ("") is still a word: it is the value of the option before it.
                if (word.Length > 0 || raw is "\"\"" or "''")
                {
                    return true;
                }
            }

            word = default;
            return false;
        }
    }

    private const string QuotesAndBrackets = "\"'(){}";

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

    private static bool IsUserName(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > 64 || !(char.IsAsciiLetterOrDigit(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '$'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The simple commands of the shell text (split on ;, &amp;&amp;, ||, | and new lines) that contain one of
    /// <paramref name="parts"/>, in order. Only those are copied out of the text: a RUN's script is most of a
    /// Dockerfile, and the callers read one kind of command (mkdir, useradd …) that most commands are not.
    /// </summary>
    /// <remarks>
    /// The script is not split: each occurrence of a part is widened to the command around it, by the separators a
    /// left-to-right split would find (<see cref="CommandStart"/>, <see cref="CommandEnd"/>). Splitting every script
    /// with an expression only to keep one command in it was most of this method's cost.
    /// </remarks>
    public static List<string> CommandsContaining(string shell, string[] parts)
    {
        var commands = new List<string>();
        int from = 0;
        Span<int> next = parts.Length <= 16 ? stackalloc int[parts.Length] : new int[parts.Length];
        next.Fill(Unsearched);
        while (from < shell.Length && IndexOfAny(shell, from, parts, next) is var at && at >= 0)
        {
            int start = CommandStart(shell, at);
            int end = CommandEnd(shell, at);
            commands.Add(shell[start..end]);
            from = end;
        }

        return commands;
    }

    /// <summary>In <see cref="IndexOfAny"/>'s <c>next</c>: not searched for yet (before every position, so the first call searches).</summary>
    private const int Unsearched = -1;

    /// <summary>In <see cref="IndexOfAny"/>'s <c>next</c>: not in the rest of the text.</summary>
    private const int Absent = int.MaxValue;

    /// <summary>
    /// Where the first of <paramref name="parts"/> occurs in <paramref name="text"/> from <paramref name="from"/> on, or
    /// -1. <paramref name="next"/> keeps, per part, where it was last found (or that it is absent) for the next call,
    /// whose <paramref name="from"/> is never smaller: each part is searched for again only once the reader has passed
    /// it. Searching every part from each command on was quadratic: a part missing from a script was looked for through
    /// the whole rest of it after each command, and a RUN of 150,000 useradds (a 4 MiB line, or a heredoc) took a minute.
    /// </summary>
    private static int IndexOfAny(string text, int from, string[] parts, Span<int> next)
    {
        int first = -1;
        for (int i = 0; i < parts.Length; i++)
        {
            if (next[i] < from)
            {
                int at = text.AsSpan(from).IndexOf(parts[i], StringComparison.Ordinal);
                next[i] = at < 0 ? Absent : from + at;
            }

            if (next[i] != Absent && (first < 0 || next[i] < first))
            {
                first = next[i];
            }
        }

        return first;
    }

    /// <summary>
    /// Where the command holding position <paramref name="at"/> starts: after the last separator before it. A split
    /// from the left pairs a run of &amp; from its start (&amp;&amp;&amp; is a separator and a lone &amp;, which is no
    /// separator); every | is one, alone or paired.
    /// </summary>
    private static int CommandStart(string text, int at)
    {
        for (int i = at - 1; i >= 0; i--)
        {
            char c = text[i];
            if (c is ';' or '|' or '\n')
            {
                return i + 1;
            }

            if (c == '&')
            {
                int runStart = i;
                while (runStart > 0 && text[runStart - 1] == '&')
                {
                    runStart--;
                }

                int run = i - runStart + 1;
                if (run >= 2)
                {
                    // Pairs from the left; an odd run leaves its last & to this command.
                    return run % 2 == 0 ? i + 1 : i;
                }

                i = runStart;
            }
        }

        return 0;
    }

    /// <summary>Where the command holding position <paramref name="at"/> ends: at the first separator after it.</summary>
    private static int CommandEnd(string text, int at)
    {
        for (int i = at; i < text.Length; i++)
        {
            char c = text[i];
            if (c is ';' or '|' or '\n' || (c == '&' && i + 1 < text.Length && text[i + 1] == '&'))
            {
                return i;
            }
        }

        return text.Length;
    }

    /// <summary>Made once: a literal array in the call was a new array every call.</summary>
    private static readonly char[] WordSeparators = [' ', '\t', '\n', '\r'];

    /// <summary>Whitespace-separated words with simple quotes removed.</summary>
    public static List<string> Words(string segment)
    {
        var words = new List<string>();
        foreach (var raw in segment.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries))
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

    [GeneratedRegex(@"(?<![\w.-])(?<name>[a-z_][a-z0-9_.-]*):[^:\s]*:(?<uid>\d{1,9}):\d{1,9}:", RegexOptions.IgnoreCase)]
    private static partial Regex PasswdLine();
}

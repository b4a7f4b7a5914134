using System.Text.RegularExpressions;
using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Fixes;

/// <summary>Small exact edits on instructions, keeping the file's indentation and line endings.</summary>
internal static partial class InstructionEdits
{
    /// <summary>Destinations that hold the system, not the application: files copied there stay root-owned on purpose.</summary>
    private static readonly string[] SystemPrefixes =
    [
        "/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/etc/", "/root/", "/proc/", "/sys/", "/dev/", "/boot/",
    ];

    /// <summary>A whole new line with the given indentation and the document's line ending.</summary>
    public static string NewLine(DockerfileDocument document, string indent, string text) => indent + text + document.NewLine;

    /// <summary>The instruction's own lines, as written, each with the document's line ending.</summary>
    public static string Text(DockerfileDocument document, Instruction instruction) =>
        string.Concat(Enumerable.Range(instruction.StartLine, instruction.EndLine - instruction.StartLine + 1).Select(l => document.Line(l) + document.NewLine));

    /// <summary>Inserts lines before line <paramref name="line"/>.</summary>
    public static TextEdit InsertBefore(int line, string text) => new(line, line - 1, text);

    /// <summary>
    /// Gives a COPY/ADD the owner <paramref name="owner"/>: replaces the value of an existing <c>--chown</c>
    /// (wherever it sits among the continuation lines) or adds the flag right after the keyword.
    /// </summary>
    public static TextEdit SetChown(DockerfileDocument document, Instruction instruction, string owner)
    {
        for (int line = instruction.StartLine; line <= instruction.EndLine && line <= document.LineCount; line++)
        {
            string text = document.Line(line);
            var match = ChownFlag().Match(text);
            if (match.Success)
            {
                string updated = text[..match.Groups["value"].Index] + owner + text[(match.Groups["value"].Index + match.Groups["value"].Length)..];
                return new TextEdit(line, line, updated + document.NewLine);
            }
        }

        string first = document.Line(instruction.StartLine);
        var keyword = Keyword().Match(first);
        int at = keyword.Success ? keyword.Index + keyword.Length : first.Length;
        string inserted = first[..at] + " --chown=" + owner + (at < first.Length && first[at] is ' ' or '\t' ? "" : " ") + first[at..];
        return new TextEdit(instruction.StartLine, instruction.StartLine, inserted + document.NewLine);
    }

    /// <summary>
    /// True when a COPY/ADD in <paramref name="stage"/> puts application files somewhere the application may
    /// need to write (anything but system folders such as /usr/local/bin or /etc).
    /// </summary>
    public static bool CopiesApplicationFiles(Stage stage, int index, char escape)
    {
        var instruction = stage.Instructions[index];
        if (!instruction.Is("COPY") && !instruction.Is("ADD"))
        {
            return false;
        }

        string? destination = Destination(instruction);
        if (destination is null)
        {
            return false;
        }

        // An unresolved destination is judged by what is known of it (the text without the unknown parts).
        return !IsSystemPath(stage.TextAt(index, destination, escape));
    }

    /// <summary>A folder of the system rather than the application (/, /usr/local/bin, /etc …; /usr/src holds applications).</summary>
    /// <remarks>
    /// A loop over the prefixes, each compared in place: the lambda was a closure per call, and trimming each prefix's
    /// slash made a string per prefix per call (every COPY and every folder of every fix asks).
    /// </remarks>
    public static bool IsSystemPath(string path)
    {
        if (path == "/")
        {
            return true;
        }

        if (path.StartsWith("/usr/src/", StringComparison.Ordinal) || path.StartsWith("/usr/local/src/", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var prefix in SystemPrefixes)
        {
            // The prefix itself, or the folder it names without its slash (/etc).
            if (path.StartsWith(prefix, StringComparison.Ordinal) || path.AsSpan().SequenceEqual(prefix.AsSpan(0, prefix.Length - 1)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The destination of a COPY/ADD (the last word, or the last item of the JSON form).</summary>
    public static string? Destination(Instruction instruction)
    {
        if (instruction.IsJsonForm)
        {
            return instruction.JsonArguments.Length >= 2 ? instruction.JsonArguments[^1] : null;
        }

        // The last of the space- or tab-separated words, read in place: only it becomes a string.
        var arguments = instruction.Arguments.AsSpan().Trim(" \t");
        int before = arguments.LastIndexOfAny(' ', '\t');
        return before < 0 ? null : arguments[(before + 1)..].Trim("\"'").ToString();
    }

    /// <summary>The owner a COPY/ADD sets with <c>--chown</c>, expanded; null when it has none.</summary>
    public static string? Owner(Stage stage, int index, char escape)
    {
        var chown = stage.Instructions[index].GetFlag("chown");
        return chown is null ? null : stage.TextAt(index, chown, escape);
    }

    [GeneratedRegex(@"--chown=(?<value>""[^""]*""|'[^']*'|\S+)")]
    private static partial Regex ChownFlag();

    [GeneratedRegex(@"^\s*(COPY|ADD)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Keyword();
}

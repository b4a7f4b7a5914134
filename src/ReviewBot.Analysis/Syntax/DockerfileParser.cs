using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ReviewBot.Analysis.Syntax;

/// <summary>
/// Reads the Dockerfile syntax BuildKit accepts: parser directives, continuations with the active escape
/// character, comments and blank lines inside continuations, heredocs, flags, JSON and shell forms.
/// One pass over the lines; every step is linear in the input.
/// </summary>
internal static class DockerfileParser
{
    /// <summary>Larger inputs are not Dockerfiles anyone writes; refusing them keeps a review fast and bounded.</summary>
    public const int MaxChars = 4 * 1024 * 1024;

    private static readonly HashSet<string> HeredocKeywords = new(StringComparer.Ordinal) { "RUN", "COPY", "ADD" };

    private static readonly HashSet<string> JsonFormKeywords = new(StringComparer.Ordinal)
    {
        "RUN", "CMD", "ENTRYPOINT", "COPY", "ADD", "SHELL", "VOLUME",
    };

    public static readonly HashSet<string> KnownKeywords = new(StringComparer.Ordinal)
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
        "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    };

    /// <summary>The known keywords as one shared string each, so a keyword costs no allocation per instruction.</summary>
    private static readonly string[] KeywordStrings = [.. KnownKeywords];

    /// <summary><see cref="KnownKeywords"/> asked with a keyword read in place; gives the shared string.</summary>
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownKeywordsInPlace = KnownKeywords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Flags of BuildKit's instructions, likewise shared (others are allocated as written).</summary>
    private static readonly string[] FlagNames =
    [
        "chown", "chmod", "from", "link", "platform", "mount", "network", "security", "parents", "exclude", "checksum",
        "keep-git-dir", "interval", "timeout", "start-period", "start-interval", "retries",
    ];

    /// <param name="cancellationToken">Checked every <see cref="LinesBetweenCancellationChecks"/> lines: a review that is cancelled stops inside a 4 MiB file, not after it.</param>
    /// <summary>Often enough to stop within milliseconds, rarely enough to cost nothing per line.</summary>
    private const int LinesBetweenCancellationChecks = 4096;

    public static DockerfileDocument Parse(string text, CancellationToken cancellationToken = default)
    {
        text ??= "";
        bool hasBom = text.Length > 0 && text[0] == '\uFEFF';
        // This thread's scratch list, like the instructions' below: most files have no diagnostic, and each made a
        // builder and its array for none.
        var diagnostics = _scratchDiagnostics ??= ImmutableArray.CreateBuilder<ParseDiagnostic>();
        diagnostics.Clear();

        if (text.Length > MaxChars)
        {
            diagnostics.Add(new ParseDiagnostic(0, $"The file is too large to be a Dockerfile ({text.Length / (1024 * 1024.0):0.#} MB; the limit is {MaxChars / (1024 * 1024)} MB); it was not analyzed."));
            return Empty(text, LineTable.DetectNewLine(text), hasBom, diagnostics.ToImmutable());
        }

        // One scan for both rare characters (a NUL, a replaced invalid byte), not one each over every file.
        int rare = text.AsSpan().IndexOfAny('\0', '\uFFFD');
        bool hasNul = rare >= 0 && text.AsSpan(rare).Contains('\0');
        bool hasReplacement = rare >= 0 && text.AsSpan(rare).Contains('\uFFFD');
        if (hasNul)
        {
            diagnostics.Add(new ParseDiagnostic(0, "The file is binary (it contains NUL bytes), not a Dockerfile; it was not analyzed."));
            return Empty(text, LineTable.DetectNewLine(text), hasBom, diagnostics.ToImmutable());
        }

        var lines = LineIndex.Split(text, hasBom ? 1 : 0, out string newLine);
        if (text.AsSpan(hasBom ? 1 : 0).IsWhiteSpace())
        {
            diagnostics.Add(new ParseDiagnostic(0, "The file is empty: a Dockerfile needs at least a FROM instruction."));
            return new DockerfileDocument(text, lines, newLine, '\\', hasBom, [], [], [], diagnostics.ToImmutable());
        }

        if (hasReplacement)
        {
            diagnostics.Add(new ParseDiagnostic(0, "The file is not valid UTF-8; unreadable characters were replaced and what could be read was analyzed."));
        }

        var directives = ReadDirectives(lines, diagnostics, out int firstLine);
        char escape = '\\';
        foreach (var directive in directives)
        {
            if (directive.Name == "escape")
            {
                if (directive.Value is "\\" or "`")
                {
                    escape = directive.Value[0];
                }
                else
                {
                    diagnostics.Add(new ParseDiagnostic(directive.Line, $"Invalid escape character '{directive.Value}': it must be \\ or `."));
                }
            }
        }

        // This thread's scratch lists, copied once into exact-size arrays at the end: a builder per file grew by
        // doubling (4, 8, 16 … slots, each allocated and cleared) and was then copied anyway.
        var instructions = _scratchInstructions ??= ImmutableArray.CreateBuilder<Instruction>();
        // The line of each comment, not its text: a quarter of a real Dockerfile is comments, and only the rare
        // suppression pragma among them is ever read as a string.
        var comments = _scratchComments ??= ImmutableArray.CreateBuilder<int>();
        instructions.Clear();
        comments.Clear();
        // One pooled buffer for every continued instruction: its text is then copied once, into Arguments.
        char[] logical = [];
        int logicalLength = 0;
        int i = firstLine;
        int steps = 0;
        while (i < lines.Count)
        {
            if (++steps % LinesBetweenCancellationChecks == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var line = lines[i];
            int start = SkipWhitespace(line, 0);
            if (start == line.Length)
            {
                i++;
                continue;
            }

            if (line[start] == '#')
            {
                comments.Add(i + 1);
                i++;
                continue;
            }

            // Gather the logical line: this line and its continuations. Most instructions are one line, read in place.
            int startIndex = i;
            int firstEnd = TrimEndWhitespace(line);
            bool singleLine = !(firstEnd > 0 && line[firstEnd - 1] == escape);
            logicalLength = 0;
            while (!singleLine)
            {
                var current = lines[i];
                int contentEnd = TrimEndWhitespace(current);
                bool continues = contentEnd > 0 && current[contentEnd - 1] == escape;
                int length = continues ? contentEnd - 1 : current.Length;
                if (logicalLength + length > logical.Length)
                {
                    var larger = ArrayPool<char>.Shared.Rent(Math.Max(2 * logical.Length, logicalLength + length));
                    logical.AsSpan(0, logicalLength).CopyTo(larger);
                    ReturnToPool(logical);
                    logical = larger;
                }

                current[..length].CopyTo(logical.AsSpan(logicalLength));
                logicalLength += length;
                i++;
                if (!continues)
                {
                    break;
                }

                // Comment lines and blank lines inside a continuation are dropped.
                while (i < lines.Count && IsBlankOrComment(lines[i]))
                {
                    i++;
                }

                if (i >= lines.Count)
                {
                    diagnostics.Add(new ParseDiagnostic(i, "The file ends in the middle of a line continuation."));
                    break;
                }
            }

            if (singleLine)
            {
                i++;
            }

            int endIndex = i - 1;
            // Its heredoc bodies, if any, are read from the lines after it (i moves past them).
            var instruction = ParseInstruction(singleLine ? line : logical.AsSpan(0, logicalLength), startIndex + 1, endIndex + 1, start == 0 ? "" : line[..start].ToString(), diagnostics, new HeredocSource(lines, escape), ref i);
            if (instruction is null)
            {
                continue;
            }

            instructions.Add(instruction);
        }

        ReturnToPool(logical);

        // Indexed loops: LINQ over the builder made an enumerator per file.
        Instruction? firstNotArg = null;
        bool hasFrom = false;
        for (int k = 0; k < instructions.Count && !hasFrom; k++)
        {
            firstNotArg ??= instructions[k].Is("ARG") ? null : instructions[k];
            hasFrom = instructions[k].Is("FROM");
        }

        if (instructions.Count > 0 && !hasFrom)
        {
            diagnostics.Add(new ParseDiagnostic(instructions[0].StartLine, "No FROM instruction: a Dockerfile must start from a base image."));
        }
        else if (firstNotArg is { } first && !first.Is("FROM"))
        {
            diagnostics.Add(new ParseDiagnostic(first.StartLine, $"{first.Keyword} before the first FROM: only ARG may come before FROM."));
        }

        var document = new DockerfileDocument(text, lines, newLine, escape, hasBom, directives, instructions.ToImmutable(), comments.ToImmutable(), diagnostics.ToImmutable());
        // Not kept alive by the scratch list until this thread's next file; a huge file's list is not kept at all.
        instructions.Clear();
        comments.Clear();
        diagnostics.Clear();
        if (diagnostics.Capacity > MaxScratchCapacity)
        {
            _scratchDiagnostics = null;
        }

        if (instructions.Capacity > MaxScratchCapacity)
        {
            _scratchInstructions = null;
        }

        if (comments.Capacity > MaxScratchCapacity)
        {
            _scratchComments = null;
        }

        return document;
    }

    /// <summary>Scratch lists larger than this (slots) are let go after use rather than kept for the thread's next file.</summary>
    private const int MaxScratchCapacity = 4096;

    [ThreadStatic]
    private static ImmutableArray<Instruction>.Builder? _scratchInstructions;

    [ThreadStatic]
    private static ImmutableArray<int>.Builder? _scratchComments;

    [ThreadStatic]
    private static ImmutableArray<ParseDiagnostic>.Builder? _scratchDiagnostics;

    private static void ReturnToPool(char[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static DockerfileDocument Empty(string text, string newLine, bool hasBom, ImmutableArray<ParseDiagnostic> diagnostics) =>
        new(text, LineIndex.None(text), newLine, '\\', hasBom, [], [], [], diagnostics);

    /// <summary>Directives are comments of the form <c># name=value</c> at the very top; anything else ends them.</summary>
    private static ImmutableArray<ParserDirective> ReadDirectives(LineIndex lines, ImmutableArray<ParseDiagnostic>.Builder diagnostics, out int firstLine)
    {
        // Made at the first directive (most files have none); a name is seen when a directive already has it.
        ImmutableArray<ParserDirective>.Builder? directives = null;
        firstLine = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('#'))
            {
                break;
            }

            var body = line[1..].Trim();
            int eq = body.IndexOf('=');
            if (eq <= 0)
            {
                break;
            }

            string name = body[..eq].Trim().ToString().ToLowerInvariant();
            if (name.Length == 0 || !name.All(char.IsAsciiLetterOrDigit) || name is not ("syntax" or "escape" or "check"))
            {
                break;
            }

            if (directives is not null && directives.Any(d => d.Name == name))
            {
                diagnostics.Add(new ParseDiagnostic(i + 1, $"The parser directive '{name}' appears twice; only the first counts."));
                break;
            }

            (directives ??= ImmutableArray.CreateBuilder<ParserDirective>()).Add(new ParserDirective(name, body[(eq + 1)..].Trim().ToString(), i + 1));
            firstLine = i + 1;
        }

        return directives is null ? [] : directives.ToImmutable();
    }

    /// <summary>Where a top-level instruction's heredoc bodies are read from: the file's lines after it. None for ONBUILD's inner instruction.</summary>
    private readonly record struct HeredocSource(LineIndex? Lines, char Escape);

    private static Instruction? ParseInstruction(ReadOnlySpan<char> logical, int startLine, int endLine, string indent, ImmutableArray<ParseDiagnostic>.Builder diagnostics, HeredocSource heredocSource, ref int next)
    {
        int pos = SkipWhitespace(logical, 0);
        int keywordStart = pos;
        while (pos < logical.Length && char.IsAsciiLetter(logical[pos]))
        {
            pos++;
        }

        if (pos == keywordStart || (pos < logical.Length && !char.IsWhiteSpace(logical[pos])))
        {
            string shown = logical.Trim().ToString();
            diagnostics.Add(new ParseDiagnostic(startLine, $"Line {startLine} is not an instruction: '{Shorten(shown)}'."));
            return null;
        }

        var written = logical[keywordStart..pos];
        string? keyword = KnownKeyword(written);
        if (keyword is null)
        {
            keyword = written.ToString().ToUpperInvariant();
            diagnostics.Add(new ParseDiagnostic(startLine, $"Unknown instruction '{written}'."));
        }

        var rest = logical[pos..].Trim();
        if (keyword == "ONBUILD")
        {
            int unused = 0;
            var inner = rest.Length == 0 ? null : ParseInstruction(rest, startLine, endLine, "", diagnostics, default, ref unused);
            return new Instruction(keyword, startLine, endLine, rest.ToString(), indent, onBuild: inner);
        }

        ImmutableArray<InstructionFlag>.Builder? flags = null;
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            int end = 0;
            while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
            {
                end++;
            }

            var word = rest[2..end];
            int eq = word.IndexOf('=');
            flags ??= ImmutableArray.CreateBuilder<InstructionFlag>();
            flags.Add(eq < 0 ? new InstructionFlag(FlagName(word), null) : new InstructionFlag(FlagName(word[..eq]), Unquote(word[(eq + 1)..]).ToString()));
            rest = rest[end..].TrimStart();
        }

        ImmutableArray<string> items = [];
        bool isJson = JsonFormKeywords.Contains(keyword) && rest.StartsWith('[') && TryParseJsonArray(rest, out items);
        string arguments = rest.ToString();
        ImmutableArray<Heredoc> heredocs = [];
        // Only an instruction with << can start a heredoc: the others are not split into words to look. The bodies are
        // read before the instruction is made: made first, it was copied again with them (a 4 MiB file of heredocs).
        if (heredocSource.Lines is { } lines && HeredocKeywords.Contains(keyword) && !isJson && rest.Contains("<<", StringComparison.Ordinal))
        {
            var markers = FindHeredocMarkers(arguments, heredocSource.Escape);
            if (markers.Count > 0)
            {
                // The array itself, without a builder around it (most have one body).
                var bodies = new Heredoc[markers.Count];
                for (int m = 0; m < bodies.Length; m++)
                {
                    bodies[m] = ReadHeredocBody(lines, ref next, markers[m], diagnostics);
                }

                heredocs = ImmutableCollectionsMarshal.AsImmutableArray(bodies);
                endLine = Math.Max(endLine, next);
            }
        }

        var instruction = new Instruction(
            keyword,
            startLine,
            endLine,
            arguments,
            indent,
            flags is null ? [] : flags.DrainToImmutable(),
            isJson,
            isJson ? items : [],
            heredocs);

        if (rest.Length == 0 && keyword is not ("ONBUILD"))
        {
            diagnostics.Add(new ParseDiagnostic(startLine, $"{keyword} has no arguments."));
        }

        return instruction;
    }

    /// <summary>The shared keyword string when <paramref name="written"/> is a known keyword in any case; else null.</summary>
    private static string? KnownKeyword(ReadOnlySpan<char> written)
    {
        // Nearly every keyword is written in capitals: those are found at once, the rest compared in any case.
        if (KnownKeywordsInPlace.TryGetValue(written, out var exact))
        {
            return exact;
        }

        foreach (var keyword in KeywordStrings)
        {
            if (written.Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return keyword;
            }
        }

        return null;
    }

    private static string FlagName(ReadOnlySpan<char> written)
    {
        foreach (var name in FlagNames)
        {
            if (written.SequenceEqual(name))
            {
                return name;
            }
        }

        return written.ToString();
    }

    private static bool TryParseJsonArray(ReadOnlySpan<char> text, out ImmutableArray<string> items)
    {
        if (TryParsePlainJsonArray(text, out items) is { } plain)
        {
            return plain;
        }

        // UTF-8 bytes in a pooled buffer: this runs for every exec-form CMD, RUN, COPY … and the bytes never outlive it.
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            return TryParseJsonArray(buffer.AsSpan(0, Encoding.UTF8.GetBytes(text, buffer)), out items);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads a JSON array of strings without escapes (<c>["node", "server.js"]</c>: nearly every exec form) in place,
    /// or decides that the text is no such array (<c>[ -f x ] &amp;&amp; …</c>, <c>['a']</c>) as the JSON reader would,
    /// without it: the reader needs the text as UTF-8, and it says "invalid" by throwing, which is dear. Null when a
    /// string holds an escape, a control character or a surrogate: then the reader decides.
    /// </summary>
    private static bool? TryParsePlainJsonArray(ReadOnlySpan<char> text, out ImmutableArray<string> items)
    {
        items = [];
        int p = SkipJsonWhitespace(text, 0);
        if (p >= text.Length || text[p] != '[')
        {
            return false;
        }

        p = SkipJsonWhitespace(text, p + 1);
        if (p < text.Length && text[p] == ']')
        {
            return SkipJsonWhitespace(text, p + 1) == text.Length;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        while (p < text.Length && text[p] == '"')
        {
            int end = p + 1;
            while (end < text.Length && text[end] != '"')
            {
                char c = text[end];
                if (c == '\\' || c < ' ' || char.IsSurrogate(c))
                {
                    return null;
                }

                end++;
            }

            if (end >= text.Length)
            {
                return false;
            }

            builder.Add(text[(p + 1)..end].ToString());
            p = SkipJsonWhitespace(text, end + 1);
            if (p < text.Length && text[p] == ']')
            {
                if (SkipJsonWhitespace(text, p + 1) != text.Length)
                {
                    return false;
                }

                items = builder.DrainToImmutable();
                return true;
            }

            if (p >= text.Length || text[p] != ',')
            {
                return false;
            }

            p = SkipJsonWhitespace(text, p + 1);
        }

        // Anything but a string where an item must be: a number, an object, a trailing comma, the end …
        return false;
    }

    /// <summary>JSON's whitespace: space, tab, line feed and carriage return only.</summary>
    private static int SkipJsonWhitespace(ReadOnlySpan<char> text, int pos)
    {
        while (pos < text.Length && text[pos] is ' ' or '\t' or '\n' or '\r')
        {
            pos++;
        }

        return pos;
    }

    private static bool TryParseJsonArray(ReadOnlySpan<byte> utf8, out ImmutableArray<string> items)
    {
        items = [];
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            var builder = ImmutableArray.CreateBuilder<string>();
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    // Nothing but whitespace may follow.
                    if (reader.Read())
                    {
                        return false;
                    }

                    items = builder.ToImmutable();
                    return true;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                builder.Add(reader.GetString()!);
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private readonly record struct HeredocMarker(string Delimiter, bool StripTabs, bool Quoted);

    [ThreadStatic]
    private static List<HeredocMarker>? _scratchMarkers;

    /// <summary>
    /// Heredoc markers are whole words of the form <c>&lt;&lt;WORD</c>, <c>&lt;&lt;-WORD</c>, <c>&lt;&lt;"WORD"</c>
    /// or <c>&lt;&lt;'WORD'</c> (optionally after a file descriptor digit), outside quotes. Words are read in place:
    /// only each delimiter becomes a string. The list is this thread's, refilled by the next call.
    /// </summary>
    private static List<HeredocMarker> FindHeredocMarkers(string arguments, char escape)
    {
        var markers = _scratchMarkers ??= [];
        markers.Clear();
        int pos = 0;
        while (NextWord(arguments, escape, ref pos) is { } range)
        {
            var word = arguments.AsSpan(range);
            int p = 0;
            while (p < word.Length && char.IsAsciiDigit(word[p]))
            {
                p++;
            }

            if (word.Length < p + 3 || word[p] != '<' || word[p + 1] != '<' || word[p + 2] == '<')
            {
                continue;
            }

            p += 2;
            bool strip = word[p] == '-';
            if (strip)
            {
                p++;
            }

            var raw = word[p..];
            if (raw.IsEmpty || raw.Contains('<'))
            {
                continue;
            }

            bool quoted = raw.ContainsAny('"', '\'');
            // An unquoted delimiter is the thread's one string for the word: a file repeats one or two (EOF, EOT) at every heredoc.
            string delimiter = quoted ? raw.ToString().Replace("\"", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal) : Model.VariableNames.Get(raw);
            if (delimiter.Length > 0)
            {
                markers.Add(new HeredocMarker(delimiter, strip, quoted));
            }
        }

        return markers;
    }

    /// <summary>
    /// The next word from <paramref name="pos"/> on, split on whitespace outside quotes and not escaped by
    /// <paramref name="escape"/>, quotes and escapes kept in the word; null past the last word.
    /// </summary>
    internal static Range? NextWord(string text, char escape, ref int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos]))
        {
            pos++;
        }

        if (pos >= text.Length)
        {
            return null;
        }

        int start = pos;
        char quote = '\0';
        while (pos < text.Length)
        {
            char c = text[pos];
            if (quote == '\0' && c == escape && pos + 1 < text.Length)
            {
                pos += 2;
                continue;
            }

            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (char.IsWhiteSpace(c))
            {
                break;
            }

            pos++;
        }

        return start..pos;
    }

    [ThreadStatic]
    private static StringBuilder? _scratchBody;

    /// <summary>Bodies longer than this (characters) do not keep their builder for the thread's next heredoc.</summary>
    private const int MaxScratchBody = 64 * 1024;

    private static Heredoc ReadHeredocBody(LineIndex lines, ref int i, HeredocMarker marker, ImmutableArray<ParseDiagnostic>.Builder diagnostics)
    {
        // This thread's builder: a new one per heredoc (and its chunks) was garbage as soon as the body was a string.
        var body = _scratchBody ?? new StringBuilder();
        _scratchBody = null;
        body.Clear();
        var heredoc = ReadHeredocBody(lines, ref i, marker, diagnostics, body);
        _scratchBody = body.Capacity <= MaxScratchBody ? body : null;
        return heredoc;
    }

    private static Heredoc ReadHeredocBody(LineIndex lines, ref int i, HeredocMarker marker, ImmutableArray<ParseDiagnostic>.Builder diagnostics, StringBuilder body)
    {
        int bodyStart = i;
        while (i < lines.Count)
        {
            var line = lines[i];
            var compare = marker.StripTabs ? line.TrimStart('\t') : line;
            if (compare.SequenceEqual(marker.Delimiter))
            {
                i++;
                return new Heredoc(marker.Delimiter, marker.StripTabs, marker.Quoted, bodyStart + 1, i, body.ToString());
            }

            if (body.Length > 0 || i > bodyStart)
            {
                body.Append('\n');
            }

            body.Append(compare);
            i++;
        }

        diagnostics.Add(new ParseDiagnostic(bodyStart, $"The heredoc '{marker.Delimiter}' is never terminated; its body runs to the end of the file."));
        return new Heredoc(marker.Delimiter, marker.StripTabs, marker.Quoted, bodyStart + 1, Math.Max(bodyStart + 1, lines.Count), body.ToString());
    }

    private static bool IsBlankOrComment(ReadOnlySpan<char> line)
    {
        int p = SkipWhitespace(line, 0);
        return p == line.Length || line[p] == '#';
    }

    private static int SkipWhitespace(ReadOnlySpan<char> text, int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos]))
        {
            pos++;
        }

        return pos;
    }

    private static int TrimEndWhitespace(ReadOnlySpan<char> text)
    {
        int end = text.Length;
        while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        {
            end--;
        }

        return end;
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}

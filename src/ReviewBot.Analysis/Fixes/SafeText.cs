using System.Text;
using System.Text.RegularExpressions;
using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Fixes;

/// <summary>
/// The only ways Dockerfile-derived text enters a suggestion: a user or group name that is a valid POSIX
/// name (or a number), and a path quoted for the shell. The pull request's author writes the Dockerfile;
/// a maintainer clicks "Commit suggestion" without reading it, so nothing here may become a command.
/// </summary>
internal static partial class SafeText
{
    /// <summary>
    /// Longest portable user or group name: shadow-utils' useradd refuses longer ones by default
    /// (LOGIN_NAME_MAX-derived limit of 32 in login.defs / utmp's ut_user), BusyBox's adduser likewise.
    /// </summary>
    public const int MaxNameLength = 32;

    /// <summary>
    /// A portable user or group name (POSIX "portable filename character set", not starting with '-'):
    /// <c>[A-Za-z_][A-Za-z0-9_.-]*</c>, at most <see cref="MaxNameLength"/>. No trailing <c>$</c>: that is
    /// Samba's machine-account convention, which no container needs, and in a Dockerfile it reads as a variable.
    /// </summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && PosixName().IsMatch(name);

    /// <summary>A numeric id (what a USER or --chown may always say).</summary>
    public static bool IsNumericId(string? text) =>
        text is { Length: > 0 and <= 10 } && !text.AsSpan().ContainsAnyExceptInRange('0', '9');

    /// <summary>A name or a numeric id.</summary>
    public static bool IsValidUserOrId(string? text) => IsValidName(text) || IsNumericId(text);

    /// <summary><c>user</c> or <c>user:group</c>, each part a valid name or a number.</summary>
    public static bool IsValidSpec(string? spec)
    {
        if (spec is null)
        {
            return false;
        }

        var (user, group) = DockerfileModel.SplitSpec(spec);
        return IsValidUserOrId(user) && (group is null || IsValidUserOrId(group));
    }

    /// <summary>
    /// The path as one shell word, or null when it cannot be written safely on one RUN line (control
    /// characters end the instruction; <c>&lt;&lt;</c> may be read as a heredoc by BuildKit).
    /// <paramref name="raw"/> is the path as the Dockerfile wrote it, <paramref name="expanded"/> its value;
    /// <paramref name="sameValueThere"/> says whether a variable has the same known value where the RUN goes
    /// (ARG and ENV in scope are in the RUN's environment). A path made only of plain characters and such
    /// variables keeps the variables (<c>"${APP_HOME}/data"</c>), so a --build-arg still moves it; anything
    /// else is its expanded value in single quotes, so backticks, <c>$(</c>, <c>;</c>, quotes and globs stay data.
    /// </summary>
    public static string? QuotePath(string raw, string expanded, Func<string, bool> sameValueThere)
    {
        if (expanded.Length == 0 || expanded.Any(char.IsControl) || expanded.Contains("<<", StringComparison.Ordinal))
        {
            return null;
        }

        var match = PathWithVariables().Match(raw);
        if (match.Success && raw.Contains('$') && match.Groups["name"].Captures.All(c => sameValueThere(c.Value)))
        {
            var quoted = new StringBuilder("\"");
            foreach (Capture part in match.Groups["part"].Captures)
            {
                string text = part.Value;
                quoted.Append(text.StartsWith('$') ? "${" + text.TrimStart('$').Trim('{', '}') + "}" : text);
            }

            return quoted.Append('"').ToString();
        }

        return PlainPath().IsMatch(expanded) ? expanded : "'" + expanded.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Plain path characters and Dockerfile variable references only: what a shell would not change.</summary>
    /// <remarks>
    /// What <see cref="PathWithVariables"/> matches, read in one pass: the fix asks this of every word a WORKDIR,
    /// VOLUME or root RUN's mkdir names, and the expression was most of the time spent choosing folders to hand over.
    /// </remarks>
    public static bool IsPlainOrVariables(string raw)
    {
        int i = 0;
        while (i < raw.Length)
        {
            char c = raw[i];
            if (IsPlainPathChar(c))
            {
                i++;
                continue;
            }

            if (c != '$' || i + 1 >= raw.Length)
            {
                return false;
            }

            // $NAME, or ${NAME} with its closing brace.
            bool braced = raw[i + 1] == '{';
            int start = braced ? i + 2 : i + 1;
            if (start >= raw.Length || !(char.IsAsciiLetter(raw[start]) || raw[start] == '_'))
            {
                return false;
            }

            int end = start + 1;
            while (end < raw.Length && (char.IsAsciiLetterOrDigit(raw[end]) || raw[end] == '_'))
            {
                end++;
            }

            if (braced)
            {
                if (end >= raw.Length || raw[end] != '}')
                {
                    return false;
                }

                end++;
            }

            i = end;
        }

        return raw.Length > 0;
    }

    private static bool IsPlainPathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-';

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex PosixName();

    [GeneratedRegex(@"^[A-Za-z0-9_./-]+$")]
    private static partial Regex PlainPath();

    /// <summary>Plain characters and <c>$NAME</c> / <c>${NAME}</c> references, nothing else.</summary>
    [GeneratedRegex(@"^(?<part>[A-Za-z0-9_./-]+|\$(?<name>[A-Za-z_][A-Za-z0-9_]*)|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\})+$")]
    private static partial Regex PathWithVariables();
}

using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Tests.Model;

public class VariableExpanderTests
{
    private static readonly Dictionary<string, VariableValue> Scope = new()
    {
        ["USER"] = new("app"),
        ["EMPTY"] = new(""),
        ["UNKNOWN"] = new(null),
    };

    private static Expansion Expand(string text, char escape = '\\') =>
        VariableExpander.Expand(text, n => Scope.TryGetValue(n, out var v) ? v : null, escape);

    [Theory]
    [InlineData("$USER", "app")]
    [InlineData("${USER}:${USER}", "app:app")]
    [InlineData("${UNKNOWN:-root}", "root")]
    [InlineData("${MISSING:-root}", "root")]
    [InlineData("${EMPTY:-root}", "root")]
    [InlineData("${EMPTY-root}", "")]
    [InlineData("${USER:-root}", "app")]
    [InlineData("${USER:+x}", "x")]
    [InlineData("${EMPTY:+x}", "")]
    [InlineData("${MISSING:-${USER}}", "app")]
    [InlineData("\\$USER", "$USER")]
    [InlineData("plain", "plain")]
    public void Substitutes_like_buildkit(string text, string expected)
    {
        var result = Expand(text);
        Assert.True(result.IsResolved);
        Assert.Equal(expected, result.Text);
    }

    /// <summary>A default or alternative word is expanded in place and cut off when the value is used: what remains, and what stays unknown.</summary>
    [Theory]
    [InlineData("${USER:-$UNKNOWN}", "app", "")]
    [InlineData("a${USER:-xx}b", "aappb", "")]
    [InlineData("${MISSING:-a${UNKNOWN}b}", "ab", "UNKNOWN")]
    [InlineData("pre${USER:+x${UNKNOWN}y}post", "prexypost", "UNKNOWN")]
    [InlineData("pre${EMPTY:+x${UNKNOWN}y}post", "prepost", "")]
    [InlineData("${EMPTY:+$USER}", "", "")]
    [InlineData("<${USER:?$MISSING}>", "<app>", "")]
    [InlineData("<${UNKNOWN:?$USER}>", "<>", "UNKNOWN")]
    [InlineData("$UNKNOWN-${MISSING}-${X:-${Y:-$Z}}", "--", "UNKNOWN MISSING Z")]
    [InlineData("${A:-${USER:+${B:-$C}}}!", "!", "C")]
    public void Words_of_defaults_are_kept_only_when_used(string text, string expected, string unknown)
    {
        var result = Expand(text);
        Assert.Equal(expected, result.Text);
        Assert.Equal(unknown.Split(' ', StringSplitOptions.RemoveEmptyEntries), result.Unresolved);
    }

    [Fact]
    public void Backtick_escape_escapes_the_dollar()
    {
        Assert.Equal("$USER", Expand("`$USER", '`').Text);
    }

    [Theory]
    [InlineData("$UNKNOWN", "UNKNOWN")]
    [InlineData("${MISSING}", "MISSING")]
    [InlineData("${UNKNOWN:?must be set}", "UNKNOWN")]
    public void Unknown_values_are_reported(string text, string name)
    {
        var result = Expand(text);
        Assert.Equal([name], result.Unresolved);
    }
}

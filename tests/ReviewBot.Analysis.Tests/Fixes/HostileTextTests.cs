using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Fixes;

/// <summary>
/// A suggestion is committed with one click: Dockerfile text reaches it only as a valid POSIX user or group
/// name (else a numeric user, or no suggestion and the reason) and as a quoted path (else not at all).
/// </summary>
public class HostileTextTests
{
    private const string Create = "RUN groupadd -r appgroup && useradd -r -g appgroup --no-create-home appuser";

    /// <summary>A suggested RUN past 80 columns without quotes is wrapped before each <c>&amp;&amp;</c>; one with quotes stays one line.</summary>
    private static string Wrapped(string run) =>
        run.Length <= 80 || run.IndexOfAny(['\'', '"']) >= 0 ? run : run.Replace(" && ", " \\\n    && ", StringComparison.Ordinal);

    private static string FixedRoot(string dockerfile, AnalyzerOptions? options = null)
    {
        var finding = DockerfileAnalyzer.Analyze(dockerfile, options).Findings.Single(f => f.RuleId == "RB001");
        return Apply(dockerfile, finding);
    }

    [Theory]
    [InlineData("@octocat")]
    [InlineData("\"a b\"")]
    [InlineData("$(id)")]
    [InlineData("`id`")]
    [InlineData("a;reboot")]
    [InlineData("-rf")]
    [InlineData("averyveryveryverylongusernamethatistoolong")]
    public void Unknown_user_with_an_invalid_name_gets_no_suggestion_and_the_reason(string user)
    {
        var finding = Reports("RB002", $"FROM debian:bookworm-slim\nUSER {user}\nCMD x\n", line: 2);
        Assert.Null(finding.Fix);
        Assert.Contains("not a valid user name", finding.Message);
    }

    [Fact]
    public void Unknown_user_with_a_valid_name_is_still_created()
    {
        var text = "FROM debian:bookworm-slim\nUSER svc.app-1\nCMD x\n";
        Assert.Equal(
            "FROM debian:bookworm-slim\nRUN groupadd -r svc.app-1 && useradd -r -g svc.app-1 --no-create-home svc.app-1\nUSER svc.app-1\nCMD x\n",
            Apply(text, Reports("RB002", text, line: 2)));
    }

    [Fact]
    public void Copy_for_a_user_with_an_invalid_name_gets_no_chown_suggestion()
    {
        var finding = Reports("RB003", "FROM debian:bookworm-slim\nRUN useradd -r app\nCOPY . /app\nUSER \"a b\"\nCMD x\n", line: 3);
        Assert.Null(finding.Fix);
        Assert.Contains("not a valid user", finding.Message);
    }

    [Theory]
    [InlineData("/srv/$(curl x|sh)", "'/srv/$(curl x|sh)'")]
    [InlineData("/srv/`id`", "'/srv/`id`'")]
    [InlineData("/srv/a;reboot", "'/srv/a;reboot'")]
    [InlineData("/srv/a&&reboot", "'/srv/a&&reboot'")]
    [InlineData("\"/srv/a b\"", "'/srv/a b'")]
    [InlineData("/srv/*", "'/srv/*'")]
    [InlineData("/srv/app-1.2_x", "/srv/app-1.2_x")]
    public void Workdir_paths_are_single_quoted_data(string workdir, string word)
    {
        Assert.Equal(
            $"FROM debian:bookworm-slim\nWORKDIR {workdir}\n{Wrapped($"{Create} && chown appuser:appgroup {word}")}\nUSER appuser\nCMD x\n",
            FixedRoot($"FROM debian:bookworm-slim\nWORKDIR {workdir}\nCMD x\n"));
    }

    [Theory]
    [InlineData("/srv/it's")]
    [InlineData("/srv/a 'b'")]
    [InlineData("/srv/\"x\"y")]
    public void Workdir_with_quotes_inside_is_left_out_rather_than_guessed(string workdir)
    {
        Assert.Equal(
            $"FROM debian:bookworm-slim\nWORKDIR {workdir}\n{Create}\nUSER appuser\nCMD x\n",
            FixedRoot($"FROM debian:bookworm-slim\nWORKDIR {workdir}\nCMD x\n"));
    }

    [Fact]
    public void Workdir_continued_over_lines_is_quoted_as_one_word()
    {
        Assert.Equal(
            $"FROM debian:bookworm-slim\nWORKDIR /srv/a\\\n;reboot\n{Create} && chown appuser:appgroup '/srv/a;reboot'\nUSER appuser\nCMD x\n",
            FixedRoot("FROM debian:bookworm-slim\nWORKDIR /srv/a\\\n;reboot\nCMD x\n"));
    }

    [Fact]
    public void Variables_in_scope_stay_variables_inside_double_quotes()
    {
        Assert.Equal(
            $"FROM debian:bookworm-slim\nENV APP_HOME=/srv/app\nWORKDIR ${{APP_HOME}}/data\n{Create} && chown appuser:appgroup \"${{APP_HOME}}/data\"\nUSER appuser\nCMD x\n",
            FixedRoot("FROM debian:bookworm-slim\nENV APP_HOME=/srv/app\nWORKDIR ${APP_HOME}/data\nCMD x\n"));
    }

    [Fact]
    public void A_variable_whose_value_holds_shell_is_still_only_a_variable()
    {
        Assert.Equal(
            $"FROM debian:bookworm-slim\nARG DIR=\"/srv/$(id)\"\nWORKDIR $DIR\n{Create} && chown appuser:appgroup \"${{DIR}}\"\nUSER appuser\nCMD x\n",
            FixedRoot("FROM debian:bookworm-slim\nARG DIR=\"/srv/$(id)\"\nWORKDIR $DIR\nCMD x\n"));
    }

    [Fact]
    public void A_variable_that_changed_before_the_run_is_written_as_its_value()
    {
        Assert.Equal(
            $"FROM debian:bookworm-slim\nENV D=/srv/a\nWORKDIR $D\nENV D=/other\n{Wrapped(Create + " && chown appuser:appgroup /srv/a")}\nUSER appuser\nCMD x\n",
            FixedRoot("FROM debian:bookworm-slim\nENV D=/srv/a\nWORKDIR $D\nENV D=/other\nCMD x\n"));
    }

    [Fact]
    public void Shell_in_a_run_mkdir_is_not_read_as_a_folder()
    {
        var result = FixedRoot("FROM debian:bookworm-slim\nRUN mkdir -p /srv/$(id -u) /var/lib/`x`\nCMD x\n");
        Assert.DoesNotContain("chown", result);
    }

    [Theory]
    [InlineData("a;reboot", "appgroup")]
    [InlineData("appuser", "$(id)")]
    [InlineData("@octocat", "appgroup")]
    public void Configured_names_that_are_not_posix_give_a_numeric_user(string userName, string groupName)
    {
        var result = FixedRoot("FROM debian:bookworm-slim\nCOPY app /app\nCMD x\n", new AnalyzerOptions { UserName = userName, GroupName = groupName });
        Assert.Equal("FROM debian:bookworm-slim\nCOPY --chown=10001:10001 app /app\nUSER 10001:10001\nCMD x\n", result);
    }

    [Fact]
    public void A_created_user_with_a_name_we_cannot_trust_is_not_reused()
    {
        var result = FixedRoot("FROM debian:bookworm-slim\nRUN useradd -r $NAME\nCMD x\n");
        Assert.DoesNotContain("USER $NAME", result);
        Assert.Contains("USER appuser\n", result);
    }

    [Theory]
    [InlineData("@octocat")]
    [InlineData("a b")]
    [InlineData("-a")]
    [InlineData("1abc$")]
    [InlineData("")]
    public void Invalid_names_are_refused(string name) => Assert.False(Analysis.Fixes.SafeText.IsValidName(name));

    [Theory]
    [InlineData("appuser")]
    [InlineData("_svc")]
    [InlineData("www-data")]
    [InlineData("a.b")]
    public void Posix_names_are_accepted(string name) => Assert.True(Analysis.Fixes.SafeText.IsValidName(name));

    [Theory]
    [InlineData("/srv/app")]
    [InlineData("$HOME/data")]
    [InlineData("${APP_HOME}/logs")]
    [InlineData("/opt/${A}${B_2}/x-y.z")]
    [InlineData("$_")]
    public void Plain_paths_and_variables_are_readable(string word) => Assert.True(Analysis.Fixes.SafeText.IsPlainOrVariables(word));

    [Theory]
    [InlineData("")]
    [InlineData("$")]
    [InlineData("/srv/$")]
    [InlineData("${}")]
    [InlineData("${APP")]
    [InlineData("${APP:-x}")]
    [InlineData("$1/data")]
    [InlineData("${1}")]
    [InlineData("$(id -u)")]
    [InlineData("`id`")]
    [InlineData("/srv/*")]
    [InlineData("/srv/a;b")]
    [InlineData("~/data")]
    [InlineData("/srv/\"app\"")]
    public void Shell_words_are_not_readable(string word) => Assert.False(Analysis.Fixes.SafeText.IsPlainOrVariables(word));
}

using System.Text;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Tests.Robustness;

/// <summary>The shapes reported against the engine: each gets a verdict or a diagnostic, within bounds.</summary>
public class HostileShapeTests
{
    private static string Repeat(string line, int count) => new StringBuilder(line.Length * count).Insert(0, line, count).ToString();

    [Fact]
    public void Env_doubling_stops_at_the_length_budget_and_the_user_is_unknown_not_root()
    {
        // 365 bytes that asked for 2^40 characters: 22 s and 6 GB before the budget.
        string text = "FROM debian\nENV A=x\n" + Repeat("ENV A=$A$A\n", 40) + "USER $A\n";

        var result = Bounds.Analyze(text, "ENV doubling");

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("64 KiB", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.RuleId == "RB006" && f.Range.Start == 43 && f.Severity == Severity.Error); // in doubt: fails the check
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001");
    }

    [Fact]
    public void Deeply_nested_defaults_stop_at_the_depth_budget_without_overflowing_the_stack()
    {
        // 100,000 levels once overflowed the stack: SIGSEGV, the whole process gone.
        const int Depth = 100_000;
        string word = Repeat("${a:-", Depth) + "root" + new string('}', Depth);
        string text = $"FROM debian\nRUN echo {word}\nUSER {word}\n";

        var result = Bounds.Analyze(text, "nested ${a:-…}");

        Assert.Contains(result.Diagnostics, d => d.Line == 2 && d.Message.Contains("nested more than", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Line == 3);
        // The innermost default says root, but past the budget nothing is known: unknown, reported, never root or non-root.
        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001");
        Assert.Contains(result.Findings, f => f.RuleId == "RB006" && f.Range.Start == 3 && f.Severity == Severity.Error);
    }

    [Fact]
    public void Nesting_within_the_budget_still_resolves()
    {
        int depth = VariableExpander.MaxExpansionDepth;
        string word = Repeat("${a:-", depth) + "app" + new string('}', depth);

        var expansion = VariableExpander.Expand(word, _ => null);

        Assert.True(expansion.IsResolved);
        Assert.Equal("app", expansion.Text);
    }

    [Fact]
    public void Fifty_thousand_pragma_lines_are_read_in_one_pass()
    {
        // Indented, so the old pairwise scan also allocated a trimmed copy per pair: tens of gigabytes.
        string text = "FROM debian\n" + Repeat("  # hadolint ignore=DL3002\n", 50_000) + "USER root\n";

        var result = Bounds.Analyze(text, "50,000 pragmas");

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001"); // the pragma right above USER root still counts
    }

    [Fact]
    public void Findings_over_the_cap_are_counted_per_rule_keeping_the_most_severe()
    {
        string text = "FROM debian\n" + Repeat("EXPOSE 80\n", 20_000);

        var result = Bounds.Analyze(text, "20,000 EXPOSE");

        Assert.Equal(AnalyzerOptions.DefaultMaxFindingsPerFile, result.Findings.Length);
        Assert.Contains(result.Findings, f => f.RuleId == "RB001"); // the error survives the cap, ahead of 20,000 warnings
        Assert.Equal([new OmittedFindings("RB004", 20_000 - (AnalyzerOptions.DefaultMaxFindingsPerFile - 1))], result.Omitted.ToArray());
        Assert.Equal(2, result.Findings.Where(f => f.RuleId == "RB004").Take(2).Select(f => f.Range.Start).First()); // earliest kept
    }

    [Fact]
    public void Findings_past_the_cap_are_counted_only_after_as_many_unsuppressed_ones_as_are_kept()
    {
        // A rule stops writing messages and fixes once it has as many unsuppressed findings as a result keeps: the
        // suppressed ones before must not use up those places, or a finding only counted would be shown.
        int cap = AnalyzerOptions.DefaultMaxFindingsPerFile;
        string text = "FROM debian\nUSER 1000\n" + Repeat("# reviewbot ignore=RB004\nEXPOSE 80\n", cap) + Repeat("EXPOSE 443\n", 3 * cap);

        var result = Bounds.Analyze(text, "suppressed, then over the cap");

        var shown = result.Findings.Where(f => f.RuleId == "RB004").ToList();
        Assert.Equal(cap, shown.Count);
        Assert.All(shown, f => Assert.Contains("EXPOSE 443", f.Message, StringComparison.Ordinal));
        Assert.All(shown, f => Assert.NotNull(f.Advice)); // written in full: nothing names 443, so advice without a suggestion
        Assert.Equal([new OmittedFindings("RB004", 2 * cap)], result.Omitted.ToArray());
    }

    [Fact]
    public void The_cap_follows_the_options()
    {
        string text = "FROM debian\nUSER app\n" + Repeat("EXPOSE 80\n", 10);

        var all = DockerfileAnalyzer.Analyze(text, new AnalyzerOptions { MaxFindingsPerFile = int.MaxValue });
        var result = DockerfileAnalyzer.Analyze(text, new AnalyzerOptions { MaxFindingsPerFile = 3 });

        Assert.Equal(3, result.Findings.Length);
        Assert.Empty(all.Omitted);
        Assert.Equal(all.Findings.Length - 3, result.Omitted.Sum(o => o.Count));
        Assert.Equal(10 - result.Findings.Count(f => f.RuleId == "RB004"), result.Omitted.Single(o => o.RuleId == "RB004").Count);
    }

    [Fact]
    public void Many_expose_lines_with_many_listen_settings_stay_linear()
    {
        // Each EXPOSE fix once rewrote every ENV naming the port: 5,000 × 5,000 edits.
        string text = "FROM debian\nUSER app\n" + Repeat("ENV PORT=80\n", 5_000) + Repeat("EXPOSE 80\n", 5_000);

        var result = Bounds.Analyze(text, "EXPOSE × ENV");

        int edits = result.Findings.Where(f => f.Fix is not null).Sum(f => f.Fix!.Edits.Length);
        Assert.True(edits <= 5_000 + AnalyzerOptions.DefaultMaxFindingsPerFile, $"{edits} edits");
    }

    [Fact]
    public void A_four_megabyte_line_gets_a_verdict()
    {
        string text = "FROM debian\nRUN echo " + new string('a', 4 * 1024 * 1024 - 64) + "\n";

        var result = Bounds.Analyze(text, "one 4 MB line");

        Assert.Contains(result.Findings, f => f.RuleId == "RB001");
    }

    [Fact]
    public void Stages_naming_each_other_in_a_cycle_resolve_to_images_not_loops()
    {
        string text = "FROM b AS a\nFROM a AS b\nUSER b\nFROM b\n";

        var result = Bounds.Analyze(text, "FROM cycle");

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001"); // the last stage inherits USER b
    }

    [Fact]
    public void A_long_chain_of_stages_is_followed_without_recursion()
    {
        var text = new StringBuilder("FROM debian AS s0\nUSER root\n");
        for (int i = 1; i < 20_000; i++)
        {
            text.Append("FROM s").Append(i - 1).Append(" AS s").Append(i).Append('\n');
        }

        var result = Bounds.Analyze(text.ToString(), "20,000 chained stages");

        Assert.Contains(result.Findings, f => f.RuleId == "RB001");
    }

    [Fact]
    public void A_chain_of_stages_shares_a_large_env_instead_of_copying_it()
    {
        // Every stage once copied its parent's ENV: 5,000 variables × 5,000 stages.
        var text = new StringBuilder("FROM debian AS s0\nENV");
        for (int i = 0; i < 5_000; i++)
        {
            text.Append(" V").Append(i).Append("=1");
        }

        text.Append('\n');
        for (int i = 1; i < 5_000; i++)
        {
            text.Append("FROM s").Append(i - 1).Append(" AS s").Append(i).Append('\n');
        }

        var result = Bounds.Analyze(text.ToString(), "ENV × stage chain");

        Assert.Contains(result.Findings, f => f.RuleId == "RB001");
    }

    [Fact]
    public void Many_stages_from_unknown_names_find_no_parent_quickly()
    {
        // As many as are read (DockerfileModel.MaxStages), the last built from the one before it.
        var text = new StringBuilder();
        for (int i = 0; i < DockerfileModel.MaxStages - 1; i++)
        {
            text.Append("FROM missing").Append(i).Append(" AS s").Append(i).Append('\n');
        }

        text.Append("FROM s").Append(DockerfileModel.MaxStages - 2).Append("\nUSER 1000\n");

        var result = Bounds.Analyze(text.ToString(), "10,000 unmatched FROM");

        Assert.DoesNotContain(result.Findings, f => f.RuleId == "RB001");
    }

    [Fact]
    public void The_file_budget_bounds_many_long_expansions()
    {
        // A 32 KiB value expanded on every line: without the file budget, lines × value.
        var text = new StringBuilder("FROM debian\nENV A=x\n");
        text.Append(Repeat("ENV A=$A$A\n", 15)); // A is 32 KiB
        text.Append(Repeat("RUN echo $A$A\n", 2_000)); // 64 KiB each: within one expansion's budget, not the file's

        var result = Bounds.Analyze(text.ToString(), "many long expansions");

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("in total", StringComparison.Ordinal));
        Assert.True(result.Diagnostics.Length <= ExpansionBudget.MaxNotes + 1, "over-budget notes are capped and summarized");
    }

    [Fact]
    public void Combine_takes_the_same_fixes_as_the_pairwise_definition()
    {
        var random = new Random(20261201);
        for (int round = 0; round < 300; round++)
        {
            var fixes = Enumerable.Range(0, random.Next(1, 30)).Select(_ => new Fix("f", [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomEdit(random))])).ToList();

            Assert.Equal(PairwiseCombine(fixes), FixApplier.Combine(fixes).ToHashSet());
        }
    }

    private static TextEdit RandomEdit(Random random)
    {
        int start = random.Next(1, 40);
        return random.Next(3) == 0 ? new TextEdit(start, start - 1, "i\n") : new TextEdit(start, start + random.Next(0, 4), "r\n");
    }

    /// <summary>The definition Combine must keep: a fix is taken whole when no edit overlaps itself or anything taken.</summary>
    private static HashSet<TextEdit> PairwiseCombine(List<Fix> fixes)
    {
        static bool Overlaps(TextEdit a, TextEdit b) => (a.IsInsertion, b.IsInsertion) switch
        {
            (true, true) => false,
            (true, false) => b.StartLine < a.StartLine && a.StartLine <= b.EndLine,
            (false, true) => a.StartLine < b.StartLine && b.StartLine <= a.EndLine,
            _ => a.StartLine <= b.EndLine && b.StartLine <= a.EndLine,
        };

        var taken = new List<TextEdit>();
        foreach (var fix in fixes)
        {
            bool self = fix.Edits.Select((e, i) => fix.Edits.Skip(i + 1).Any(o => Overlaps(e, o))).Any(x => x);
            if (!self && fix.Edits.All(e => !taken.Any(t => Overlaps(t, e))))
            {
                taken.AddRange(fix.Edits);
            }
        }

        return [.. taken];
    }
}

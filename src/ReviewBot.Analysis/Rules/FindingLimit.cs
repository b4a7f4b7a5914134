namespace ReviewBot.Analysis.Rules;

/// <summary>
/// Which findings of one rule are worth writing in full: a result keeps at most
/// <see cref="AnalyzerOptions.MaxFindingsPerFile"/>, the most severe then the earliest, and counts the rest per rule.
/// A rule whose findings share one severity and come in line order, one per instruction, can never have one kept
/// after its first that many unsuppressed ones: those are only counted, in <see cref="RuleContext"/>, with no object
/// made. Writing each in full (its message, its fix) made a 4 MiB file of EXPOSE lines allocate 640 MB; making each
/// a finding that only counted, and ranking 400,000 of them to keep 100, still took most of a 4 MiB file's time.
/// </summary>
internal sealed class FindingLimit(RuleContext context, RuleDescriptor rule)
{
    private int _written;

    /// <summary>
    /// True when the finding on <paramref name="range"/> is only counted (the rule skips it); false when it must be
    /// written in full: it may be kept, or a pragma names it and it is listed as suppressed (or as an ignored pragma).
    /// </summary>
    public bool CountOnly(LineRange range)
    {
        var pragma = context.Suppressions?.Pragma(rule, range.Start);
        if (_written < context.Options.MaxFindingsPerFile)
        {
            // Suppressed ones are not kept, so they do not use up the places; they are written in full all the same.
            if (pragma is not { Ignored: false })
            {
                _written++;
            }

            return false;
        }

        if (pragma is not null)
        {
            return false;
        }

        context.CountOmitted(rule);
        return true;
    }
}

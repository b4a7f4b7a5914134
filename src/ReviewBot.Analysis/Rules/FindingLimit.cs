namespace ReviewBot.Analysis.Rules;

/// <summary>
/// Which findings of one rule are worth writing in full: a result keeps at most
/// <see cref="AnalyzerOptions.MaxFindingsPerFile"/>, the most severe then the earliest, and counts the rest per rule.
/// A rule whose findings share one severity and come in line order, one per instruction, can never have one kept
/// after its first that many unsuppressed ones: those are only counted. Writing each in full (its message, its fix)
/// made a 4 MiB file of EXPOSE lines allocate 640 MB, most of it left out at once.
/// </summary>
internal sealed class FindingLimit(RuleContext context, RuleDescriptor rule, Severity severity)
{
    /// <summary>The message of a finding only counted: never shown, since it is never kept.</summary>
    private const string CountedOnly = "(over the per-file limit of findings: counted, not shown)";

    private int _written;

    /// <summary>
    /// Null when the finding on <paramref name="range"/> must be written in full (it may be kept, or be reported as
    /// suppressed); otherwise a finding that only counts.
    /// </summary>
    public Finding? CountOnly(LineRange range)
    {
        if (_written < context.Options.MaxFindingsPerFile)
        {
            // Suppressed ones are not kept, so they do not use up the places; they are written in full all the same.
            if (context.Suppressions?.IsSuppressed(new Finding(rule, severity, range, CountedOnly)) != true)
            {
                _written++;
            }

            return null;
        }

        var counted = new Finding(rule, severity, range, CountedOnly);
        return context.Suppressions?.IsSuppressed(counted) == true ? null : counted;
    }
}

using System.CommandLine;
using ReviewBot.Analysis.Rules;
using ReviewBot.Cli.Output;

namespace ReviewBot.Cli.Commands;

/// <summary><c>reviewbot rules [RULE]</c>: the rule list, or one rule's documentation.</summary>
public static class RulesCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "rules";

    public static Command Create(CliConsole console, IReadOnlyList<RuleDescriptor> rules)
    {
        var id = new Argument<string?>("RULE") { Description = "A rule id (RB001) or name (root-user) to document.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(Name, "List the rules, or show one rule's documentation.") { id };
        command.SetAction(result => Run(console, rules, result.GetValue(id)));
        return command;
    }

    private static int Run(CliConsole console, IReadOnlyList<RuleDescriptor> rules, string? id)
    {
        if (id is null)
        {
            int nameWidth = rules.Count == 0 ? 0 : rules.Max(r => r.Name.Length);
            foreach (var rule in rules)
            {
                console.Out.WriteLine($"{rule.Id}  {TextFormatter.SeverityName(rule.DefaultSeverity),-7}  {rule.Name.PadRight(nameWidth)}  {rule.Title}");
            }

            return ExitCodes.Success;
        }

        var match = rules.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name, id, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            console.Error.WriteLine($"reviewbot: unknown rule '{id}'" + (rules.Count == 0 ? "" : $" (known: {string.Join(", ", rules.Select(r => r.Id))})"));
            return ExitCodes.UsageOrReadError;
        }

        // The same page as docs/rules/RBnnn.md: Markdown reads fine in a terminal.
        console.Out.Write(RuleDoc.Markdown(match));
        return ExitCodes.Success;
    }
}

using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Cli.Review;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Configuration;
using ReviewBot.GitHub.Review;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>reviewbot review [--base REF] [--head REF] [--repo PATH] [--format markdown|json] [--config FILE] [--github-pr]</c>:
/// the App's review of a local git range (same file selection, same config source, same planner), printed,
/// and with <c>--github-pr</c> posted to the pull request of a GitHub Actions run.
/// </summary>
public static class ReviewCommand
{
    /// <summary>Where the default base is looked for, in this order; the first that exists is used.</summary>
    public static readonly IReadOnlyList<string> DefaultBaseCandidates = ["origin/HEAD", "origin/main", "main", "master"];

    private sealed record Arguments(string? Base, string? Head, string? Repo, string Format, FileInfo? Config, bool GitHubPr);

    public static Command Create(CliConsole console)
    {
        var baseRef = new Option<string?>("--base")
        {
            Description = "The branch or commit the changes are compared with (from its merge-base with the head, as a pull request shows them). "
                + "Its .github/reviewbot.yml is the config. Default: the merge-base of the head with origin/HEAD, origin/main, main or master, whichever exists first.",
        };
        var headRef = new Option<string?>("--head") { Description = "The commit reviewed (committed files only, never the working tree). Default: HEAD." };
        var repo = new Option<string?>("--repo") { Description = "A folder in the git repository. Default: the current folder." };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "markdown",
        }.AcceptOnlyFromAmong("markdown", "json");
        var configFile = new Option<FileInfo?>("--config", "-c") { Description = "Config file in the .github/reviewbot.yml format, instead of the one on the base." };
        var gitHubPr = new Option<bool>("--github-pr")
        {
            Description = "Post the review to the pull request of this GitHub Actions run (reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL).",
        };

        var command = new Command("review", "Print the review ReviewBot would post for a git range; with --github-pr, post it. Exit 1 when the check fails.")
        {
            baseRef, headRef, repo, format, configFile, gitHubPr,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            console,
            new Arguments(result.GetValue(baseRef), result.GetValue(headRef), result.GetValue(repo), result.GetValue(format)!, result.GetValue(configFile), result.GetValue(gitHubPr)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, Arguments arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await ReviewAsync(console, arguments, cancellationToken);
        }
        catch (GitException e)
        {
            await console.Error.WriteLineAsync($"reviewbot: {e.Message}");
        }
        catch (FormatException e)
        {
            await console.Error.WriteLineAsync($"reviewbot: {e.Message}");
        }
        catch (GitHubApiException e) when (!cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync($"reviewbot: the review was not posted: {PullRequestPublisher.Describe(e)}");
        }

        return ExitCodes.UsageOrReadError;
    }

    private static async Task<int> ReviewAsync(CliConsole console, Arguments arguments, CancellationToken cancellationToken)
    {
        RepositoryConfig? explicitConfig = null;
        if (arguments.Config is not null)
        {
            explicitConfig = ScanCommand.LoadConfig(console, Path.GetFullPath(arguments.Config.ToString(), console.CurrentDirectory));
            if (explicitConfig is null)
            {
                return ExitCodes.UsageOrReadError;
            }
        }

        var environment = arguments.GitHubPr ? ActionsEnvironment.Read(console.GetEnvironmentVariable, console.CurrentDirectory) : null;
        var repository = await GitRepository.OpenAsync(Path.GetFullPath(arguments.Repo ?? ".", console.CurrentDirectory), cancellationToken);
        var range = await ResolveRangeAsync(repository, arguments, environment?.PullRequest, console.Error, cancellationToken);
        var review = await LocalReview.ReadAsync(repository, range, explicitConfig, console.Error, cancellationToken);
        var planOptions = ReviewPlanOptions.From(review.Config) with { Notes = review.Notes };

        // The App's one GitHub registration (pooled handler, GitHub's retry rules), in a container of its own
        // that lives until the review is posted.
        await using var gitHub = environment is null ? null : new ServiceCollection().AddGitHubApi(_ => new GitHubApiOptions { BaseUrl = environment.ApiUrl }).BuildServiceProvider();
        PullRequestPublisher? publisher = null;
        if (environment is not null)
        {
            var pr = environment.PullRequest;
            if (pr.State != "open" || (pr.Draft && !review.Config.ReviewDrafts))
            {
                await console.Error.WriteLineAsync(pr.State != "open"
                    ? $"reviewbot: pull request #{pr.Number} is {pr.State}; nothing is posted."
                    : $"reviewbot: pull request #{pr.Number} is a draft and review.drafts is false in {RepositoryConfig.RepositoryPath}; nothing is posted.");
                return ExitCodes.Success;
            }

            var client = gitHub!.GetRequiredService<GitHubClients>().ForToken(new StaticTokenSource(environment.Token));
            publisher = new PullRequestPublisher(client, environment, console.Error);
            planOptions = planOptions with { PostedFingerprints = await publisher.ReadPostedFingerprintsAsync(cancellationToken) };
        }

        var plan = ReviewPlanner.Plan(review.Files, planOptions);
        if (arguments.Format == "json")
        {
            ReviewJson.Write(plan, range, console.Out);
        }
        else
        {
            ReviewMarkdown.Write(plan, range, console.Out);
        }

        await console.Out.FlushAsync(cancellationToken);
        if (publisher is not null)
        {
            await publisher.PublishAsync(plan, cancellationToken);
        }

        return plan.Check.Conclusion == GitHub.Checks.CheckConclusion.Failure ? ExitCodes.Findings : ExitCodes.Success;
    }

    /// <summary>
    /// The head (--head, else the pull request's head, else HEAD) and the base (--base, else the pull
    /// request's base, else the merge-base with the first default branch that exists, said on stderr).
    /// </summary>
    private static async Task<ReviewRange> ResolveRangeAsync(GitRepository repository, Arguments arguments, PullRequestEvent? pr, TextWriter error, CancellationToken cancellationToken)
    {
        string headLabel = arguments.Head ?? pr?.HeadSha ?? "HEAD";
        string head = await repository.ResolveCommitAsync(headLabel, cancellationToken);
        if (pr is not null && !string.Equals(head, pr.HeadSha, StringComparison.OrdinalIgnoreCase))
        {
            throw new GitException($"--head {headLabel} is {GitRepository.Short(head)}, but pull request #{pr.Number}'s head is {GitRepository.Short(pr.HeadSha)}: "
                + "the review's lines must come from the commit it is posted on");
        }

        if ((arguments.Base ?? pr?.BaseSha) is { } baseLabel)
        {
            return new ReviewRange(await repository.ResolveCommitAsync(baseLabel, cancellationToken), baseLabel, head, headLabel);
        }

        foreach (var candidate in DefaultBaseCandidates)
        {
            if (await repository.TryResolveCommitAsync(candidate, cancellationToken) is { } tip)
            {
                var mergeBase = await repository.MergeBaseAsync(head, tip, cancellationToken);
                await error.WriteLineAsync($"reviewbot: no --base given: comparing {headLabel} with {GitRepository.Short(mergeBase)}, its merge-base with {candidate}.");
                return new ReviewRange(mergeBase, $"{candidate} (merge-base {GitRepository.Short(mergeBase)})", head, headLabel);
            }
        }

        throw new GitException($"no --base given and none of {string.Join(", ", DefaultBaseCandidates)} exists in {repository.Root}; pass --base REF");
    }
}

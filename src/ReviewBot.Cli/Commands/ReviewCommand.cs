using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Cli.Output;
using ReviewBot.Cli.Review;
using ReviewBot.GitHub.Api;
using ReviewBot.Configuration;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.PullRequests;
using ReviewBot.GitHub.Review;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>reviewbot review [--base REF] [--head REF] [--repo PATH] [--format markdown|json] [--config FILE] [--github-pr]</c>:
/// the App's review of a local git range (same file selection, same config source, same planner), printed,
/// and with <c>--github-pr</c> posted to the pull request of a GitHub Actions run.
/// </summary>
public static class ReviewCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "review";

    /// <summary>Where the default base is looked for, in this order; the first that exists is used.</summary>
    public static readonly IReadOnlyList<string> DefaultBaseCandidates = ["origin/HEAD", "origin/main", "main", "master"];

    private sealed record Arguments(string? Base, string? Head, string? Repo, string Format, FileInfo? Config, bool GitHubPr)
    {
        /// <summary>The registry reader --resolve-images asks for; null: offline.</summary>
        public ReviewBot.Registry.ImageResolver? Images { get; init; }
    }

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
        var configFile = new Option<FileInfo?>("--config", "-c")
        {
            Description = "Config file in the .github/reviewbot.yml format, instead of .github/reviewbot.yml. With --base or --github-pr it is a path in the "
                + "repository read at the base commit, never from the working tree, so a pull request cannot weaken its own gate; without them, a file on disk.",
        };
        var gitHubPr = new Option<bool>("--github-pr")
        {
            Description = "Post the review to the pull request of this GitHub Actions run (reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL).",
        };

        var command = new Command(Name, "Print the review ReviewBot would post for a git range; with --github-pr, post it. Exit 1 when the check fails.")
        {
            baseRef, headRef, repo, format, configFile, gitHubPr,
        };
        var images = new ImageOptions();
        images.AddTo(command);
        command.SetAction((result, cancellationToken) => RunAsync(
            console,
            new Arguments(result.GetValue(baseRef), result.GetValue(headRef), result.GetValue(repo), result.GetValue(format)!, result.GetValue(configFile), result.GetValue(gitHubPr))
            {
                Images = ImageOptions.Create(console, result.GetValue(images.Resolve), result.GetValue(images.Insecure) ?? []),
            },
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
        catch (Exception e) when (e is GitHubApiException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // The check run is failed already (see PullRequestReviewer); the details go to the step's log only.
            await console.Error.WriteLineAsync($"reviewbot: the review was not posted: {Describe(e)}");
        }

        return ExitCodes.UsageOrReadError;
    }

    private static async Task<int> ReviewAsync(CliConsole console, Arguments arguments, CancellationToken cancellationToken)
    {
        // With a base (given, or the pull request's), the config is read at the base, never from the working
        // tree: the Action checks out the pull request, which must not be able to weaken its own gate.
        bool configFromBase = arguments.Base is not null || arguments.GitHubPr;
        string? localConfigFile = null;
        if (arguments.Config is not null && !configFromBase)
        {
            localConfigFile = Path.GetFullPath(arguments.Config.ToString(), console.CurrentDirectory);
            if (ScanCommand.LoadConfig(console, localConfigFile) is null)
            {
                return ExitCodes.UsageOrReadError;
            }
        }

        var environment = arguments.GitHubPr ? ActionsEnvironment.Read(console.GetEnvironmentVariable, console.CurrentDirectory) : null;
        var repository = await GitRepository.OpenAsync(Path.GetFullPath(arguments.Repo ?? ".", console.CurrentDirectory), cancellationToken);
        var range = await ResolveRangeAsync(repository, arguments, environment?.PullRequest, console.Error, cancellationToken);
        string configPath = arguments.Config is not null && configFromBase
            ? RepositoryPathOf(repository, Path.GetFullPath(arguments.Config.ToString(), console.CurrentDirectory))
            : RepositoryConfig.RepositoryPath;
        var source = new GitPullRequestSource(repository, range, configPath, localConfigFile);
        var reviewer = new PullRequestReviewer { Images = arguments.Images };

        ReviewInput input;
        ReviewPlan plan;
        if (environment is null)
        {
            input = await reviewer.ReadAsync(source, cancellationToken);
            plan = PullRequestReviewer.Plan(input, ReviewPlanOptions.From(input.Config));
        }
        else
        {
            var pr = environment.PullRequest;
            if (pr.State != "open")
            {
                await console.Error.WriteLineAsync($"reviewbot: pull request #{pr.Number} is {pr.State}; nothing is posted.");
                return ExitCodes.Success;
            }

            // The App's one GitHub registration (pooled handler, GitHub's retry rules), in a container of its own
            // that lives until the review is posted.
            await using var gitHub = new ServiceCollection().AddGitHubApi(_ => new GitHubApiOptions { BaseUrl = environment.ApiUrl }).BuildServiceProvider();
            var client = gitHub.GetRequiredService<GitHubClients>().ForToken(new StaticTokenSource(environment.Token));
            var target = new PullRequestTarget(environment.Owner, environment.Repo, pr.Number, pr.HeadSha, pr.BaseRef, range.Base, pr.Draft);
            ReviewOutcome outcome;
            try
            {
                outcome = await reviewer.ReviewAsync(client, target, source, new ActionHooks(console.Error), new ReviewSettings
                {
                    BotLogin = _ => Task.FromResult(PreviousComments.ActionsBotLogin),
                    WebUrl = console.GetEnvironmentVariable(ActionsEnvironment.ServerUrlVariable) is { Length: > 0 } server ? server : SourceLinks.DefaultWebUrl,
                }, cancellationToken);
            }
            catch (Exception e) when (e is GitHubApiException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                // The check run is failed already (see PullRequestReviewer). A fork's read-only token is the common
                // case: the review is still read from git and shown in the log and the job summary, where the
                // author can read it, and the step fails.
                await console.Error.WriteLineAsync($"reviewbot: the review was not posted: {Describe(e)}");
                input = await reviewer.ReadAsync(source, cancellationToken);
                plan = PullRequestReviewer.Plan(input, ReviewPlanOptions.From(input.Config));
                await WriteAsync(console, arguments, environment, input, plan, range, cancellationToken);
                return ExitCodes.UsageOrReadError;
            }

            if (outcome.Status != ReviewStatus.Reviewed)
            {
                await console.Error.WriteLineAsync($"reviewbot: pull request #{pr.Number}: {outcome.Reason ?? "a newer head is under review"}; nothing is posted.");
                return ExitCodes.Success;
            }

            (input, plan) = (outcome.Input!, outcome.Plan!);
            var posted = outcome.Posted!;
            await console.Error.WriteLineAsync(posted.ReviewId is null
                ? $"reviewbot: nothing new to post on pull request #{pr.Number}; every comment is there already."
                : $"reviewbot: posted review {posted.ReviewId} on pull request #{pr.Number} ({plan.Comments.Length} inline, {plan.FileComments.Length} file comments{(posted.MovedInlineComments ? "; GitHub refused the inline comments, so they became file comments" : "")}).");
        }

        await WriteAsync(console, arguments, environment, input, plan, range, cancellationToken);
        return plan.Check.Conclusion == GitHub.Checks.CheckConclusion.Failure ? ExitCodes.Findings : ExitCodes.Success;
    }

    /// <summary>The review on standard output (Markdown or JSON), its notes on standard error, and the job summary.</summary>
    private static async Task WriteAsync(CliConsole console, Arguments arguments, ActionsEnvironment? environment, ReviewInput input, ReviewPlan plan, ReviewRange range, CancellationToken cancellationToken)
    {
        foreach (var note in input.Notes)
        {
            await console.Error.WriteLineAsync("reviewbot: " + note);
        }

        if (arguments.Format == "json")
        {
            WorkflowCommandGuard.ExpectJson(console.Out);
            ReviewJson.Write(plan, range, console.Out);
        }
        else
        {
            ReviewMarkdown.Write(plan, range, console.Out);
        }

        await console.Out.FlushAsync(cancellationToken);
        if (environment?.StepSummaryPath is { } summaryPath)
        {
            await WriteStepSummaryAsync(console, summaryPath, plan, range);
        }
    }

    /// <summary>The review as Markdown appended to the job summary; a summary that cannot be written is said, never the run's failure.</summary>
    private static async Task WriteStepSummaryAsync(CliConsole console, string path, ReviewPlan plan, ReviewRange range)
    {
        try
        {
            await using var summary = new StreamWriter(path, append: true, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            ReviewMarkdown.Write(plan, range, summary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"reviewbot: the job summary {path} was not written: {e.Message}");
        }
    }

    /// <summary>The config file's path in the repository, to read it at the base; a file outside the repository has no base version.</summary>
    private static string RepositoryPathOf(GitRepository repository, string file)
    {
        var relative = Path.GetRelativePath(repository.Root, file).Replace(Path.DirectorySeparatorChar, '/');
        return relative == "." || relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." || Path.IsPathRooted(relative)
            ? throw new GitException($"--config {file} is outside the repository {repository.Root}: with a base, the config is read from the base commit, so it must be a file in the repository")
            : relative;
    }

    /// <summary>The Action's side of the use case: what happens is said on stderr (the step's log); it remembers nothing between runs.</summary>
    private sealed class ActionHooks(TextWriter error) : ReviewHooks
    {
        public override bool ContinueWithoutCheckRun(GitHubApiException refusal)
        {
            WarnNoChecksWrite();
            return true;
        }

        public override void CheckNotClosed(Exception exception)
        {
            if (exception is GitHubApiException { StatusCode: (int)HttpStatusCode.Forbidden })
            {
                WarnNoChecksWrite();
                return;
            }

            error.WriteLine($"reviewbot: the check run could not be closed either: {Describe(exception)}");
        }

        private void WarnNoChecksWrite() => error.WriteLine(
            "reviewbot: GitHub refused to create the check run (403): the token lacks checks: write (add it under permissions: in the workflow). "
            + "Going on without a check run; this step's exit code is the gate.");
    }

    /// <summary>A GitHub failure in one line, without request headers (so never the token).</summary>
    public static string Describe(Exception e) => e switch
    {
        GitHubRateLimitedException r => r.Message,
        GitHubApiException { StatusCode: (int)HttpStatusCode.Forbidden } api =>
            $"GitHub answered 403: {api.Message}. The token needs pull-requests: write; for pull requests from forks, GITHUB_TOKEN is read-only on pull_request events",
        GitHubApiException { StatusCode: 0 } api => api.Message,
        GitHubApiException api => $"GitHub answered {api.StatusCode}: {api.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

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

using System.Text;
using Octokit;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Review;
using CheckConclusion = ReviewBot.GitHub.Checks.CheckConclusion;
using OctokitConclusion = Octokit.CheckConclusion;

namespace ReviewBot.GitHub.Api;

/// <summary>
/// Everything a review run asks of GitHub for one repository, on one token source. Every call gets
/// <see cref="GitHubRetryHandler"/>'s retries, and one token refresh when GitHub answers 401.
/// </summary>
public sealed class PullRequestClient
{
    /// <summary>GitHub: list endpoints return at most 100 items per page.</summary>
    public const int PageSize = 100;

    /// <summary>GitHub: "list pull request files" returns at most 3000 files.</summary>
    public const int MaxListedFiles = 3000;

    private const string JsonMediaType = "application/json";
    private const string GitHubJson = "application/vnd.github+json";

    private readonly ITokenSource tokens;
    private readonly GitHubClient client;
    private readonly ApiConnection api;

    public PullRequestClient(Uri baseUrl, ITokenSource tokens, RetryPolicy policy, TimeProvider time)
    {
        this.tokens = tokens;
        client = GitHubConnection.Create(baseUrl, async () => new Credentials(await tokens.GetTokenAsync(CancellationToken.None).ConfigureAwait(false)), policy, time);
        api = new ApiConnection(client.Connection);
    }

    public Task<PullRequestInfo> GetPullRequestAsync(string owner, string repo, int number, CancellationToken cancellationToken) =>
        WithTokenRefreshAsync(async () =>
        {
            var pr = await client.PullRequest.Get(owner, repo, number).ConfigureAwait(false);
            return new PullRequestInfo(pr.Number, pr.State.StringValue, pr.Draft, pr.Head.Sha, pr.Base.Ref, pr.Head.Repository?.FullName);
        }, cancellationToken);

    /// <summary>All files of the pull request, <see cref="PageSize"/> per page; <see cref="ChangedFiles.Truncated"/> when GitHub's 3000-file limit was reached.</summary>
    public Task<ChangedFiles> ListFilesAsync(string owner, string repo, int number, CancellationToken cancellationToken) =>
        WithTokenRefreshAsync(async () =>
        {
            var files = await client.PullRequest.Files(owner, repo, number, new ApiOptions { PageSize = PageSize }).ConfigureAwait(false);
            var result = files.Select(f => new ChangedFile(f.FileName, f.Status, f.Patch, f.PreviousFileName)).ToList();
            return new ChangedFiles(result, result.Count >= MaxListedFiles);
        }, cancellationToken);

    /// <summary>
    /// A file's text at <paramref name="reference"/> read from the base repository (a fork's head commit is
    /// reachable there too), with the raw media type so files over 1 MB come back whole; null when absent.
    /// </summary>
    public Task<string?> GetFileTextAsync(string owner, string repo, string path, string reference, CancellationToken cancellationToken) =>
        WithTokenRefreshAsync(async () =>
        {
            var uri = new Uri($"repos/{Escape(owner)}/{Escape(repo)}/contents/{string.Join('/', path.Split('/').Select(Escape))}", UriKind.Relative);
            try
            {
                var response = await client.Connection.GetRaw(uri, new Dictionary<string, string> { ["ref"] = reference }).ConfigureAwait(false);

                // Octokit keeps the body as bytes only for the content types it knows as binary
                // (application/vnd.github.v3.raw); GitHub may label raw content otherwise, and then it is text.
                return response.HttpResponse.Body switch
                {
                    byte[] bytes => DecodeText(bytes),
                    string text => text,
                    _ => "",
                };
            }
            catch (NotFoundException)
            {
                return null;
            }
        }, cancellationToken);

    /// <summary>Review comments on the pull request that carry one of our fingerprints.</summary>
    public Task<IReadOnlyList<ExistingComment>> ListReviewCommentsAsync(string owner, string repo, int number, CancellationToken cancellationToken) =>
        WithTokenRefreshAsync(async () =>
        {
            var comments = await client.PullRequest.ReviewComment.GetAll(owner, repo, number, new ApiOptions { PageSize = PageSize }).ConfigureAwait(false);
            return (IReadOnlyList<ExistingComment>)comments
                .Select(c => new ExistingComment(c.Id, c.Body ?? "", c.InReplyToId, c.Path, c.User?.Login, c.User?.Type?.ToString()))
                .ToList();
        }, cancellationToken);

    public Task ReplyAsync(string owner, string repo, int number, long commentId, string body, CancellationToken cancellationToken) =>
        WithTokenRefreshAsync(async () =>
        {
            var uri = new Uri($"repos/{Escape(owner)}/{Escape(repo)}/pulls/{number}/comments/{commentId}/replies", UriKind.Relative);
            await api.Post<object>(uri, ReviewJson.Serialize(new ReplyRequest(body)), GitHubJson, JsonMediaType, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Posts the plan's one review (when it has anything new) and its file-level comments. When GitHub
    /// refuses the inline comments (422, for example a line no longer in the diff), the review is posted
    /// again without them and they are moved into the file-level comments, so nothing is lost.
    /// </summary>
    public async Task<PostedReview> PostReviewAsync(string owner, string repo, int number, string headSha, ReviewPlan plan, CancellationToken cancellationToken)
    {
        if (!plan.HasReview)
        {
            return new PostedReview(null, [], false);
        }

        var fileComments = plan.FileComments;
        long? reviewId;
        bool moved = false;
        try
        {
            reviewId = await PostReviewOnceAsync(owner, repo, number, headSha, plan.Event, plan.Body, plan.Comments, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiValidationException) when (!plan.Comments.IsEmpty)
        {
            moved = true;
            fileComments = ReviewFallback.MoveToFileComments(plan.Comments, fileComments);
            var body = plan.Body + "\n" + ReviewFallback.Explanation(plan.Comments.Length);
            reviewId = await PostReviewOnceAsync(owner, repo, number, headSha, plan.Event, body, [], cancellationToken).ConfigureAwait(false);
        }

        foreach (var comment in fileComments)
        {
            await WithTokenRefreshAsync(async () =>
            {
                var uri = new Uri($"repos/{Escape(owner)}/{Escape(repo)}/pulls/{number}/comments", UriKind.Relative);
                var json = ReviewJson.Serialize(new FileCommentRequest(comment.Body, headSha, comment.Path, "file"));
                await api.Post<object>(uri, json, GitHubJson, JsonMediaType, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }

        return new PostedReview(reviewId, [.. (moved ? [] : plan.Comments.Select(c => c.Fingerprint)).Concat(fileComments.SelectMany(f => f.Fingerprints))], moved);
    }

    /// <summary>
    /// Creates the check run on the head commit with the plan's first 50 annotations. When that is all of
    /// them it is completed in the same call; otherwise it stays in progress until
    /// <see cref="AddRemainingAnnotationsAsync"/> sends the rest, so it never reads "completed" before all
    /// annotations are in. Returns the check run's id.
    /// </summary>
    public Task<long> CreateCheckRunAsync(string owner, string repo, string headSha, CheckRunPlan plan, CancellationToken cancellationToken)
    {
        var batches = Batches(plan);
        bool complete = batches.Count == 1;
        var run = new NewCheckRun(CheckRunPlan.Name, headSha) { Status = CheckStatus.InProgress, Output = Output(plan, batches[0]) };
        if (complete)
        {
            run.Status = CheckStatus.Completed;
            run.Conclusion = Conclusion(plan.Conclusion);
        }

        return WithTokenRefreshAsync(async () => (await client.Check.Run.Create(owner, repo, run).ConfigureAwait(false)).Id, cancellationToken);
    }

    /// <summary>
    /// The annotations after the first 50 (which <see cref="CreateCheckRunAsync"/> sent), 50 per update;
    /// annotations are appended by every update and the last one sets the conclusion. Nothing to do when
    /// the plan has 50 or fewer.
    /// </summary>
    public async Task AddRemainingAnnotationsAsync(string owner, string repo, long checkRunId, CheckRunPlan plan, CancellationToken cancellationToken)
    {
        var batches = Batches(plan);
        for (int i = 1; i < batches.Count; i++)
        {
            var output = Output(plan, batches[i]);
            var update = i == batches.Count - 1
                ? new CheckRunUpdate { Status = CheckStatus.Completed, Conclusion = Conclusion(plan.Conclusion), Output = output }
                : new CheckRunUpdate { Output = output };
            await WithTokenRefreshAsync(() => client.Check.Run.Update(owner, repo, checkRunId, update), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends the review's check neutral with the reason, so a failed run never leaves it in progress or
    /// missing: updates the run when one was created (<paramref name="checkRunId"/>), else creates it completed.
    /// </summary>
    public Task FailCheckRunAsync(string owner, string repo, string headSha, long? checkRunId, string reason, CancellationToken cancellationToken)
    {
        var output = new NewCheckRunOutput("ReviewBot could not finish the review", reason);
        return checkRunId is long id
            ? WithTokenRefreshAsync(() => client.Check.Run.Update(owner, repo, id, new CheckRunUpdate
            {
                Status = CheckStatus.Completed,
                Conclusion = OctokitConclusion.Neutral,
                Output = output,
            }), cancellationToken)
            : WithTokenRefreshAsync(() => client.Check.Run.Create(owner, repo, new NewCheckRun(CheckRunPlan.Name, headSha)
            {
                Status = CheckStatus.Completed,
                Conclusion = OctokitConclusion.Neutral,
                Output = output,
            }), cancellationToken);
    }

    private static List<System.Collections.Immutable.ImmutableArray<CheckAnnotation>> Batches(CheckRunPlan plan)
    {
        var batches = plan.AnnotationBatches().ToList();
        if (batches.Count == 0)
        {
            batches.Add([]);
        }

        return batches;
    }

    private static NewCheckRunOutput Output(CheckRunPlan plan, IEnumerable<CheckAnnotation> batch) =>
        new(plan.Title, plan.Summary)
        {
            Annotations = [.. batch.Select(a => new NewCheckRunAnnotation(a.Path, a.StartLine, a.EndLine, Level(a.Level), a.Message) { Title = a.Title })],
        };

    private async Task<long?> PostReviewOnceAsync(string owner, string repo, int number, string headSha, Configuration.ReviewEvent reviewEvent, string body, IReadOnlyList<InlineComment> comments, CancellationToken cancellationToken) =>
        await WithTokenRefreshAsync(async () =>
        {
            var request = new ReviewRequest(
                headSha,
                body,
                reviewEvent == Configuration.ReviewEvent.RequestChanges ? "REQUEST_CHANGES" : "COMMENT",
                [.. comments.Select(c => new ReviewCommentRequest(c.Path, c.Body, c.Line, "RIGHT", c.StartLine, c.StartLine is null ? null : "RIGHT"))]);
            var uri = new Uri($"repos/{Escape(owner)}/{Escape(repo)}/pulls/{number}/reviews", UriKind.Relative);
            var review = await api.Post<PullRequestReview>(uri, ReviewJson.Serialize(request), GitHubJson, JsonMediaType, cancellationToken).ConfigureAwait(false);
            return (long?)review?.Id;
        }, cancellationToken).ConfigureAwait(false);

    private async Task<T> WithTokenRefreshAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AuthorizationException)
        {
            // 401: the token was revoked or expired early. Get a new one, once.
            tokens.Invalidate();
            return await call().ConfigureAwait(false);
        }
    }

    private static string DecodeText(byte[] bytes)
    {
        // Strict UTF-8 first; a Dockerfile in another encoding is read as Latin-1 rather than failing the run.
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static CheckAnnotationLevel Level(AnnotationLevel level) => level switch
    {
        AnnotationLevel.Failure => CheckAnnotationLevel.Failure,
        AnnotationLevel.Warning => CheckAnnotationLevel.Warning,
        _ => CheckAnnotationLevel.Notice,
    };

    private static OctokitConclusion Conclusion(CheckConclusion conclusion) => conclusion switch
    {
        CheckConclusion.Failure => OctokitConclusion.Failure,
        CheckConclusion.Neutral => OctokitConclusion.Neutral,
        _ => OctokitConclusion.Success,
    };
}

/// <summary>What was posted: the review id (null when nothing new), the fingerprints now on the PR, and whether inline comments had to move.</summary>
public sealed record PostedReview(long? ReviewId, IReadOnlyList<string> Fingerprints, bool MovedInlineComments);

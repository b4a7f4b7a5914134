using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ReviewBot.GitHub.Checks;
using ReviewBot.GitHub.Review;

namespace ReviewBot.GitHub.Api;

/// <summary>How a file read ended: read, absent at that ref, over the size asked for (its body left unread), or not a text file.</summary>
public enum FileReadStatus
{
    Read,
    Missing,
    TooLarge,

    /// <summary>Binary, or not a file at all (a directory or a submodule at that path).</summary>
    NotText,
}

/// <summary>A file read: <see cref="Text"/> when <see cref="FileReadStatus.Read"/>; <see cref="Size"/> in bytes when known.</summary>
public sealed record FileRead(FileReadStatus Status, string? Text, long? Size);

/// <summary>A check run on a commit as GitHub lists it; <see cref="ExternalId"/> is the id we gave it when we created it.</summary>
public sealed record CheckRunInfo(long Id, string Status, string? Conclusion, string? ExternalId);

/// <summary>
/// The one GitHub client of an installation (or of a fixed token, in the Action): what reviews, branch checks and
/// onboarding ask of GitHub, on one token source, over the pooled HttpClient that
/// <see cref="GitHubApiServiceCollectionExtensions.AddGitHubApi"/> registers. Its partial files hold the tree listing
/// (<c>.Trees</c>), the blob reader (<c>.Blobs</c>: GraphQL, REST above GitHub's GraphQL text limit), GraphQL
/// (<c>.GraphQL</c>) and the installation's repositories (<c>.Repositories</c>). Reads are retried by its pipeline; a
/// create (review, comment, reply, check run) whose outcome is uncertain is read back before it is sent again.
/// </summary>
public sealed partial class GitHubInstallationClient
{
    /// <summary>
    /// Pull requests a commit is associated with that are read, at most: a head commit is in the pull requests built on
    /// it too, rarely more than a few. Past it, the list may be cut off, and a check whose siblings are unknown cannot pass.
    /// </summary>
    public const int MaxAssociatedPullRequests = 300;

    /// <summary>
    /// Open pull requests read, at most, when the commit's own list cannot be used (see
    /// <see cref="ListOpenPullRequestsAtHeadAsync"/>): ten pages. Past it, the check cannot pass.
    /// </summary>
    public const int MaxOpenPullRequests = 1000;

    private readonly GitHubHttp _http;
    private readonly RetryPolicy _policy;
    private readonly TimeProvider _time;

    /// <param name="http">From <see cref="GitHubClients"/> (IHttpClientFactory), with the API root as its base address.</param>
    /// <param name="rateLimits">The credential's budget, shared by every client of the same installation; a new one when null.</param>
    public GitHubInstallationClient(HttpClient http, ITokenSource tokens, RetryPolicy policy, TimeProvider time, RateLimitBudget? rateLimits = null)
    {
        RateLimits = rateLimits ?? new RateLimitBudget(time);
        _http = new GitHubHttp(http, async ct => new AuthenticationHeaderValue("Token", await tokens.GetTokenAsync(ct).ConfigureAwait(false)), tokens.Invalidate, time, RateLimits);
        _policy = policy;
        _time = time;
    }

    /// <summary>The primary rate limits GitHub last reported for this client's credential (see <see cref="RateLimitBudget.BackgroundWait"/>).</summary>
    public RateLimitBudget RateLimits { get; }

    /// <summary>This client's credential and pipeline, for the calls onboarding makes with it (<see cref="Onboarding.GitHubOnboardingClient"/>).</summary>
    internal GitHubHttp Http => _http;

    public async Task<PullRequestInfo> GetPullRequestAsync(string owner, string repo, int number, CancellationToken cancellationToken)
    {
        var pr = await _http.SendAsync(HttpMethod.Get, $"{Repo(owner, repo)}/pulls/{number}", GitHubJson.Default.PullRequestResponse, cancellationToken).ConfigureAwait(false);
        return Info(pr);
    }

    private static PullRequestInfo Info(PullRequestResponse pr) => new(pr.Number, pr.State, pr.Draft, pr.Head.Sha ?? "", pr.Base.Ref ?? "", pr.Head.Repo?.FullName, pr.Base.Sha ?? "");

    /// <summary>
    /// The files changed from the merge base of <paramref name="baseSha"/> and <paramref name="headSha"/> to the head
    /// (GitHub's three-dot comparison, the same diff a pull request shows), with their patches: exactly that pair of
    /// commits, whatever the pull request's branches point at by now. <see cref="ChangedFiles.Truncated"/> when the list
    /// reached <see cref="GitHubLimits.ComparedFiles"/>.
    /// </summary>
    public async Task<ChangedFiles> CompareFilesAsync(string owner, string repo, string baseSha, string headSha, CancellationToken cancellationToken)
    {
        // per_page=1: the files come whole on the first page anyway, and the commits (250 without paging) are not read.
        var compare = await _http.SendAsync(HttpMethod.Get, $"{Repo(owner, repo)}/compare/{Escape(baseSha)}...{Escape(headSha)}?per_page=1", GitHubJson.Default.CompareResponse, cancellationToken).ConfigureAwait(false);
        var files = compare.Files ?? throw new GitHubApiException(200, $"GitHub's comparison of {baseSha}...{headSha} has no list of files.");
        var result = files.Select(f => new ChangedFile(f.Filename, f.Status, f.Patch, f.PreviousFilename)).ToList();
        return new ChangedFiles(result, result.Count >= GitHubLimits.ComparedFiles);
    }

    /// <summary>
    /// The open pull requests of this repository whose head is <paramref name="headSha"/> (<paramref name="self"/>
    /// among them), and whether that list is whole. GitHub's list of a commit's pull requests names, for a commit that
    /// is on the default branch already, only the merged one that brought it there: when <paramref name="self"/> is not
    /// in it, the open pull requests are listed instead.
    /// </summary>
    public async Task<(IReadOnlyList<PullRequestInfo> PullRequests, bool Complete)> ListOpenPullRequestsAtHeadAsync(string owner, string repo, string headSha, int self, CancellationToken cancellationToken)
    {
        var listed = await _http.GetPagesAsync($"{Repo(owner, repo)}/commits/{Escape(headSha)}/pulls", GitHubJson.Default.ListPullRequestResponse, page => page, MaxAssociatedPullRequests + 1, cancellationToken).ConfigureAwait(false);
        bool complete = listed.Count <= MaxAssociatedPullRequests;
        var open = AtHead(listed);
        if (!open.Any(p => p.Number == self))
        {
            listed = await _http.GetPagesAsync($"{Repo(owner, repo)}/pulls?state=open", GitHubJson.Default.ListPullRequestResponse, page => page, MaxOpenPullRequests + 1, cancellationToken).ConfigureAwait(false);
            complete = listed.Count <= MaxOpenPullRequests;
            open = AtHead(listed);
        }

        return (open, complete);

        // Into this repository (a fork's pull requests into its own base are not gated by this check), open, at that head.
        List<PullRequestInfo> AtHead(List<PullRequestResponse> pulls) =>
            [.. pulls.Where(p => p.State == "open" && p.Head.Sha == headSha
                    && (p.Base.Repo?.FullName is not { } into || string.Equals(into, $"{owner}/{repo}", StringComparison.OrdinalIgnoreCase)))
                .Select(Info)];
    }

    /// <summary>
    /// A file's text at <paramref name="reference"/> read from the base repository (a fork's head commit is reachable
    /// there too), with the raw media type so files over 1 MB come back whole. A file over <paramref name="maxBytes"/>
    /// is refused from its Content-Length before its body is read, and the body read stops past the cap in any case
    /// (a chunked answer has no length). An answer that is not raw content (a directory's JSON listing, an HTML
    /// error page) throws <see cref="GitHubApiException"/>: it is never read as an empty file.
    /// </summary>
    public async Task<FileRead> ReadFileAsync(string owner, string repo, string path, string reference, long maxBytes, CancellationToken cancellationToken)
    {
        var uri = new Uri(_http.BaseAddress, $"{Repo(owner, repo)}/contents/{Segments(path)}?ref={Escape(reference)}");
        using var response = await _http.SendAsync(
            () =>
            {
                var request = GitHubHttp.NewRequest(HttpMethod.Get, uri, null);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(GitHubMediaTypes.Raw));
                request.Options.Set(GitHubRequest.Streamed, true);
                return request;
            },
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new FileRead(FileReadStatus.Missing, null, null);
        }

        await _http.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!GitHubMediaTypes.IsRaw(mediaType))
        {
            throw new GitHubApiException((int)response.StatusCode, $"GitHub answered {path} at {reference} with {mediaType ?? "no content type"}, not its raw content.");
        }

        if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
        {
            return new FileRead(FileReadStatus.TooLarge, null, length);
        }

        var bytes = await ReadCappedAsync(response, path, maxBytes, cancellationToken).ConfigureAwait(false);
        return bytes is null
            ? new FileRead(FileReadStatus.TooLarge, null, null)
            : new FileRead(FileReadStatus.Read, DecodeText(bytes), bytes.Length);
    }

    /// <summary>Every review comment on the pull request (ours and everyone's), oldest first.</summary>
    public async Task<IReadOnlyList<ExistingComment>> ListReviewCommentsAsync(string owner, string repo, int number, CancellationToken cancellationToken) =>
        [.. (await ListReviewCommentResponsesAsync(owner, repo, number, cancellationToken).ConfigureAwait(false))
            .Select(c => new ExistingComment(c.Id, c.Body ?? "", c.InReplyToId, c.Path ?? "", c.User?.Login, c.User?.Type))];

    /// <summary>The check runs named <paramref name="checkName"/> on a commit, all of them (not only the latest).</summary>
    public async Task<IReadOnlyList<CheckRunInfo>> ListCheckRunsAsync(string owner, string repo, string headSha, string checkName, CancellationToken cancellationToken)
    {
        var runs = await _http.GetPagesAsync(
            $"{Repo(owner, repo)}/commits/{Escape(headSha)}/check-runs?check_name={Escape(checkName)}&filter=all",
            GitHubJson.Default.CheckRunListResponse,
            page => page.CheckRuns,
            GitHubHttp.MaxPages * GitHubLimits.PageSize,
            cancellationToken).ConfigureAwait(false);
        return [.. runs.Where(r => r.Name is null || r.Name == checkName).Select(r => new CheckRunInfo(r.Id, r.Status, r.Conclusion, r.ExternalId))];
    }

    /// <summary>Replies in a review comment's thread; a reply whose outcome is uncertain is looked for before it is sent again.</summary>
    public Task ReplyAsync(string owner, string repo, int number, long commentId, string body, CancellationToken cancellationToken) =>
        CreateOnceAsync(
            () => _http.SendAsync(HttpMethod.Post, $"{Repo(owner, repo)}/pulls/{number}/comments/{commentId}/replies", new ReplyRequest(body), GitHubJson.Default.ReplyRequest, GitHubJson.Default.IdResponse, cancellationToken),
            async () => (await ListReviewCommentResponsesAsync(owner, repo, number, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(c => c.InReplyToId == commentId && c.Body == body && IsBot(c.User)) is { } reply ? (long?)reply.Id : null,
            cancellationToken);

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
        catch (GitHubApiException e) when (e.StatusCode == (int)HttpStatusCode.UnprocessableEntity && !plan.Comments.IsEmpty)
        {
            moved = true;
            fileComments = InlineFallback.ToFileComments(plan.Comments, fileComments);
            var body = plan.Body + "\n" + InlineFallback.Explanation(plan.Comments.Length);
            reviewId = await PostReviewOnceAsync(owner, repo, number, headSha, plan.Event, body, [], cancellationToken).ConfigureAwait(false);
        }

        foreach (var comment in fileComments)
        {
            await CreateOnceAsync(
                () => _http.SendAsync(HttpMethod.Post, $"{Repo(owner, repo)}/pulls/{number}/comments", new FileCommentRequest(comment.Body, headSha, comment.Path, "file"), GitHubJson.Default.FileCommentRequest, GitHubJson.Default.IdResponse, cancellationToken),
                async () => (await ListReviewCommentResponsesAsync(owner, repo, number, cancellationToken).ConfigureAwait(false))
                    .FirstOrDefault(c => c.InReplyToId is null && IsBot(c.User) && c.Path == comment.Path
                        && (c.Body == comment.Body || (!comment.Fingerprints.IsEmpty && Fingerprint.Parse(c.Body).Intersect(comment.Fingerprints).Any()))) is { } found ? (long?)found.Id : null,
                cancellationToken).ConfigureAwait(false);
        }

        return new PostedReview(reviewId, [.. (moved ? [] : plan.Comments.Select(c => c.Fingerprint)).Concat(fileComments.SelectMany(f => f.Fingerprints))], moved);
    }

    /// <summary>
    /// Creates the check run on the head commit with the plan's first 50 annotations. When that is all of
    /// them it is completed in the same call; otherwise it stays in progress until
    /// <see cref="AddRemainingAnnotationsAsync"/> sends the rest, so it never reads "completed" before all
    /// annotations are in. Returns the check run's id.
    /// </summary>
    /// <param name="rerun">What GitHub's re-run button runs again (kept in the check's external_id).</param>
    public Task<long> CreateCheckRunAsync(string owner, string repo, string headSha, CheckRunPlan plan, CheckRerun rerun, CancellationToken cancellationToken)
    {
        var batches = Batches(plan);
        bool complete = batches.Count == 1;
        return CreateCheckRunOnceAsync(owner, repo, headSha, complete ? "completed" : "in_progress", complete ? Conclusion(plan.Conclusion) : null, Output(plan, batches[0]), rerun, cancellationToken);
    }

    /// <summary>
    /// The annotations after the first 50 (which <see cref="CreateCheckRunAsync"/> sent), 50 per update;
    /// annotations are appended by every update and the last one sets the conclusion. Nothing to do when
    /// the plan has 50 or fewer.
    /// </summary>
    public async Task AddRemainingAnnotationsAsync(string owner, string repo, long checkRunId, CheckRunPlan plan, CancellationToken cancellationToken)
    {
        var batches = Batches(plan);
        int sent = batches[0].Length;
        for (int i = 1; i < batches.Count; i++)
        {
            bool last = i == batches.Count - 1;
            var update = new CheckRunUpdateRequest(last ? "completed" : null, last ? Conclusion(plan.Conclusion) : null, Output(plan, batches[i]));
            sent += batches[i].Length;
            int expected = sent;
            await CreateOnceAsync(
                async () => (await UpdateCheckRunAsync(owner, repo, checkRunId, update, cancellationToken).ConfigureAwait(false)).Id,
                async () => await CountAnnotationsAsync(owner, repo, checkRunId, cancellationToken).ConfigureAwait(false) >= expected ? checkRunId : null,
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How many annotations the check run holds: GitHub appends a PATCH's annotations, so an uncertain one is counted before it is sent again.</summary>
    private async Task<int> CountAnnotationsAsync(string owner, string repo, long checkRunId, CancellationToken cancellationToken) =>
        (await _http.SendAsync(HttpMethod.Get, $"{Repo(owner, repo)}/check-runs/{checkRunId}", GitHubJson.Default.CheckRunResponse, cancellationToken).ConfigureAwait(false)).Output?.AnnotationsCount ?? 0;

    /// <summary>Without annotations a PATCH sets the same status and output again, so it may be resent like a read; with them it may not (GitHub appends them).</summary>
    private Task<IdResponse> UpdateCheckRunAsync(string owner, string repo, long checkRunId, CheckRunUpdateRequest update, CancellationToken cancellationToken) =>
        _http.SendAsync(HttpMethod.Patch, $"{Repo(owner, repo)}/check-runs/{checkRunId}", update, GitHubJson.Default.CheckRunUpdateRequest, GitHubJson.Default.IdResponse, cancellationToken, safeToRepeat: update.Output.Annotations is not { Count: > 0 });

    /// <summary>
    /// Creates a check run with an external_id of its own, by which an uncertain create is found again on the head,
    /// and which says what a re-run runs again.
    /// </summary>
    private Task<long> CreateCheckRunOnceAsync(string owner, string repo, string headSha, string status, string? conclusion, CheckRunOutputRequest output, CheckRerun rerun, CancellationToken cancellationToken)
    {
        var request = new CheckRunCreateRequest(CheckRunPlan.Name, headSha, status, conclusion, rerun.ExternalId(Guid.NewGuid()), output);
        return CreateOnceAsync(
            async () => (await _http.SendAsync(HttpMethod.Post, $"{Repo(owner, repo)}/check-runs", request, GitHubJson.Default.CheckRunCreateRequest, GitHubJson.Default.IdResponse, cancellationToken).ConfigureAwait(false)).Id,
            async () => (await ListCheckRunsAsync(owner, repo, headSha, CheckRunPlan.Name, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(r => r.ExternalId == request.ExternalId)?.Id,
            cancellationToken);
    }

    private async Task<long?> PostReviewOnceAsync(string owner, string repo, int number, string headSha, Configuration.ReviewEvent reviewEvent, string body, IReadOnlyList<InlineComment> comments, CancellationToken cancellationToken)
    {
        var request = new ReviewRequest(
            headSha,
            body,
            reviewEvent == Configuration.ReviewEvent.RequestChanges ? "REQUEST_CHANGES" : "COMMENT",
            [.. comments.Select(c => new ReviewCommentRequest(c.Path, c.Body, c.Line, "RIGHT", c.StartLine, c.StartLine is null ? null : "RIGHT"))]);
        var fingerprints = comments.Select(c => c.Fingerprint).ToHashSet(StringComparer.Ordinal);
        return await CreateOnceAsync(
            async () => (await _http.SendAsync(HttpMethod.Post, $"{Repo(owner, repo)}/pulls/{number}/reviews", request, GitHubJson.Default.ReviewRequest, GitHubJson.Default.IdResponse, cancellationToken).ConfigureAwait(false)).Id,
            async () =>
            {
                if (fingerprints.Count > 0)
                {
                    // The planner leaves out fingerprints already on the pull request: one found now came with this review.
                    return (await ListReviewCommentResponsesAsync(owner, repo, number, cancellationToken).ConfigureAwait(false))
                        .FirstOrDefault(c => c.InReplyToId is null && IsBot(c.User) && c.PullRequestReviewId is not null && Fingerprint.Parse(c.Body).Any(fingerprints.Contains))
                        ?.PullRequestReviewId;
                }

                var reviews = await _http.GetPagesAsync($"{Repo(owner, repo)}/pulls/{number}/reviews", GitHubJson.Default.ListReviewResponse, page => page, GitHubHttp.MaxPages * GitHubLimits.PageSize, cancellationToken).ConfigureAwait(false);
                return reviews.FirstOrDefault(r => r.CommitId == headSha && r.Body == body && IsBot(r.User))?.Id;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a create call; when its outcome is uncertain (no answer, or a 5xx: GitHub may have carried it out),
    /// waits, looks for what it would have created and sends it again only when that is not there.
    /// </summary>
    private async Task<long> CreateOnceAsync(Func<Task<IdResponse>> post, Func<Task<long?>> readBack, CancellationToken cancellationToken) =>
        await CreateOnceAsync(async () => (await post().ConfigureAwait(false)).Id, readBack, cancellationToken).ConfigureAwait(false);

    private async Task<long> CreateOnceAsync(Func<Task<long>> post, Func<Task<long?>> readBack, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await post().ConfigureAwait(false);
            }
            catch (GitHubApiException e) when (e.Uncertain && attempt < _policy.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_policy.Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
                if (await readBack().ConfigureAwait(false) is long found)
                {
                    return found;
                }
            }
        }
    }

    private Task<List<ReviewCommentResponse>> ListReviewCommentResponsesAsync(string owner, string repo, int number, CancellationToken cancellationToken) =>
        _http.GetPagesAsync($"{Repo(owner, repo)}/pulls/{number}/comments", GitHubJson.Default.ListReviewCommentResponse, page => page, GitHubHttp.MaxPages * GitHubLimits.PageSize, cancellationToken);

    /// <summary>Ours are written by a bot account (the App's, or github-actions[bot]); a person's copy of our marker is not.</summary>
    private static bool IsBot(UserResponse? user) => string.Equals(user?.Type, "Bot", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads at most <paramref name="maxBytes"/>; null when the body goes past them.</summary>
    private async Task<byte[]?> ReadCappedAsync(HttpResponseMessage response, string path, long maxBytes, CancellationToken cancellationToken)
    {
        // The body is read outside the pipeline's attempt timeout (it is streamed), so it gets one of its own.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_policy.AttemptTimeout);
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new GitHubApiException(0, $"Reading {path} from GitHub failed: {e.Message}", e);
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

    /// <summary>The one URL helper: a repository's REST path, owner and name escaped.</summary>
    internal static string Repo(string owner, string repo) => $"repos/{Escape(owner)}/{Escape(repo)}";

    /// <summary>A path or ref name as URL path segments, each escaped (a file path or a branch may hold '/').</summary>
    internal static string Segments(string path) => string.Join('/', path.Split('/').Select(Escape));

    internal static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static List<System.Collections.Immutable.ImmutableArray<CheckAnnotation>> Batches(CheckRunPlan plan)
    {
        var batches = plan.AnnotationBatches().ToList();
        if (batches.Count == 0)
        {
            batches.Add([]);
        }

        return batches;
    }

    private static CheckRunOutputRequest Output(CheckRunPlan plan, IEnumerable<CheckAnnotation> batch) =>
        new(plan.Title, plan.Summary, [.. batch.Select(a => new CheckRunAnnotationRequest(a.Path, a.StartLine, a.EndLine, Level(a.Level), a.Message, a.Title))]);

    private static string Level(AnnotationLevel level) => level switch
    {
        AnnotationLevel.Failure => "failure",
        AnnotationLevel.Warning => "warning",
        _ => "notice",
    };

    private static string Conclusion(CheckConclusion conclusion) => conclusion switch
    {
        CheckConclusion.Failure => "failure",
        CheckConclusion.Neutral => "neutral",
        _ => "success",
    };
}

/// <summary>What was posted: the review id (null when nothing new), the fingerprints now on the PR, and whether inline comments had to move.</summary>
public sealed record PostedReview(long? ReviewId, IReadOnlyList<string> Fingerprints, bool MovedInlineComments);

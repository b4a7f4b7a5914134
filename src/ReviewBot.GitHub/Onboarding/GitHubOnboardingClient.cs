using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ReviewBot.GitHub.Api;
using static ReviewBot.GitHub.Api.GitHubInstallationClient;

namespace ReviewBot.GitHub.Onboarding;

/// <summary>
/// <see cref="IOnboardingGitHub"/> over the installation's <see cref="GitHubInstallationClient"/>. Reads: the
/// repository, its default branch's ref, the tree and texts through <see cref="Branches.BranchSource"/> (as the branch
/// check reads them), our pull requests, our branch's ref and (to recognise a write of ours whose answer was lost) a
/// commit. Writes: the branch (POST git/refs, which never overwrites, or a compare-and-swap updateRefs mutation; never
/// a forced PATCH), one createCommitOnBranch mutation with expectedHeadOid (GitHub makes and signs the commit for the
/// App, so it shows as verified), the pull request (POST, or PATCH its body); closing a stale one: our comments read
/// back, a comment (unless a retried close posted it already), PATCH state closed, DELETE our branch's ref.
/// </summary>
/// <param name="client">The installation's client.</param>
/// <param name="botLogin">Our App's login, <c>{slug}[bot]</c> (<see cref="GitHubAppClient.GetBotLoginAsync"/>, asked once per process).</param>
public sealed class GitHubOnboardingClient(GitHubInstallationClient client, Func<CancellationToken, Task<string>> botLogin) : IOnboardingGitHub
{
    private static readonly string BranchRef = "heads/" + OnboardingPlan.Branch;

    /// <summary>Ends our comment saying why a stale pull request is closed, so a retried close finds it.</summary>
    public const string ClosingMarker = "<!-- reviewbot:onboarding-closing -->";

    /// <summary>Comments read looking for our closing comment: ours comes last, and a pull request of ours gathers few.</summary>
    private const int MaxCommentsRead = 1_000;

    private GitHubHttp Http => client.Http;

    public async Task<RepositoryFacts> GetRepositoryAsync(string owner, string repo, CancellationToken cancellationToken)
    {
        var facts = await Http.SendAsync(HttpMethod.Get, Repo(owner, repo), OnboardingJson.Default.RepoResponse, cancellationToken).ConfigureAwait(false);
        if (facts.Archived || facts.Fork)
        {
            return new RepositoryFacts(facts.DefaultBranch, null, facts.Archived, facts.Fork, facts.NodeId);
        }

        // An empty repository has no ref: GitHub answers 409 ("Git Repository is empty") or 404.
        var uri = new Uri(Http.BaseAddress, $"{Repo(owner, repo)}/git/ref/heads/{Segments(facts.DefaultBranch)}");
        using var response = await Http.SendAsync(() => GitHubHttp.NewRequest(HttpMethod.Get, uri, null), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return new RepositoryFacts(facts.DefaultBranch, null, false, false, facts.NodeId);
        }

        await Http.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var reference = await GitHubHttp.ReadJsonAsync(response, OnboardingJson.Default.GitRefResponse, cancellationToken).ConfigureAwait(false);
        return new RepositoryFacts(facts.DefaultBranch, reference.Object.Sha, false, false, facts.NodeId);
    }

    public Task<RepositoryTree> ReadTreeAsync(string owner, string repo, string sha, CancellationToken cancellationToken) =>
        At(owner, repo, sha).ReadHeadTreeAsync(cancellationToken);

    public Task<IReadOnlyList<FileRead>> ReadFilesAsync(string owner, string repo, string sha, IReadOnlyList<string> paths, long maxBytes, CancellationToken cancellationToken) =>
        At(owner, repo, sha).ReadHeadFilesAsync(paths, maxBytes, cancellationToken);

    public async Task<IReadOnlyList<OnboardingPullRequest>> ListOurPullRequestsAsync(string owner, string repo, CancellationToken cancellationToken)
    {
        var pulls = await Http.GetPagesAsync(
            $"{Repo(owner, repo)}/pulls?state=all&head={Escape(owner + ":" + OnboardingPlan.Branch)}&sort=created&direction=desc",
            OnboardingJson.Default.ListPullResponse,
            page => page,
            GitHubLimits.PageSize,
            cancellationToken).ConfigureAwait(false);
        // Only pull requests our App opened are ours: anyone (another bot included) may copy our marker into a body
        // to stop onboarding or steer it. GitHub logins are case-insensitive, and "[bot]" cannot end a person's login.
        // The caller also requires our marker at the top of the body.
        string login = await botLogin(cancellationToken).ConfigureAwait(false);
        return [.. pulls.Where(p => IsOurs(p.User, login))
            .Select(p => new OnboardingPullRequest(p.Number, p.State == "open", p.MergedAt is not null, p.Head.Sha ?? "", p.Body ?? ""))];
    }

    public async Task<string?> GetBranchAsync(string owner, string repo, CancellationToken cancellationToken)
    {
        var uri = new Uri(Http.BaseAddress, $"{Repo(owner, repo)}/git/ref/{Segments(BranchRef)}");
        using var response = await Http.SendAsync(() => GitHubHttp.NewRequest(HttpMethod.Get, uri, null), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await Http.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return (await GitHubHttp.ReadJsonAsync(response, OnboardingJson.Default.GitRefResponse, cancellationToken).ConfigureAwait(false)).Object.Sha;
    }

    /// <summary>POST git/refs: GitHub refuses (422) a ref that exists, so a create never moves anyone's branch.</summary>
    public Task CreateBranchAsync(string owner, string repo, string sha, CancellationToken cancellationToken) =>
        Http.SendAsync(HttpMethod.Post, $"{Repo(owner, repo)}/git/refs", new CreateRefRequest("refs/" + BranchRef, sha), OnboardingJson.Default.CreateRefRequest, OnboardingJson.Default.GitRefResponse, cancellationToken);

    /// <summary>
    /// GraphQL <c>updateRefs</c> with <c>beforeOid</c>: GitHub moves the ref only if it still points there (REST's
    /// PATCH git/refs has no such condition; forced, it would take whatever a person pushed since we read it).
    /// </summary>
    public async Task MoveBranchAsync(string owner, string repo, string repositoryNodeId, string from, string to, CancellationToken cancellationToken)
    {
        const string Mutation = "mutation($input: UpdateRefsInput!) { updateRefs(input: $input) { clientMutationId } }";
        var input = new JsonObject
        {
            ["repositoryId"] = repositoryNodeId,
            ["refUpdates"] = new JsonArray(new JsonObject { ["name"] = "refs/" + BranchRef, ["beforeOid"] = from, ["afterOid"] = to, ["force"] = true }),
        };
        await client.GraphQLAsync(Mutation, new JsonObject { ["input"] = input }, OnboardingJson.Default.GraphQLResponseJsonObject, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsOurCommitAsync(string owner, string repo, string sha, string parentSha, CancellationToken cancellationToken)
    {
        var uri = new Uri(Http.BaseAddress, $"{Repo(owner, repo)}/commits/{Escape(sha)}");
        using var response = await Http.SendAsync(() => GitHubHttp.NewRequest(HttpMethod.Get, uri, null), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
        {
            return false;
        }

        await Http.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var commit = await GitHubHttp.ReadJsonAsync(response, OnboardingJson.Default.CommitResponse, cancellationToken).ConfigureAwait(false);
        string login = await botLogin(cancellationToken).ConfigureAwait(false);
        string headline = OnboardingPlan.CommitMessage.Split('\n', 2)[0];
        return commit.Parents is [{ Sha: var parent }] && parent == parentSha
            && IsOurs(commit.Author, login)
            && commit.Commit?.Verification?.Verified == true
            && (commit.Commit.Message ?? "").Split('\n', 2)[0] == headline;
    }

    public async Task<string> CommitAsync(string owner, string repo, string expectedHeadSha, IReadOnlyList<OnboardingChange> changes, string message, CancellationToken cancellationToken)
    {
        const string Mutation = "mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }";
        var lines = message.Split('\n', 2);
        var input = new JsonObject
        {
            ["branch"] = new JsonObject { ["repositoryNameWithOwner"] = $"{owner}/{repo}", ["branchName"] = OnboardingPlan.Branch },
            ["message"] = new JsonObject { ["headline"] = lines[0], ["body"] = lines.Length > 1 ? lines[1].Trim() : "" },
            // A retry after an uncertain answer fails on this (the branch moved) instead of committing twice.
            ["expectedHeadOid"] = expectedHeadSha,
            ["fileChanges"] = new JsonObject
            {
                ["additions"] = new JsonArray([.. changes.Select(c => (JsonNode)new JsonObject { ["path"] = c.Path, ["contents"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(c.NewText)) })]),
            },
        };
        var data = await client.GraphQLAsync(Mutation, new JsonObject { ["input"] = input }, OnboardingJson.Default.GraphQLResponseCommitData, cancellationToken).ConfigureAwait(false);
        return data.CreateCommitOnBranch?.Commit?.Oid ?? throw new GitHubApiException(200, "createCommitOnBranch answered without a commit.");
    }

    public async Task<int> CreatePullRequestAsync(string owner, string repo, string baseBranch, string title, string body, CancellationToken cancellationToken) =>
        (await Http.SendAsync(HttpMethod.Post, $"{Repo(owner, repo)}/pulls", new CreatePullRequest(title, OnboardingPlan.Branch, baseBranch, body), OnboardingJson.Default.CreatePullRequest, OnboardingJson.Default.PullNumberResponse, cancellationToken).ConfigureAwait(false)).Number;

    public Task UpdatePullRequestAsync(string owner, string repo, int number, string body, CancellationToken cancellationToken) =>
        Http.SendAsync(HttpMethod.Patch, $"{Repo(owner, repo)}/pulls/{number}", new UpdatePullRequest(body), OnboardingJson.Default.UpdatePullRequest, OnboardingJson.Default.PullNumberResponse, cancellationToken);

    public async Task ClosePullRequestAsync(string owner, string repo, int number, string comment, string body, CancellationToken cancellationToken)
    {
        // A pull request's conversation comments are its issue's. A close that failed after its comment is run again
        // later: the comment is posted only if ours is not there yet (ours: by our App, with the closing marker).
        string login = await botLogin(cancellationToken).ConfigureAwait(false);
        var comments = await Http.GetPagesAsync($"{Repo(owner, repo)}/issues/{number}/comments", OnboardingJson.Default.ListCommentResponse, page => page, MaxCommentsRead, cancellationToken).ConfigureAwait(false);
        if (!comments.Any(c => IsOurs(c.User, login) && c.Body?.Contains(ClosingMarker, StringComparison.Ordinal) == true))
        {
            await Http.SendAsync(HttpMethod.Post, $"{Repo(owner, repo)}/issues/{number}/comments", new CommentRequest(comment + "\n\n" + ClosingMarker), OnboardingJson.Default.CommentRequest, OnboardingJson.Default.IdResponse, cancellationToken).ConfigureAwait(false);
        }

        await Http.SendAsync(HttpMethod.Patch, $"{Repo(owner, repo)}/pulls/{number}", new ClosePullRequest("closed", body), OnboardingJson.Default.ClosePullRequest, OnboardingJson.Default.PullNumberResponse, cancellationToken).ConfigureAwait(false);
        var uri = new Uri(Http.BaseAddress, $"{Repo(owner, repo)}/git/refs/{Segments(BranchRef)}");
        using var response = await Http.SendAsync(() => GitHubHttp.NewRequest(HttpMethod.Delete, uri, null), cancellationToken).ConfigureAwait(false);
        // Gone already (404, or 422 "Reference does not exist") is what we wanted.
        if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity))
        {
            await Http.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    public TimeSpan? BackgroundWait() => client.RateLimits.BackgroundWait();

    /// <summary>Written by our App: GitHub logins are case-insensitive.</summary>
    private static bool IsOurs(PullUser? user, string login) => string.Equals(user?.Login, login, StringComparison.OrdinalIgnoreCase);

    /// <summary>The default branch's commit, read as the branch check reads a branch.</summary>
    private Branches.BranchSource At(string owner, string repo, string sha) => new(client, owner, repo, "the default branch", sha);
}

internal sealed record RepoResponse(string DefaultBranch, bool Archived, bool Fork, string? NodeId = null);

internal sealed record GitObject(string Sha);

internal sealed record GitRefResponse(string Ref, GitObject Object);

internal sealed record PullHead(string? Sha);

internal sealed record PullUser(string? Login, string? Type);

internal sealed record PullResponse(int Number, string State, string? Body, DateTimeOffset? MergedAt, PullHead Head, PullUser? User);

internal sealed record PullNumberResponse(int Number);

internal sealed record CreateRefRequest(string Ref, string Sha);

internal sealed record CommitParent(string? Sha);

internal sealed record CommitVerification(bool Verified);

internal sealed record CommitDetail(string? Message, CommitVerification? Verification);

internal sealed record CommitResponse(IReadOnlyList<CommitParent>? Parents, PullUser? Author, CommitDetail? Commit);

internal sealed record CreatePullRequest(string Title, string Head, string Base, string Body);

internal sealed record UpdatePullRequest(string Body);

internal sealed record ClosePullRequest(string State, string Body);

internal sealed record CommentRequest(string Body);

internal sealed record IdResponse(long Id);

internal sealed record CommentResponse(string? Body, PullUser? User);

internal sealed record CommitOid([property: JsonPropertyName("oid")] string? Oid);

internal sealed record CreatedCommit([property: JsonPropertyName("commit")] CommitOid? Commit);

internal sealed record CommitData([property: JsonPropertyName("createCommitOnBranch")] CreatedCommit? CreateCommitOnBranch);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RepoResponse))]
[JsonSerializable(typeof(GitRefResponse))]
[JsonSerializable(typeof(List<PullResponse>), TypeInfoPropertyName = "ListPullResponse")]
[JsonSerializable(typeof(PullNumberResponse))]
[JsonSerializable(typeof(CreateRefRequest))]
[JsonSerializable(typeof(CommitResponse))]
[JsonSerializable(typeof(GraphQLResponse<JsonObject>), TypeInfoPropertyName = "GraphQLResponseJsonObject")]
[JsonSerializable(typeof(CreatePullRequest))]
[JsonSerializable(typeof(UpdatePullRequest))]
[JsonSerializable(typeof(ClosePullRequest))]
[JsonSerializable(typeof(CommentRequest))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(List<CommentResponse>), TypeInfoPropertyName = "ListCommentResponse")]
[JsonSerializable(typeof(GraphQLResponse<CommitData>), TypeInfoPropertyName = "GraphQLResponseCommitData")]
internal sealed partial class OnboardingJson : JsonSerializerContext;

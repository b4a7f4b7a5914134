using System.Text.Json.Serialization;

namespace ReviewBot.GitHub.Api;

/// <summary>One page of the repositories an installation can reach: their "owner/name" and ids (in the same order), and whether a later page has more.</summary>
public sealed record InstallationRepositoryPage(IReadOnlyList<string> FullNames, bool More, IReadOnlyList<long>? Ids = null);

/// <summary>The repositories the installation was granted.</summary>
public sealed partial class GitHubInstallationClient
{
    /// <summary>
    /// GET /installation/repositories on the installation's token: every repository it was granted, one page at a time,
    /// for "all repositories" installations as for selected ones. Paged by number (GitHub's <c>page</c> parameter), so a
    /// work item can name the page it queues and a retry reads the same page again.
    /// </summary>
    /// <param name="page">The page, from 1.</param>
    public async Task<InstallationRepositoryPage> ListRepositoriesPageAsync(int page, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        var answer = await _http.SendAsync(HttpMethod.Get, $"installation/repositories?per_page={GitHubLimits.PageSize}&page={page}", InstallationJson.Default.InstallationRepositoriesResponse, cancellationToken).ConfigureAwait(false);
        var names = answer.Repositories.Select(r => r.FullName).ToList();
        // total_count says whether a later page holds more; an empty page ends the list whatever the count says.
        return new InstallationRepositoryPage(names, names.Count > 0 && (long)page * GitHubLimits.PageSize < answer.TotalCount, [.. answer.Repositories.Select(r => r.Id)]);
    }
}

internal sealed record InstallationRepository(string FullName, long Id = 0);

internal sealed record InstallationRepositoriesResponse(long TotalCount, IReadOnlyList<InstallationRepository> Repositories);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(InstallationRepositoriesResponse))]
internal sealed partial class InstallationJson : JsonSerializerContext;

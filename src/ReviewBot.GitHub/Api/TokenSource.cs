namespace ReviewBot.GitHub.Api;

/// <summary>Where tokens come from: an App installation (refreshable) or a fixed token (GitHub Actions).</summary>
public interface ITokenSource
{
    Task<string> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>The token was refused (401): forget it, so the next call gets a new one.</summary>
    void Invalidate();
}

/// <summary>A token that never changes, such as GitHub Actions' GITHUB_TOKEN.</summary>
public sealed class StaticTokenSource(string token) : ITokenSource
{
    public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(token);

    public void Invalidate()
    {
    }
}

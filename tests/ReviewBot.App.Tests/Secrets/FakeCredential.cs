using System.Collections.Concurrent;
using Azure.Core;

namespace ReviewBot.App.Tests.Secrets;

/// <summary>Plays Azure.Identity: hands out the given tokens in turn (the last one repeats) and records the scopes asked.</summary>
public sealed class FakeCredential(params string[] tokens) : TokenCredential
{
    private int _calls;

    public ConcurrentQueue<string> Scopes { get; } = new();

    public int Calls => _calls;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes)
        {
            Scopes.Enqueue(scope);
        }

        var index = Interlocked.Increment(ref _calls) - 1;
        return new AccessToken(tokens[Math.Min(index, tokens.Length - 1)], DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

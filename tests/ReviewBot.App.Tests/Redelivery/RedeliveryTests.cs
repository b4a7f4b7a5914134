using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.App.Queue;
using ReviewBot.App.Redelivery;
using ReviewBot.App.State;
using ReviewBot.GitHub.Auth;

namespace ReviewBot.App.Tests.Redelivery;

/// <summary>
/// GitHub never sends a failed delivery again by itself: the App lists its deliveries and asks once for each event
/// none of whose attempts got through, one replica per event, never twice.
/// </summary>
public sealed class RedeliveryTests : IDisposable
{
    private readonly GitHubFake _github = new();

    public void Dispose() => _github.Dispose();

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    /// <summary>Two pages, newest first; the second reaches back past the 24 h lookback, and a third page is never read.</summary>
    private void StubDeliveries() => _github.StubHookDeliveries(
        new JsonArray(
            GitHubFake.HookDelivery(110, "down", Now.AddMinutes(-5), 0), // the App was down: no answer
            GitHubFake.HookDelivery(109, "busy", Now.AddMinutes(-6), 503),
            GitHubFake.HookDelivery(108, "busy", Now.AddMinutes(-8), 503), // two failed attempts, one event
            GitHubFake.HookDelivery(107, "fine", Now.AddMinutes(-9), 202),
            GitHubFake.HookDelivery(106, "late", Now.AddMinutes(-10), 202), // succeeded on its second attempt
            GitHubFake.HookDelivery(105, "late", Now.AddMinutes(-11), 503)),
        new JsonArray(
            GitHubFake.HookDelivery(104, "asked", Now.AddHours(-2), 503, redelivery: true), // already redelivered, by hand or by us
            GitHubFake.HookDelivery(103, "asked", Now.AddHours(-3), 503),
            GitHubFake.HookDelivery(102, "forged", Now.AddHours(-4), 401), // refused by us: it would be refused again
            GitHubFake.HookDelivery(101, "old", Now.AddHours(-30), 503)), // past the lookback
        new JsonArray(GitHubFake.HookDelivery(100, "older", Now.AddHours(-40), 503)));

    private RedeliveryRunner Replica(IStateStore state)
    {
        var app = _github.Clients.ForApp(GitHubFake.AppId, new PemRs256Signer(RSA.Create(2048).ExportRSAPrivateKeyPem()));
        return new RedeliveryRunner(new GitHubHookDeliveries(app), state, new RedeliveryClaims(), Options.Create(new RedeliveryOptions()), TimeProvider.System, NullLogger<RedeliveryRunner>.Instance);
    }

    private static RedeliveryWork Run => RedeliveryScheduler.ItemFor(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

    [Fact]
    public async Task Each_event_that_never_got_through_is_redelivered_once_across_two_replicas_and_never_again()
    {
        StubDeliveries();
        var shared = new InMemoryStateStore(TimeProvider.System);
        var one = Replica(shared);
        var two = Replica(shared);

        await Task.WhenAll(one.RunAsync(Run, 1, default), two.RunAsync(Run, 1, default));
        var first = _github.Redeliveries;
        await Task.WhenAll(one.RunAsync(Run, 1, default), two.RunAsync(Run, 1, default));

        // The newest failed attempt of each failed event, once; nothing that succeeded, was asked before, was ours to refuse, or is too old.
        Assert.Equal([109L, 110L], first.Order());
        Assert.Equal(first.Count, _github.Redeliveries.Count);
        Assert.DoesNotContain(_github.Server.LogEntries, e => e.RequestMessage.Query is { } query && query.TryGetValue("cursor", out var cursor) && cursor.Contains("v1_2"));
    }

    [Fact]
    public async Task The_app_asks_on_its_own_schedule_as_background_work()
    {
        StubDeliveries();
        using var app = new AppHost(_github, new Dictionary<string, string?> { ["Redelivery:Enabled"] = "true", ["Redelivery:Interval"] = "00:00:00.300" });
        _ = app.Server; // starts the host and its schedule

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_github.Redeliveries.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(1500); // several more intervals: nothing is asked twice
        Assert.Equal([109L, 110L], _github.Redeliveries.Order());
        Assert.True(RedeliveryScheduler.ItemFor(Now, TimeSpan.FromMinutes(5)).IsBackground);
    }
}

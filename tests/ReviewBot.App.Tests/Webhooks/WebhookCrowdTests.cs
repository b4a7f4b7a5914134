using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ReviewBot.App.Tests.Production;

namespace ReviewBot.App.Tests.Webhooks;

/// <summary>
/// The door on a real Kestrel (TestServer enforces no data rate): strangers, however many and however slow, even
/// from GitHub's own address, never keep a signed delivery out, and their noise is counted, not logged line by line.
/// </summary>
public sealed class WebhookCrowdTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    /// <summary>More than the 16 work slots and 64 waiting places together.</summary>
    private const int Crowd = 100;

    private readonly GitHubFake _github = new();

    public void Dispose() => _github.Dispose();

    [Fact]
    public async Task A_crowd_of_slow_unsigned_senders_never_keeps_a_signed_delivery_out()
    {
        _github.StubFiles();
        await using var app = new TestApp(new() { ["GitHub:ApiBaseUrl"] = _github.Url + "/" });
        var url = new Uri(app.Start());
        using var stop = new CancellationTokenSource();
        int cutOff = 0, connected = 0;

        // Each stranger trickles an unsigned body at 300 bytes a second from 127.0.0.1, the signed delivery's address
        // too, and comes back as soon as it is cut off, so the crowd stands at the door for the whole test.
        var crowd = Enumerable.Range(0, Crowd).Select(i => Task.Run(async () =>
        {
            for (int attempt = 0; !stop.IsCancellationRequested; attempt++)
            {
                if (await TrickleAsync(url, $"slow-{i}-{attempt}", () => Interlocked.Increment(ref connected), stop.Token))
                {
                    Interlocked.Increment(ref cutOff);
                }
            }
        })).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref connected) < Crowd && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(500); // every stranger is inside, reading its body

        var body = Encoding.UTF8.GetBytes(AppHost.Payload("pull_request.opened").ToJsonString());
        var watch = Stopwatch.StartNew();
        using var http = new HttpClient();
        using var response = await http.SendAsync(Signed(url, "pull_request", "signed-1", body));
        watch.Stop();
        bool crowdStillThere = !stop.IsCancellationRequested && crowd.All(c => !c.IsCompleted);

        output.WriteLine($"{Volatile.Read(ref connected)} stranger connections, signed delivery answered {(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms"); // a figure, not an assertion
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(crowdStillThere);

        // And the strangers are cut off (408 or closed), each within the body deadline, not after trickling 100 KB.
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref cutOff) < Crowd && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        output.WriteLine($"{Volatile.Read(ref cutOff)} stranger connections cut off");
        Assert.True(Volatile.Read(ref cutOff) >= Crowd);
        await stop.CancelAsync();
        await Task.WhenAll(crowd);
    }

    /// <summary>Sends headers and then 30 bytes every 100 ms of a 100 KB unsigned body; true when the server cut it off.</summary>
    private static async Task<bool> TrickleAsync(Uri url, string delivery, Action connected, CancellationToken stop)
    {
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(url.Host, url.Port, stop);
            var stream = tcp.GetStream();
            var head = $"POST /api/github/webhooks HTTP/1.1\r\nHost: {url.Authority}\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: {delivery}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stop);
            connected();
            var answer = stream.ReadAsync(new byte[256], stop).AsTask();
            var chunk = new byte[30];
            Array.Fill(chunk, (byte)' ');
            for (int sent = 0; sent < 100_000 && !answer.IsCompleted; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk, stop);
                await Task.WhenAny(answer, Task.Delay(100, stop));
            }

            await answer;
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Two_thousand_unsigned_requests_are_counted_and_make_at_most_a_few_log_lines()
    {
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Operations.ReviewBotTelemetry.Name && instrument.Name == "reviewbot.webhook.rejected")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "reason", Value: "signature" })
                {
                    Interlocked.Add(ref counted, value);
                }
            }
        });
        listener.Start();
        await using var app = new TestApp(new() { ["GitHub:ApiBaseUrl"] = _github.Url + "/" });
        var url = new Uri(app.Start());
        using var http = new HttpClient();
        var body = Encoding.UTF8.GetBytes(AppHost.Payload("pull_request.opened").ToJsonString());

        var statuses = new List<HttpStatusCode>();
        for (int batch = 0; batch < 40; batch++)
        {
            statuses.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
            {
                using var request = Signed(url, "pull_request", $"noise-{batch}-{i}", body, "sha256=" + new string('0', 64));
                using var response = await http.SendAsync(request);
                return response.StatusCode;
            })));
        }

        var lines = app.Logs.Lines.Where(l => l.Contains("ReviewBot.App.Webhooks", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{statuses.Count} unsigned requests, {lines.Count} webhook log lines:\n{string.Join("\n", lines)}");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.InRange(lines.Count, 1, 2);
        Assert.True(Interlocked.Read(ref counted) >= 2000, $"counted {counted}");
    }

    [Fact]
    public async Task Connections_over_the_cap_of_one_address_are_closed_at_once()
    {
        await using var app = new TestApp(new() { ["Webhook:MaxConnectionsPerAddress"] = "2", ["GitHub:ApiBaseUrl"] = _github.Url + "/" });
        var url = new Uri(app.Start());
        using var first = new TcpClient();
        using var second = new TcpClient();
        await first.ConnectAsync(url.Host, url.Port);
        await second.ConnectAsync(url.Host, url.Port);

        using (var third = new TcpClient())
        {
            await third.ConnectAsync(url.Host, url.Port);
            int read;
            try
            {
                read = await third.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (IOException)
            {
                read = 0;
            }

            Assert.Equal(0, read); // closed by the server, before any request
        }

        first.Close();
        await Task.Delay(300);
        var ping = Encoding.UTF8.GetBytes(AppHost.Payload("ping").ToJsonString());
        using var http = new HttpClient();
        using var response = await http.SendAsync(Signed(url, "ping", "ping-1", ping));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("10.0.0.0/8", HttpStatusCode.Forbidden)]
    [InlineData("192.30.252.0/22,127.0.0.0/8", HttpStatusCode.OK)]
    public async Task Only_the_allowed_networks_are_read_when_they_are_set(string networks, HttpStatusCode expected)
    {
        var settings = new Dictionary<string, string?> { ["GitHub:ApiBaseUrl"] = _github.Url + "/" };
        foreach (var (network, i) in networks.Split(',').Select((n, i) => (n, i)))
        {
            settings[$"Webhook:AllowedNetworks:{i}"] = network;
        }

        await using var app = new TestApp(settings);
        var url = new Uri(app.Start());
        var ping = Encoding.UTF8.GetBytes(AppHost.Payload("ping").ToJsonString());
        using var http = new HttpClient();

        using var response = await http.SendAsync(Signed(url, "ping", "ping-1", ping));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public void A_network_that_is_not_CIDR_stops_the_start()
    {
        using var app = new TestApp(new() { ["Webhook:AllowedNetworks:0"] = "github.com", ["GitHub:ApiBaseUrl"] = _github.Url + "/" });

        var e = Assert.ThrowsAny<Exception>(() => app.Start());
        Assert.Contains("CIDR", e.ToString(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Signed(Uri url, string eventName, string delivery, byte[] body, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "/api/github/webhooks")) { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-Hub-Signature-256", signature ?? AppHost.Sign(body, TestApp.WebhookSecret));
        return request;
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReviewBot.App.Tests.Production;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c> package) driven over the DevTools protocol, with a
/// fresh profile and no network besides what the page asks for. Missing Chromium fails the test clearly.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string PathVariable = "CHROMIUM_PATH";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        var executable = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured
            ? configured
            : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException($"Chromium is not installed: run `apt-get install -y chromium` (CI does), or set {PathVariable}.");
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", $"--user-data-dir={profile}",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        var browser = new HeadlessChromium(process, profile);
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        using var timeout = new CancellationTokenSource(StartTimeout);
        string? endpoint = null;
        while (endpoint is null)
        {
            var line = await process.StandardError.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("Chromium exited before it listened for DevTools.");
            if (DevToolsLine().Match(line) is { Success: true } match)
            {
                endpoint = match.Groups["port"].Value;
            }
        }

        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        using var http = new HttpClient();
        var targets = await http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{endpoint}/json/list", timeout.Token);
        var page = targets!.First(t => t!["type"]!.GetValue<string>() == "page")!;
        await browser._socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), timeout.Token);
        return browser;
    }

    public Task NavigateAsync(string url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url });

    /// <summary>Evaluates JavaScript in the page and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result?["exceptionDetails"] is { } error)
        {
            throw new InvalidOperationException("Page script failed: " + error.ToJsonString());
        }

        return result?["result"]?["value"];
    }

    /// <summary>Polls until the expression is true in a fully loaded page.</summary>
    public async Task WaitForAsync(string expression, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                if ((await EvaluateAsync($"document.readyState === 'complete' && !!({expression})"))?.GetValue<bool>() == true)
                {
                    return;
                }
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                // Navigation in progress: the context went away under the script.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The page never satisfied {expression}; it is at {await EvaluateAsync("location.href")}.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        { Directory.Delete(_profile, recursive: true); }
        catch (IOException) { }
    }

    private async Task<JsonNode?> SendAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult part;
            do
            {
                part = await _socket.ReceiveAsync(buffer, timeout.Token);
                received.Write(buffer, 0, part.Count);
            }
            while (!part.EndOfMessage);

            var reply = JsonNode.Parse(received.ToArray());
            if (reply?["id"]?.GetValue<int>() != id)
            {
                continue; // an event, or an older reply
            }

            if (reply["error"] is { } error)
            {
                throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
            }

            return reply["result"];
        }
    }

    [GeneratedRegex(@"DevTools listening on ws://[^:]+:(?<port>\d+)/")]
    private static partial Regex DevToolsLine();
}

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ReviewBot.TestSupport;

/// <summary>
/// A real Azurite (npm package <c>azurite</c>, installed by <c>npm ci</c> at the repo root) on loopback
/// ports, or the one <see cref="ConnectionStringVariable"/> points at. Without either, tests fail loudly.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Set to the connection string of a running Azurite to use it instead of starting one.</summary>
    public const string ConnectionStringVariable = "REVIEWBOT_AZURITE_CONNECTION_STRING";

    /// <summary>Azurite's well-known development account (documented, not a secret).</summary>
    private const string Account = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string? _location;
    private Process? _process;
    private int _blobPort;
    private int _queuePort;
    private int _tablePort;

    private AzuriteProcess(string? location, string? external)
    {
        _location = location;
        ConnectionString = external ?? "";
        IsExternal = external is not null;
    }

    public string ConnectionString { get; private set; }

    public bool IsExternal { get; }

    /// <summary>Starts Azurite; <paramref name="persistent"/> keeps data on disk so a restart keeps the queue.</summary>
    public static async Task<AzuriteProcess> StartAsync(bool persistent = false)
    {
        if (!persistent && Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } external)
        {
            return new AzuriteProcess(null, external);
        }

        var location = persistent ? Directory.CreateTempSubdirectory("azurite-").FullName : null;
        var azurite = new AzuriteProcess(location, null);
        await azurite.StartProcessAsync().ConfigureAwait(false);
        return azurite;
    }

    /// <summary>
    /// Stops Azurite as a service stops: SIGTERM, so it saves its (LokiJS) metadata to disk, as real storage
    /// never loses an acknowledged write; SIGKILL only if it does not exit in time.
    /// </summary>
    public async Task StopAsync()
    {
        if (IsExternal)
        {
            throw new InvalidOperationException("Cannot stop an Azurite this test did not start.");
        }

        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                _ = Signal(process.Id, SigTerm);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().ConfigureAwait(false);
                }
            }

            process.Dispose();
            _process = null;
        }
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    /// <summary>Starts it again on the same ports.</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        if (!IsExternal)
        {
            await StopAsync().ConfigureAwait(false);
        }

        if (_location is not null)
        {
            try
            { Directory.Delete(_location, recursive: true); }
            catch (IOException) { }
        }
    }

    private async Task StartProcessAsync()
    {
        var executable = Path.Combine(RepoRoot.Find(), "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({executable} is missing). Run `npm ci` at the repository root (CI does), " +
                $"or set {ConnectionStringVariable} to the connection string of a running Azurite.");
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _location ?? Path.GetTempPath(),
        };
        foreach (var argument in new[] { "--silent", "--skipApiVersionCheck", "--disableTelemetry" })
        {
            start.ArgumentList.Add(argument);
        }

        if (_location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(_location);
        }

        // Port 0 lets the OS pick free ports; Azurite prints the ones it got. A restart reuses them.
        foreach (var (name, port) in new[] { ("blob", _blobPort), ("queue", _queuePort), ("table", _tablePort) })
        {
            start.ArgumentList.Add($"--{name}Host");
            start.ArgumentList.Add("127.0.0.1");
            start.ArgumentList.Add($"--{name}Port");
            start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process = process;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        var listening = 0;
        try
        {
            while (listening < 3)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("Azurite exited while starting: " + await stderr.ConfigureAwait(false));
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    var port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    switch (match.Groups["service"].Value)
                    {
                        case "Blob":
                            _blobPort = port;
                            break;
                        case "Queue":
                            _queuePort = port;
                            break;
                        case "Table":
                            _tablePort = port;
                            break;
                    }

                    listening++;
                }
            }
        }
        catch (OperationCanceledException)
        {
            await StopAsync().ConfigureAwait(false);
            throw new TimeoutException($"Azurite did not listen within {StartTimeout}.");
        }

        // Keep draining its output so it never blocks on a full pipe.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{_blobPort}/{Account};" +
            $"QueueEndpoint=http://127.0.0.1:{_queuePort}/{Account};" +
            $"TableEndpoint=http://127.0.0.1:{_tablePort}/{Account};";
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://[^:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}


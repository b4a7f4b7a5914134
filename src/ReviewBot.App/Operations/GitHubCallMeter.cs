using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;

namespace ReviewBot.App.Operations;

/// <summary>
/// Counts and times GitHub API calls from .NET's own HTTP client metrics (<c>http.client.request.duration</c>
/// of the <c>System.Net.Http</c> meter), keeping those whose server is the configured GitHub API host. Every
/// call is seen, whichever client library makes it, without wrapping it.
/// </summary>
internal sealed class GitHubCallMeter : IHostedService, IDisposable
{
    private const string HttpMeter = "System.Net.Http";
    private const string DurationInstrument = "http.client.request.duration";

    private readonly MeterListener _listener = new();
    private readonly IOptions<GitHubOptions> _options;
    private string _host = "";
    private int _port;

    /// <summary>Options are read at start, after the host has validated them, so a bad configuration fails with its own message.</summary>
    public GitHubCallMeter(IOptions<GitHubOptions> options)
    {
        _options = options;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HttpMeter && instrument.Name == DurationInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _host = _options.Value.ApiBaseUrl.Host;
        _port = _options.Value.ApiBaseUrl.Port;
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? host = null;
        var port = -1;
        object? status = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "server.address":
                    host = tag.Value as string;
                    break;
                case "server.port":
                    port = tag.Value is int p ? p : -1;
                    break;
                case "http.response.status_code":
                    status = tag.Value;
                    break;
            }
        }

        if (!string.Equals(host, _host, StringComparison.OrdinalIgnoreCase) || (port != -1 && port != _port))
        {
            return;
        }

        var statusTag = new KeyValuePair<string, object?>("http.response.status_code", status ?? "none");
        ReviewBotTelemetry.GitHubCalls.Add(1, statusTag);
        ReviewBotTelemetry.GitHubDuration.Record(seconds, statusTag);
    }
}

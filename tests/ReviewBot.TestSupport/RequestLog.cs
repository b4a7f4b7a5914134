using System.Collections.Concurrent;

namespace ReviewBot.TestSupport;

/// <summary>
/// The requests an HttpClient sent, in order (method and URL), from a handler put in its pipeline:
/// <c>services.AddHttpClient(name).AddHttpMessageHandler(log.Handler)</c>. How tests count what a cache saved.
/// </summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<(HttpMethod Method, Uri Uri)> _requests = new();

    public IReadOnlyList<(HttpMethod Method, Uri Uri)> Requests => [.. _requests];

    /// <summary>The paths asked for that contain <paramref name="part"/> (e.g. "/manifests/", "/blobs/").</summary>
    public int Count(string part) => _requests.Count(r => r.Uri.AbsolutePath.Contains(part, StringComparison.Ordinal));

    /// <summary>A new handler (the factory builds one per pipeline) that writes to this log.</summary>
    public DelegatingHandler Handler() => new Logging(this);

    private sealed class Logging(RequestLog log) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            log._requests.Enqueue((request.Method, request.RequestUri!));
            return base.SendAsync(request, cancellationToken);
        }
    }
}

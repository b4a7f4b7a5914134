using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;
using ReviewBot.App.Hosting;

namespace ReviewBot.App.Webhooks;

/// <summary>A webhook body that the door read whole and whose signature checked out.</summary>
internal sealed record SignedWebhookBody(byte[] Body);

/// <summary>
/// In front of the webhook endpoint and its work slots (the concurrency limiter): the client's network, the headers,
/// the body (size cap, deadline, Kestrel's minimum data rate) and the signature are checked first, so only a
/// delivery signed with our secret ever takes or waits for a slot. Before, a crowd of slow unsigned senders held all
/// 16 + 64 slots while trickling their bodies, and GitHub's deliveries got 503, which GitHub never sends again.
/// Each refusal is counted and logged by <see cref="WebhookRejections"/> (a sampled summary, not a line each), and
/// answered with <c>Connection: close</c>.
/// </summary>
internal sealed class WebhookDoor(RequestDelegate next, IOptions<WebhookOptions> options, IOptions<GitHubOptions> github, WebhookRejections rejections)
{
    private readonly IReadOnlyList<IPNetwork>? _networks = options.Value.Networks;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals(WebhookEndpoint.Path, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        if (_networks is { } networks && !IsAllowed(context.Connection.RemoteIpAddress, networks))
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, RejectionReason.Network);
            return;
        }

        var headers = context.Request.Headers;
        if (!WebhookEndpoint.IsEventName(headers["X-GitHub-Event"].ToString()) || !WebhookEndpoint.IsDeliveryId(headers["X-GitHub-Delivery"].ToString()))
        {
            // Unsigned header values: never logged, and never used as keys, in file names or in metrics.
            await RejectAsync(context, StatusCodes.Status400BadRequest, RejectionReason.Headers, "X-GitHub-Event and X-GitHub-Delivery are required and must look like GitHub's.");
            return;
        }

        if (context.Request.ContentLength > WebhookEndpoint.MaxPayloadBytes)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, RejectionReason.TooLarge);
            return;
        }

        var limits = options.Value;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = WebhookEndpoint.MaxPayloadBytes;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            try
            {
                rate.MinDataRate = new MinDataRate(limits.MinBodyDataRate, limits.MinBodyDataRateGrace);
            }
            catch (NotSupportedException)
            {
                // A protocol that has no per-request rate: the deadline below still holds.
            }
        }

        byte[]? body;
        using (var reading = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            reading.CancelAfter(limits.BodyReadTimeout);
            try
            {
                body = await ReadBodyAsync(context.Request, reading.Token);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                await RejectAsync(context, StatusCodes.Status408RequestTimeout, RejectionReason.TooSlow);
                return;
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
            {
                // Kestrel's own limits: the minimum data rate (408) or the size (413).
                await RejectAsync(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? RejectionReason.TooLarge : RejectionReason.TooSlow);
                return;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The client went away mid-body: nobody to answer.
                rejections.Record(RejectionReason.TooSlow);
                return;
            }
        }

        if (body is null)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, RejectionReason.TooLarge);
            return;
        }

        var verdict = WebhookSignatureValidator.Verify(headers["X-Hub-Signature-256"].ToString(), github.Value.WebhookSecret, body);
        if (verdict != WebhookSignatureValidationResult.Valid)
        {
            await RejectAsync(context, StatusCodes.Status401Unauthorized, RejectionReason.Signature);
            return;
        }

        context.Features.Set(new SignedWebhookBody(body));
        await next(context);
    }

    /// <summary>An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; the configured ranges are IPv4.</summary>
    private static bool IsAllowed(IPAddress? address, IReadOnlyList<IPNetwork> networks)
    {
        if (address is null)
        {
            return false;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(n => n.Contains(plain));
    }

    private Task RejectAsync(HttpContext context, int status, RejectionReason reason, string? text = null)
    {
        rejections.Record(reason);
        context.Response.StatusCode = status;
        // A stranger's connection is not kept: Kestrel would otherwise drain the rest of a slow body to reuse it.
        context.Response.Headers.Connection = "close";
        return text is null ? Task.CompletedTask : context.Response.WriteAsync(text);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var rented = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(rented, cancellationToken)) > 0)
            {
                if (buffer.WrittenCount + read > WebhookEndpoint.MaxPayloadBytes)
                {
                    return null;
                }

                buffer.Write(rented.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return buffer.WrittenSpan.ToArray();
    }
}

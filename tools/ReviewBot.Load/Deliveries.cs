using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ReviewBot.Load;

/// <summary>
/// Real pull_request "opened" deliveries: GitHub's own example payload (npm @octokit/webhooks-examples,
/// installed by `npm ci`), varied only in the pull request number and head SHA, signed like GitHub signs.
/// </summary>
public sealed class Deliveries
{
    private readonly JsonNode _template;
    private readonly string _secret;

    public Deliveries(string secret)
    {
        _secret = secret;
        _template = WebhookExamples.Example("pull_request", "opened", e => e["installation"] is not null);
    }

    public byte[] Body(int number)
    {
        var payload = _template.DeepClone();
        payload["number"] = number;
        payload["pull_request"]!["number"] = number;
        payload["pull_request"]!["head"]!["sha"] = LoadGitHub.HeadSha(number);
        payload["pull_request"]!["draft"] = false;
        payload["pull_request"]!["state"] = "open";
        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    public string Sign(byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), body));

    /// <summary>Posts one delivery; returns the status and how long the App took to answer.</summary>
    public async Task<(HttpStatusCode Status, TimeSpan Ack)> SendAsync(HttpClient http, string appUrl, string deliveryId, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, appUrl + "/api/github/webhooks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-Hub-Signature-256", Sign(body));
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/load");
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request);
            return (response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException)
        {
            return (0, Stopwatch.GetElapsedTime(started));
        }
    }
}

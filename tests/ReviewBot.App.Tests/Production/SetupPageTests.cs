using System.Net;
using System.Text.Json.Nodes;
using System.Web;
using ReviewBot.App.Setup;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ReviewBot.App.Tests.Production;

/// <summary>
/// The one-click App registration, end to end in headless Chromium: our /setup page posts the manifest to
/// "GitHub" (WireMock playing both github.com's form and the API), GitHub redirects back with a code, and
/// the page shows the id, key and secret from the conversion exactly once.
/// </summary>
public sealed class SetupPageTests : IAsyncLifetime
{
    private const string Code = "a1b2c3d4e5";
    private const string Pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAtestkeymaterial0123456789\n-----END RSA PRIVATE KEY-----\n";
    private const string NewSecret = "6f1d0c0ffee-webhook-secret";

    private readonly WireMockServer _gitHub = WireMockServer.Start();
    private TestApp _app = null!;
    private string _appUrl = "";

    public Task InitializeAsync()
    {
        _app = FirstRun(new() { ["Setup:GitHubWebUrl"] = _gitHub.Url });
        _appUrl = _app.Start();

        // github.com's "new App from manifest" form: sends the browser back with a code and the same state.
        _gitHub.Given(Request.Create().WithPath("/settings/apps/new").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(302)
                .WithHeader("Location", _appUrl + "/setup/callback?code=" + Code + "&state={{request.query.state}}")
                .WithTransformer());
        _gitHub.Given(Request.Create().WithPath($"/api/v3/app-manifests/{Code}/conversions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new
            {
                id = 424242,
                slug = "reviewbot-acme",
                name = "ReviewBot (acme)",
                html_url = "https://github.com/apps/reviewbot-acme",
                client_id = "Iv1.abc",
                webhook_secret = NewSecret,
                pem = Pem,
            }));
        return Task.CompletedTask;
    }

    /// <summary>The service before the App exists: setup enabled, no App ID, no webhook secret.</summary>
    private TestApp FirstRun(Dictionary<string, string?> settings)
    {
        settings["Setup:Enabled"] = "true";
        settings["GitHub:AppId"] = null;
        settings["GitHub:WebhookSecret"] = null;
        settings["GitHub:ApiBaseUrl"] = _gitHub.Url + "/";
        return new TestApp(settings);
    }

    /// <summary>GET /setup with the given Host (and more) headers; the status and the manifest the form would post.</summary>
    private static async Task<(HttpStatusCode Status, string Body, JsonNode? Manifest)> SetupPageAsync(string appUrl, string host, params (string Name, string Value)[] headers)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, appUrl + "/setup");
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var field = System.Text.RegularExpressions.Regex.Match(body, "name=\"manifest\" value=\"([^\"]*)\"");
        return (response.StatusCode, body, field.Success ? JsonNode.Parse(WebUtility.HtmlDecode(field.Groups[1].Value)) : null);
    }

    [Fact]
    public async Task Setup_is_not_served_once_the_app_exists_even_if_still_enabled()
    {
        await using var configured = new TestApp(new() { ["Setup:Enabled"] = "true", ["Setup:PublicUrl"] = "https://reviewbot.example.com/" });
        var url = configured.Start();
        using var client = new HttpClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url + "/setup")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url + $"/setup/callback?code={Code}&state=x")).StatusCode);
        Assert.DoesNotContain(_gitHub.LogEntries, e => e.RequestMessage.Path.EndsWith("/conversions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_foreign_host_header_never_becomes_the_apps_address()
    {
        var uri = new Uri(_appUrl);

        var spoofed = await SetupPageAsync(_appUrl, "evil.example");
        var forwarded = await SetupPageAsync(_appUrl, uri.Authority, ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "https"));

        Assert.Equal(HttpStatusCode.BadRequest, spoofed.Status);
        Assert.Null(spoofed.Manifest);
        Assert.Contains("Setup__PublicUrl", spoofed.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", spoofed.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, forwarded.Status); // forwarded headers are not trusted: the loopback address stands
        Assert.Equal(_appUrl + "/api/github/webhooks", forwarded.Manifest!["hook_attributes"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_configured_public_url_is_used_whatever_host_the_request_names()
    {
        await using var app = FirstRun(new() { ["Setup:PublicUrl"] = "https://reviewbot.example.com/" });
        var url = app.Start();

        var page = await SetupPageAsync(url, "evil.example");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("https://reviewbot.example.com/api/github/webhooks", page.Manifest!["hook_attributes"]!["url"]!.GetValue<string>());
        Assert.Equal("https://reviewbot.example.com/setup/callback", page.Manifest["redirect_url"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _gitHub.Stop();
        _gitHub.Dispose();
    }

    [Fact]
    public async Task Operator_creates_the_app_in_one_click_and_sees_its_secrets_once()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(_appUrl + "/setup");
        await browser.WaitForAsync("document.getElementById('create-app')");

        var action = (await browser.EvaluateAsync("document.getElementById('create-app').action"))!.GetValue<string>();
        Assert.StartsWith(_gitHub.Url + "/settings/apps/new?state=", action, StringComparison.Ordinal);
        var manifest = JsonNode.Parse((await browser.EvaluateAsync("document.querySelector('input[name=manifest]').value"))!.GetValue<string>())!;
        Assert.Equal(_appUrl + "/api/github/webhooks", manifest["hook_attributes"]!["url"]!.GetValue<string>());
        Assert.Equal(_appUrl + "/setup/callback", manifest["redirect_url"]!.GetValue<string>());
        Assert.False(manifest["public"]!.GetValue<bool>());
        Assert.Equal(["pull_request", "check_run", "check_suite", "push"], manifest["default_events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal("write", manifest["default_permissions"]!["pull_requests"]!.GetValue<string>());

        await browser.EvaluateAsync("document.querySelector('#create-app button').click()");
        await browser.WaitForAsync("document.getElementById('app-id')");

        Assert.Equal("424242", (await browser.EvaluateAsync("document.getElementById('app-id').textContent"))!.GetValue<string>());
        Assert.Equal(NewSecret, (await browser.EvaluateAsync("document.getElementById('webhook-secret').textContent"))!.GetValue<string>());
        Assert.Equal(Pem, (await browser.EvaluateAsync("document.getElementById('private-key').value"))!.GetValue<string>());

        // GitHub got the manifest we showed, as the form field "manifest".
        var posted = _gitHub.LogEntries.Single(e => e.RequestMessage.Path == "/settings/apps/new");
        var form = HttpUtility.ParseQueryString(posted.RequestMessage.Body!);
        Assert.Equal(manifest.ToJsonString(), JsonNode.Parse(form["manifest"]!)!.ToJsonString());
        Assert.Single(_gitHub.LogEntries, e => e.RequestMessage.Path.EndsWith("/conversions", StringComparison.Ordinal));

        // Once: reloading the callback finds no state cookie and does not exchange the code again.
        await browser.EvaluateAsync("location.reload()");
        await browser.WaitForAsync("document.body.innerText.includes('not started here')");
        Assert.Single(_gitHub.LogEntries, e => e.RequestMessage.Path.EndsWith("/conversions", StringComparison.Ordinal));

        Assert.DoesNotContain(_app.Logs.Lines, line => line.Contains(NewSecret, StringComparison.Ordinal) || line.Contains("testkeymaterial", StringComparison.Ordinal));
        Assert.Contains(_app.Logs.Lines, line => line.Contains("424242", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Callback_with_a_forged_state_exchanges_nothing()
    {
        using var client = new HttpClient();
        var response = await client.GetAsync($"{_appUrl}/setup/callback?code={Code}&state=forged");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(_gitHub.LogEntries, e => e.RequestMessage.Path.EndsWith("/conversions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Setup_page_is_off_unless_enabled()
    {
        await using var app = new TestApp([]);
        var url = app.Start();
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url + "/setup")).StatusCode);
    }

    /// <summary>The manifest conversion goes where every other call of the App goes (the client's one base-URL rule).</summary>
    [Theory]
    [InlineData("https://api.github.com/", "https://api.github.com/app-manifests/x/conversions")]
    [InlineData("https://github.com/", "https://api.github.com/app-manifests/x/conversions")]
    [InlineData("https://ghe.example.com/", "https://ghe.example.com/api/v3/app-manifests/x/conversions")]
    [InlineData("https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/app-manifests/x/conversions")]
    public void Api_address_is_the_clients_for_github_com_and_enterprise_hosts(string baseUrl, string expected) =>
        Assert.Equal(expected, SetupEndpoints.ApiUri(new Uri(baseUrl), "app-manifests/x/conversions").ToString());
}

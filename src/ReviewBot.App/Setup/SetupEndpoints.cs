using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ReviewBot.App.Hosting;
using ReviewBot.GitHub.Api;

namespace ReviewBot.App.Setup;

/// <summary>
/// GET /setup posts app-manifest.yml to GitHub's manifest flow; GitHub sends the operator back to
/// GET /setup/callback with a code, which we exchange (<c>POST /app-manifests/{code}/conversions</c>) for
/// the App's id, private key and webhook secret, shown once with what to do with them. As Probot does.
/// </summary>
public static class SetupEndpoints
{
    private const string StateCookie = "reviewbot-setup-state";

    /// <summary>GitHub: a manifest code can be exchanged within one hour; our state cookie lives as long.</summary>
    private static readonly TimeSpan StateLifetime = TimeSpan.FromHours(1);

    public static IServiceCollection AddReviewBotSetup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SetupOptions>().Bind(configuration.GetSection(SetupOptions.Section)).ValidateOnStart();
        services.AddOptions<Onboarding.OnboardingOptions>().Bind(configuration.GetSection(Onboarding.OnboardingOptions.Section));

        // Only GitHub:ApiBaseUrl is used here (the manifest conversion); the App's own settings do not exist yet.
        services.AddOptions<GitHubOptions>().Bind(configuration.GetSection(GitHubOptions.Section));
        services.AddHttpClient(nameof(SetupEndpoints));
        return services;
    }

    public static IEndpointRouteBuilder MapReviewBotSetup(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<SetupOptions>>().Value;
        if (options.Enabled)
        {
            app.MapGet("/setup", ShowForm);
            app.MapGet(AppManifest.CallbackPath, ExchangeAsync);
        }

        return app;
    }

    private static IResult ShowForm(HttpContext context, IOptions<SetupOptions> options, IOptions<Onboarding.OnboardingOptions> onboarding, IWebHostEnvironment environment, string? org)
    {
        var setup = options.Value;
        if (PublicUrl(context.Request, setup) is not { } publicUrl)
        {
            return Page(context, "Set the public address",
                "<h1>Set <code>Setup__PublicUrl</code></h1><p>The App's webhook and redirect addresses are taken from <code>Setup:PublicUrl</code>, "
                + "never from the address a request claims to be for. Set it to this service's public address (e.g. <code>https://reviewbot.example.com/</code>) and restart; "
                + "only on this machine (localhost) is it optional.</p>",
                StatusCodes.Status400BadRequest);
        }

        var manifest = AppManifest.Load(File.ReadAllText(FindManifest(setup.ManifestPath, environment)), publicUrl, onboarding.Value.Enabled);

        var state = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        context.Response.Cookies.Append(StateCookie, state, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax, // GitHub's redirect back is a top-level GET: Lax cookies come along
            Path = "/setup",
            MaxAge = StateLifetime,
        });

        var web = setup.GitHubWebUrl.ToString().TrimEnd('/');
        var target = string.IsNullOrWhiteSpace(org)
            ? $"{web}/settings/apps/new?state={state}"
            : $"{web}/organizations/{Uri.EscapeDataString(org)}/settings/apps/new?state={state}";
        var html = HtmlEncoder.Default;
        var name = manifest["name"]?.GetValue<string>() ?? "ReviewBot";
        var body = $"""
            <h1>Create the {html.Encode(name)} GitHub App</h1>
            <p>This registers a new GitHub App {(string.IsNullOrWhiteSpace(org) ? "on your account" : "in the organization <b>" + html.Encode(org) + "</b>")}
            with the permissions and events in <code>app-manifest.yml</code>. Its webhooks will go to
            <code>{html.Encode(manifest["hook_attributes"]!["url"]!.GetValue<string>())}</code>.
            To create it in an organization, open <code>/setup?org=ORGANIZATION</code>.</p>
            <form id="create-app" method="post" action="{html.Encode(target)}">
              <input type="hidden" name="manifest" value="{html.Encode(manifest.ToJsonString())}">
              <button type="submit">Create GitHub App</button>
            </form>
            """;
        return Page(context, "Create the GitHub App", body);
    }

    private static async Task<IResult> ExchangeAsync(
        HttpContext context, string? code, string? state, IOptions<GitHubOptions> gitHub, IHttpClientFactory clients, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SetupEndpoints).FullName!);
        var expected = context.Request.Cookies[StateCookie];
        context.Response.Cookies.Delete(StateCookie, new CookieOptions { Path = "/setup" });
        if (string.IsNullOrEmpty(state) || expected is null
            || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(state), System.Text.Encoding.ASCII.GetBytes(expected)))
        {
            SetupLog.BadState(logger);
            return Page(context, "Setup link expired", "<h1>This setup link was not started here or has expired</h1><p><a href=\"/setup\">Start again</a>.</p>", StatusCodes.Status400BadRequest);
        }

        if (string.IsNullOrEmpty(code) || code.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
        {
            return Page(context, "No code", "<h1>GitHub did not send a code</h1><p><a href=\"/setup\">Start again</a>.</p>", StatusCodes.Status400BadRequest);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, ApiUri(gitHub.Value.ApiBaseUrl, $"app-manifests/{code}/conversions"));
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("ReviewBot-Setup");
        request.Headers.Add("X-GitHub-Api-Version", GitHubApiServiceCollectionExtensions.ApiVersion);
        using var response = await clients.CreateClient(nameof(SetupEndpoints)).SendAsync(request, context.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            SetupLog.ConversionFailed(logger, (int)response.StatusCode);
            return Page(context, "GitHub refused", $"<h1>GitHub refused the code (HTTP {(int)response.StatusCode})</h1><p>Codes are valid for one hour and only once. <a href=\"/setup\">Start again</a>.</p>", StatusCodes.Status502BadGateway);
        }

        var app = await response.Content.ReadFromJsonAsync(SetupJsonContext.Default.ManifestConversion, context.RequestAborted)
            ?? throw new JsonException("GitHub answered the conversion with null.");
        SetupLog.Created(logger, app.Id, app.Slug ?? "");
        return Page(context, "Your GitHub App", CreatedBody(app));
    }

    private static string CreatedBody(ManifestConversion app)
    {
        var html = HtmlEncoder.Default;
        var link = html.Encode(app.HtmlUrl ?? "");
        return $"""
            <h1>GitHub App <a href="{link}">{html.Encode(app.Name ?? app.Slug ?? "")}</a> created</h1>
            <p class="warn"><b>Copy these now.</b> They are shown only this once and the service keeps no copy.</p>
            <dl>
              <dt>App ID</dt><dd><code id="app-id">{app.Id}</code></dd>
              <dt>Webhook secret</dt><dd><code id="webhook-secret">{html.Encode(app.WebhookSecret ?? "")}</code></dd>
              <dt>Private key (PEM)</dt><dd><textarea id="private-key" rows="10" cols="70" readonly>{html.Encode(app.Pem ?? "")}</textarea></dd>
            </dl>
            <h2>Next</h2>
            <ol>
              <li>Save the key as <code>reviewbot.private-key.pem</code>.</li>
              <li>Configure the service: <code>GitHub__AppId={app.Id}</code>, <code>GitHub__WebhookSecret=…</code> and either
                  <code>GitHub__PrivateKeyPath=reviewbot.private-key.pem</code>, or in Azure import the key into Key Vault, non-exportable:
                  <code>az keyvault key import --vault-name VAULT --name github-app --pem-file reviewbot.private-key.pem</code>
                  and set <code>GitHub__SigningKeyUri</code> (see infra/README.md). Then delete the file.</li>
              <li>Install the App on your repositories: <a href="{link}/installations/new">{link}/installations/new</a>.</li>
              <li>Turn this page off: remove <code>Setup__Enabled</code>.</li>
            </ol>
            """;
    }

    /// <summary>
    /// The address GitHub will send webhooks and the operator to: <see cref="SetupOptions.PublicUrl"/>, or the
    /// request's own address when it names this machine (a first run on localhost). A Host header is anyone's to
    /// write (and X-Forwarded-Host too, unless a proxy is trusted), so any other host is refused: one that
    /// named another server would make the operator create an App whose webhooks and secrets go there.
    /// </summary>
    internal static Uri? PublicUrl(HttpRequest request, SetupOptions setup)
    {
        if (setup.PublicUrl is { } configured)
        {
            return configured;
        }

        var host = request.Host.Host;
        bool loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
        return loopback && request.Scheme is "http" or "https"
            ? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/")
            : null;
    }

    /// <summary>An address of GitHub's REST API under the one base-URL rule the App's client follows (<see cref="GitHubApiServiceCollectionExtensions.ApiRoot"/>).</summary>
    internal static Uri ApiUri(Uri apiBaseUrl, string relative) => new(GitHubApiServiceCollectionExtensions.ApiRoot(apiBaseUrl), relative);

    private static string FindManifest(string path, IWebHostEnvironment environment)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        foreach (var folder in new[] { environment.ContentRootPath, AppContext.BaseDirectory })
        {
            var candidate = Path.Combine(folder, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Setup:ManifestPath '{path}' was found neither in {environment.ContentRootPath} nor in {AppContext.BaseDirectory}.");
    }

    private static IResult Page(HttpContext context, string title, string body, int status = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action *; base-uri 'none'; frame-ancestors 'none'";
        const string Style = "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}code,textarea{font-family:ui-monospace,monospace}.warn{background:#fff5d6;padding:.5rem}dt{font-weight:bold;margin-top:.5rem}";
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{HtmlEncoder.Default.Encode(title)} · ReviewBot</title>
            <style>{Style}</style>
            </head><body>
            {body}
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}

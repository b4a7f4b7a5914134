using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Registry;

/// <summary>
/// Reads an image's config through the OCI distribution API: manifest (or index, then the platform's manifest) by
/// tag or digest, then the config blob; with the Bearer token flow Docker Hub, ghcr.io, mcr.microsoft.com, quay.io
/// and ECR Public use (anonymous without credentials), or basic auth. Every answer is capped and every digest checked.
/// </summary>
public sealed class RegistryClient(HttpClient http, RegistryOptions options)
{
    private readonly HttpClient _http = http;
    private readonly RegistryOptions _options = options;

    /// <summary>Where Docker Hub's API is: docker.io names images, registry-1.docker.io serves them.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    /// <summary>The host an image's registry is named by in settings: <c>docker.io</c> for Docker Hub.</summary>
    public static string HostOf(ImageReference image) => image.Registry ?? ImageReference.DockerHubHost;

    /// <summary>The repository as the API names it: Docker Hub's official images are <c>library/…</c>.</summary>
    public static string RepositoryOf(ImageReference image) =>
        image.Registry is null && !image.Repository.Contains('/', StringComparison.Ordinal) ? "library/" + image.Repository : image.Repository;

    /// <summary>The manifest digest <paramref name="image"/>'s tag or digest names, and the platform manifest's config.</summary>
    /// <param name="image">The image.</param>
    /// <param name="platform"><c>os/arch[/variant]</c>, picked from an index.</param>
    /// <param name="cancellationToken">The image's budget.</param>
    /// <param name="installationCredential">
    /// The installation's own credential for this image (<see cref="GitHubPackagesAccess"/>), used instead of the
    /// configured one, and sent only to the registry's own host: never to a token realm elsewhere.
    /// </param>
    /// <param name="known">
    /// The config already known for a manifest digest (a cache): asked once the top manifest's digest is read, so a tag
    /// that did not move costs one request, not three.
    /// </param>
    public async Task<(string Digest, RegistryImageConfig Config)> ReadConfigAsync(ImageReference image, string platform, CancellationToken cancellationToken, RegistryCredential? installationCredential = null, Func<string, ValueTask<RegistryImageConfig?>>? known = null)
    {
        string host = HostOf(image);
        if (!_options.Allows(host))
        {
            throw new RegistryRefusedException($"{host} is not a registry ReviewBot may read (Images:Registries).");
        }

        var session = new Session(this, host, RepositoryOf(image), installationCredential);
        string reference = image.Digest ?? image.Tag ?? "latest";
        var (topDigest, manifest) = await session.ManifestAsync(reference, image.Digest, cancellationToken).ConfigureAwait(false);
        if (known is not null && await known(topDigest).ConfigureAwait(false) is { } config)
        {
            return (topDigest, config);
        }

        if (manifest.Manifests is { } entries)
        {
            var chosen = Choose(entries, platform)
                ?? throw new RegistryException($"{image} has no image for {platform} (it has {string.Join(", ", entries.Select(e => Describe(e.Platform)))}).");
            (_, manifest) = await session.ManifestAsync(chosen.Digest!, chosen.Digest, cancellationToken).ConfigureAwait(false);
        }

        if (manifest.Config is not { Digest: { } configDigest })
        {
            throw new RegistryException($"The manifest of {image} names no config.");
        }

        var bytes = await session.BlobAsync(configDigest, cancellationToken).ConfigureAwait(false);
        var document = JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.ImageConfigDocument)
            ?? throw new RegistryException($"The config of {image} is empty.");
        string? baseName = document.Config?.Labels is { } labels && labels.TryGetValue(RegistryImageConfig.BaseNameLabel, out var name) ? name : null;
        return (topDigest, new RegistryImageConfig(
            document.Config?.User ?? "",
            document.Os ?? "linux",
            [.. document.Config?.Env ?? []],
            baseName,
            topDigest));
    }

    private static string Describe(PlatformDocument? p) => p is null ? "?" : $"{p.Os}/{p.Architecture}{(p.Variant is null ? "" : "/" + p.Variant)}";

    /// <summary>The index entry for <paramref name="platform"/> (<c>os/arch[/variant]</c>); a missing variant matches any.</summary>
    internal static ManifestDescriptor? Choose(List<ManifestDescriptor> entries, string platform)
    {
        var parts = platform.ToLowerInvariant().Split('/');
        string os = parts[0], arch = parts.Length > 1 ? parts[1] : "amd64";
        string? variant = parts.Length > 2 ? parts[2] : null;
        return entries.FirstOrDefault(e => e.Digest is not null
            && string.Equals(e.Platform?.Os, os, StringComparison.OrdinalIgnoreCase)
            && string.Equals(e.Platform?.Architecture, arch, StringComparison.OrdinalIgnoreCase)
            && (variant is null || string.Equals(e.Platform?.Variant, variant, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>One image's requests: the base URL, and the token once the registry asked for one.</summary>
    private sealed class Session(RegistryClient client, string host, string repository, RegistryCredential? installationCredential)
    {
        private readonly Uri _root = new($"{(client._options.InsecureRegistries.Contains(host) ? "http" : "https")}://{(host == ImageReference.DockerHubHost ? DockerHubApiHost : host)}/v2/{repository}/");
        private AuthenticationHeaderValue? _authorization;

        public async Task<(string Digest, ManifestDocument Manifest)> ManifestAsync(string reference, string? expectedDigest, CancellationToken cancellationToken)
        {
            var (bytes, headers) = await GetAsync("manifests/" + reference, RegistryOptions.MaxManifestBytes, accept: true, cancellationToken).ConfigureAwait(false);
            string digest = Digest(bytes);
            if (expectedDigest is not null && expectedDigest.StartsWith("sha256:", StringComparison.Ordinal) && !string.Equals(digest, expectedDigest, StringComparison.OrdinalIgnoreCase))
            {
                throw new RegistryException($"The registry answered {repository}@{expectedDigest} with content of digest {digest}.");
            }

            var manifest = JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.ManifestDocument)
                ?? throw new RegistryException($"The manifest {repository}:{reference} is empty.");
            return (headers.TryGetValues("Docker-Content-Digest", out var values) && expectedDigest is null ? values.First() : digest, manifest);
        }

        public async Task<byte[]> BlobAsync(string digest, CancellationToken cancellationToken)
        {
            var (bytes, _) = await GetAsync("blobs/" + digest, RegistryOptions.MaxConfigBytes, accept: false, cancellationToken).ConfigureAwait(false);
            if (digest.StartsWith("sha256:", StringComparison.Ordinal) && !string.Equals(Digest(bytes), digest, StringComparison.OrdinalIgnoreCase))
            {
                throw new RegistryException($"The config blob {digest} of {repository} does not match its digest.");
            }

            return bytes;
        }

        private async Task<(byte[] Body, HttpResponseHeaders Headers)> GetAsync(string path, int maxBytes, bool accept, CancellationToken cancellationToken)
        {
            for (int attempt = 0; ; attempt++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_root, path));
                if (accept)
                {
                    foreach (var type in ManifestTypes)
                    {
                        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
                    }
                }

                request.Headers.Authorization = _authorization;
                using var response = await client._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && response.Headers.WwwAuthenticate.FirstOrDefault() is { } challenge)
                {
                    _authorization = await AuthorizeAsync(challenge, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new RegistryException($"{host} answered {(int)response.StatusCode} for {repository} {path.Split('/')[0]}.");
                }

                return (await ReadCappedAsync(response.Content, maxBytes, cancellationToken).ConfigureAwait(false), response.Headers);
            }
        }

        /// <summary>
        /// Docker's token flow: <c>WWW-Authenticate: Bearer realm=…,service=…,scope=…</c> → GET realm?service&amp;scope
        /// (with basic credentials when we have them) → <c>{"token"}</c>; a Basic challenge takes the credentials as they are.
        /// </summary>
        private async Task<AuthenticationHeaderValue?> AuthorizeAsync(AuthenticationHeaderValue challenge, CancellationToken cancellationToken)
        {
            var credential = installationCredential ?? client._options.Credentials.GetValueOrDefault(host);
            var basic = credential is null ? null : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));
            if (string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
            {
                return basic ?? throw new RegistryException($"{host} asks for credentials, and none are configured for it.");
            }

            var parameters = ParseChallenge(challenge.Parameter ?? "");
            if (!string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || !parameters.TryGetValue("realm", out var realm)
                || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("https" or "http"))
            {
                throw new RegistryException($"{host} asks for an authentication ReviewBot does not speak ({challenge.Scheme}).");
            }

            // A token over plain HTTP only from a registry that is itself read over HTTP.
            if (realmUri.Scheme == "http" && !client._options.InsecureRegistries.Contains(host))
            {
                throw new RegistryException($"{host} sends for a token over plain HTTP ({realmUri.Host}).");
            }

            // The installation's token is GitHub's, not the registry's: it goes to a realm on the registry's own host only
            // (ghcr.io's is https://ghcr.io/token); elsewhere the token is asked for anonymously.
            if (installationCredential is not null && !string.Equals(realmUri.Host, new Uri("https://" + host).Host, StringComparison.OrdinalIgnoreCase))
            {
                (credential, basic) = (null, null);
            }

            var query = new StringBuilder();
            if (parameters.TryGetValue("service", out var service))
            {
                query.Append("service=").Append(Uri.EscapeDataString(service));
            }

            query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(parameters.TryGetValue("scope", out var scope) ? scope : $"repository:{repository}:pull"));
            var builder = new UriBuilder(realmUri) { Query = (realmUri.Query.TrimStart('?') is { Length: > 0 } q ? q + "&" : "") + query };
            using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
            request.Headers.Authorization = basic;
            using var response = await client._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryException($"{host}'s token endpoint answered {(int)response.StatusCode}{(credential is null ? " (anonymous)" : "")}.");
            }

            var body = await ReadCappedAsync(response.Content, RegistryOptions.MaxTokenBytes, cancellationToken).ConfigureAwait(false);
            var token = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.TokenDocument);
            string? value = token?.Token ?? token?.AccessToken;
            return string.IsNullOrEmpty(value) ? throw new RegistryException($"{host}'s token endpoint gave no token.") : new AuthenticationHeaderValue("Bearer", value);
        }
    }

    /// <summary>The parameters of a challenge: <c>realm="…",service="…",scope="…"</c> (quoted values may hold commas).</summary>
    internal static Dictionary<string, string> ParseChallenge(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            int eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            string key = text[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                int close = text.IndexOf('"', i + 1);
                close = close < 0 ? text.Length : close;
                value = text[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                int comma = text.IndexOf(',', i);
                comma = comma < 0 ? text.Length : comma;
                value = text[i..comma].Trim();
                i = comma;
            }

            result[key] = value;
        }

        return result;
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is > 0 and var length && length > maxBytes)
        {
            throw new RegistryException($"An answer of {length} bytes is over ReviewBot's cap of {maxBytes}.");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new RegistryException($"An answer is over ReviewBot's cap of {maxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>A registry answered, but not with what ReviewBot can use; the message says why (no secrets).</summary>
public sealed class RegistryException(string message) : Exception(message);

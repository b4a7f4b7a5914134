using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Core;
using Microsoft.Extensions.Logging;
using ReviewBot.GitHub.Auth;

namespace ReviewBot.App.Secrets;

/// <summary>
/// Signs the App JWT with a non-exportable Azure Key Vault RSA key, so the private key never leaves the
/// vault: <c>POST {keyUri}/sign?api-version=7.4</c> with <c>{"alg":"RS256","value":base64url(SHA-256)}</c>
/// and a bearer token for Key Vault from the <see cref="TokenCredential"/> (managed identity in Azure).
/// </summary>
public sealed class KeyVaultKeySigner : IRs256Signer
{
    /// <summary>Key Vault REST API version of the "Sign" operation we call.</summary>
    public const string ApiVersion = "7.4";

    /// <summary>Azure AD scope of Key Vault's data plane.</summary>
    public const string Scope = "https://vault.azure.net/.default";

    /// <summary>Attempts on 429/5xx before giving up (Key Vault throttles per vault).</summary>
    private const int MaxAttempts = 4;

    /// <summary>Refresh our cached token this long before it expires.</summary>
    private static readonly TimeSpan TokenRefreshMargin = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly TokenCredential _credential;
    private readonly Uri _signUri;
    private readonly string _keyName;
    private readonly ILogger<KeyVaultKeySigner> _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private AccessToken _token;

    public KeyVaultKeySigner(HttpClient http, TokenCredential credential, Uri keyUri, ILogger<KeyVaultKeySigner> logger, TimeProvider? time = null)
    {
        _http = http;
        _credential = credential;
        _signUri = new Uri(keyUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/sign?api-version=" + ApiVersion);
        _keyName = keyUri.AbsolutePath.Trim('/').Split('/')[1];
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public async Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var request = new SignRequest("RS256", Base64Url.EncodeToString(SHA256.HashData(data.Span)));
        for (var attempt = 1; ; attempt++)
        {
            var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
            using var message = new HttpRequestMessage(HttpMethod.Post, _signUri)
            {
                Content = JsonContent.Create(request, KeyVaultJsonContext.Default.SignRequest),
            };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var result = await response.Content.ReadFromJsonAsync(KeyVaultJsonContext.Default.SignResult, cancellationToken).ConfigureAwait(false);
                if (result?.Value is not { Length: > 0 } value)
                {
                    throw new KeyVaultSigningException($"Key Vault key {_keyName} returned no signature.", (int)response.StatusCode, "EmptySignature");
                }

                KeyVaultLog.Signed(_logger, _keyName, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return Base64Url.DecodeFromChars(value);
            }

            var status = (int)response.StatusCode;
            var code = await ReadErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
            if (status == (int)HttpStatusCode.Unauthorized)
            {
                _token = default; // a revoked or rotated token: fetch a new one next time
            }

            var transient = status is 429 or >= 500 || (status == 401 && attempt == 1);
            if (!transient || attempt == MaxAttempts)
            {
                throw new KeyVaultSigningException($"Key Vault refused to sign with key {_keyName}: HTTP {status} ({code}).", status, code);
            }

            var delay = RetryDelay(response, attempt);
            KeyVaultLog.SignRetry(_logger, _keyName, status, code, delay);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        var asked = response.Headers.RetryAfter is { } after
            ? after.Delta ?? (after.Date - DateTimeOffset.UtcNow)
            : null;
        var delay = asked ?? TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }

    /// <summary>Key Vault's error code (e.g. Forbidden, KeyNotFound); its message may quote request data, so we keep only the code.</summary>
    private static async Task<string> ReadErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(KeyVaultJsonContext.Default.ErrorEnvelope, cancellationToken).ConfigureAwait(false);
            return error?.Error?.Code ?? "unknown";
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return "unknown";
        }
    }

    private async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token.Token is { } cached && _token.ExpiresOn - TokenRefreshMargin > _time.GetUtcNow())
        {
            return cached;
        }

        await _tokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token.Token is not { } current || _token.ExpiresOn - TokenRefreshMargin <= _time.GetUtcNow())
            {
                _token = await _credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false);
                current = _token.Token;
            }

            return current;
        }
        finally
        {
            _tokenGate.Release();
        }
    }
}

internal sealed record SignRequest(
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("value")] string Value);

internal sealed record SignResult(
    [property: JsonPropertyName("kid")] string? KeyId,
    [property: JsonPropertyName("value")] string? Value);

internal sealed record ErrorEnvelope([property: JsonPropertyName("error")] ErrorBody? Error);

internal sealed record ErrorBody([property: JsonPropertyName("code")] string? Code);

[JsonSerializable(typeof(SignRequest))]
[JsonSerializable(typeof(SignResult))]
[JsonSerializable(typeof(ErrorEnvelope))]
internal sealed partial class KeyVaultJsonContext : JsonSerializerContext;

using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReviewBot.GitHub.Auth;

namespace ReviewBot.App.Secrets;

/// <summary>Wiring for the App key in Azure Key Vault.</summary>
public static class KeyVaultServiceCollectionExtensions
{
    /// <summary>True when the configuration puts the App key in Key Vault.</summary>
    public static bool UsesKeyVaultSigning(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{KeyVaultSigningOptions.Section}:{nameof(KeyVaultSigningOptions.SigningKeyUri)}"]) ||
        !string.IsNullOrWhiteSpace(configuration[$"{KeyVaultSigningOptions.Section}:{nameof(KeyVaultSigningOptions.PrivateKeySecretUri)}"]);

    /// <summary>
    /// Registers the <see cref="IRs256Signer"/> that uses the Key Vault key or secret named in configuration,
    /// replacing any local-PEM signer. Credentials come from the registered <see cref="TokenCredential"/>,
    /// by default <see cref="DefaultAzureCredential"/> (managed identity in Azure).
    /// </summary>
    public static IServiceCollection AddKeyVaultSigning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeyVaultSigningOptions>()
            .Bind(configuration.GetSection(KeyVaultSigningOptions.Section))
            .Validate(o => o.IsConfigured, "GitHub:SigningKeyUri or GitHub:PrivateKeySecretUri is required to use Key Vault.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyVaultSigningOptions>>(new KeyVaultOptionsValidator());
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton(new SecretClientOptions());
        services.AddHttpClient(nameof(KeyVaultKeySigner));
        services.RemoveAll<IRs256Signer>();
        services.AddSingleton<IRs256Signer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KeyVaultSigningOptions>>().Value;
            var credential = sp.GetRequiredService<TokenCredential>();
            if (options.SigningKeyUri is { } keyUri)
            {
                var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(KeyVaultKeySigner));
                return new KeyVaultKeySigner(http, credential, keyUri, sp.GetRequiredService<ILogger<KeyVaultKeySigner>>(), sp.GetService<TimeProvider>());
            }

            var secretUri = options.PrivateKeySecretUri!;
            var vault = new KeyVaultSecretIdentifier(secretUri).VaultUri;
            var client = new SecretClient(vault, credential, sp.GetRequiredService<SecretClientOptions>());
            return new KeyVaultSecretSigner(client, secretUri, sp.GetRequiredService<ILogger<KeyVaultSecretSigner>>());
        });
        return services;
    }

    private sealed class KeyVaultOptionsValidator : IValidateOptions<KeyVaultSigningOptions>
    {
        public ValidateOptionsResult Validate(string? name, KeyVaultSigningOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

using Microsoft.Extensions.Options;

namespace ReviewBot.App.Hosting;

/// <summary>The key must be there and readable before the service takes any webhook.</summary>
internal sealed class GitHubOptionsValidator : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        var failures = new List<string>();
        bool inKeyVault = options.SigningKeyUri is not null || options.PrivateKeySecretUri is not null;
        if (string.IsNullOrWhiteSpace(options.PrivateKey) && string.IsNullOrWhiteSpace(options.PrivateKeyPath) && !inKeyVault)
        {
            failures.Add("GitHub:PrivateKey (PEM text) or GitHub:PrivateKeyPath (PEM file) is missing, and no Key Vault key (GitHub:SigningKeyUri) or secret (GitHub:PrivateKeySecretUri) is set: the App cannot sign its JWT without its private key.");
        }
        else if (!inKeyVault && string.IsNullOrWhiteSpace(options.PrivateKey) && !File.Exists(options.PrivateKeyPath))
        {
            failures.Add($"GitHub:PrivateKeyPath '{options.PrivateKeyPath}' does not exist.");
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri)
        {
            failures.Add("GitHub:ApiBaseUrl must be an absolute URL such as https://api.github.com/.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

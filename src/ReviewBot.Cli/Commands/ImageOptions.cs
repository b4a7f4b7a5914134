using System.Collections.Immutable;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Analysis.Images;
using ReviewBot.Registry;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>--resolve-images</c> and <c>--insecure-registry HOST:PORT</c>, shared by scan and review: the CLI stays offline
/// unless asked, and then reads base images ReviewBot does not know from their registries, with the credentials of
/// Docker's own config (its <c>auths</c>).
/// </summary>
internal sealed class ImageOptions
{
    public Option<bool> Resolve { get; } = new("--resolve-images")
    {
        Description = "Read what base images ReviewBot does not know run as from their registries (needs the network).",
    };

    public Option<string[]> Insecure { get; } = new("--insecure-registry")
    {
        Description = "A registry (HOST:PORT) read over plain HTTP, which may be on a private or loopback address; repeatable.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Resolve);
        command.Options.Add(Insecure);
    }

    /// <summary>The resolver the flags ask for, or null (offline).</summary>
    public static ImageResolver? Create(CliConsole console, bool resolve, string[] insecure)
    {
        if (!resolve)
        {
            return null;
        }

        var credentials = ImmutableDictionary.Create<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        var path = DockerConfig.DefaultPath(console.GetEnvironmentVariable);
        if (File.Exists(path))
        {
            try
            {
                credentials = DockerConfig.ParseAuths(File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                console.Error.WriteLine($"reviewbot: {path} could not be read ({e.GetType().Name}); registries are read anonymously");
            }
        }

        var options = new RegistryOptions
        {
            Registries = null, // the user asked: any registry, but a private address only when listed
            InsecureRegistries = ImmutableHashSet.CreateRange(StringComparer.OrdinalIgnoreCase, insecure),
            Credentials = credentials,
        };
        var services = new ServiceCollection();
        services.AddRegistryClient(_ => options);
        return services.BuildServiceProvider().GetRequiredService<ImageResolver>();
    }

    /// <summary>Resolves the base images of <paramref name="texts"/>; notices go to standard error.</summary>
    public static ImageFacts ResolveForScan(CliConsole console, ImageResolver resolver, IEnumerable<string> texts, ImageFacts declared)
    {
        var resolution = resolver.ResolveAsync(texts, declared, CancellationToken.None).GetAwaiter().GetResult();
        foreach (var notice in resolution.Notices)
        {
            console.Error.WriteLine($"reviewbot: {notice}");
        }

        return resolution.Facts;
    }
}

using System.Collections.Immutable;
using ReviewBot.Analysis;
using ReviewBot.GitHub.Configuration;
using ReviewBot.GitHub.Review;

namespace ReviewBot.Cli.Review;

/// <summary>The planner's input read from a local git range, and the config it was read with.</summary>
public sealed record LocalReview(RepositoryConfig Config, IReadOnlyList<ReviewFile> Files, ImmutableArray<string> Notes)
{
    /// <summary>
    /// Reads the range the way the App reads a pull request: the config from the base (unless
    /// <paramref name="explicitConfig"/> is given), the changed Dockerfiles by the same patterns, deleted
    /// ones skipped, renames followed to the new path, each file's text at the head and its patch.
    /// Config problems become notes in the check and on <paramref name="error"/>, and defaults are used.
    /// </summary>
    public static async Task<LocalReview> ReadAsync(GitRepository repository, ReviewRange range, RepositoryConfig? explicitConfig, TextWriter error, CancellationToken cancellationToken)
    {
        var notes = ImmutableArray.CreateBuilder<string>();
        var config = explicitConfig ?? await ReadBaseConfigAsync(repository, range, notes, error, cancellationToken).ConfigureAwait(false);

        var analyzerOptions = config.ToAnalyzerOptions();
        var files = new List<ReviewFile>();
        var changed = await repository.ChangedFilesAsync(range.Base, range.Head, cancellationToken).ConfigureAwait(false);
        foreach (var file in changed.Where(f => !f.IsDeleted && config.IsIncluded(f.Path)))
        {
            var bytes = await repository.ReadFileAsync(range.Head, file.Path, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                // A submodule or a path git lists but cannot show as a file.
                notes.Add($"`{file.Path}` could not be read at {GitRepository.Short(range.Head)}.");
                continue;
            }

            var text = GitRepository.DecodeText(bytes);
            var patch = await repository.PatchAsync(range.Base, range.Head, file, cancellationToken).ConfigureAwait(false);
            var result = DockerfileAnalyzer.Analyze(text, analyzerOptions);
            files.Add(new ReviewFile(file.Path, text, result with { Findings = config.Apply(result.Findings) }, patch));
        }

        return new LocalReview(config, files, notes.ToImmutable());
    }

    /// <summary><c>.github/reviewbot.yml</c> at the base, so a branch cannot switch off its own gate.</summary>
    private static async Task<RepositoryConfig> ReadBaseConfigAsync(GitRepository repository, ReviewRange range, ImmutableArray<string>.Builder notes, TextWriter error, CancellationToken cancellationToken)
    {
        var bytes = await repository.ReadFileAsync(range.Base, RepositoryConfig.RepositoryPath, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return RepositoryConfig.Default;
        }

        var parsed = RepositoryConfig.Parse(GitRepository.DecodeText(bytes));
        foreach (var problem in parsed.Errors)
        {
            var note = $"`{RepositoryConfig.RepositoryPath}` on {range.BaseLabel}: {problem} (the default is used).";
            notes.Add(note);
            await error.WriteLineAsync("reviewbot: " + note).ConfigureAwait(false);
        }

        return parsed.Config;
    }
}

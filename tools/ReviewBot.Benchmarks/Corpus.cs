using System.Text;
using ReviewBot.Analysis;
using ReviewBot.TestSupport;

namespace ReviewBot.Benchmarks;

/// <summary>The shared corpus of real Dockerfiles (../shared/corpus beside the repository), read in place, never copied.</summary>
public sealed class Corpus
{
    private static readonly Lazy<Corpus?> Shared = new(() => SharedCorpus.Directory is { } dir ? Load(dir) : null);

    private Corpus(string directory, string[] texts, long bytes)
    {
        Directory = directory;
        Texts = texts;
        Bytes = bytes;
    }

    public string Directory { get; }

    /// <summary>Every Dockerfile's text, in a stable (ordinal path) order.</summary>
    public string[] Texts { get; }

    /// <summary>Total size of the files on disk, the numerator of MB/s.</summary>
    public long Bytes { get; }

    /// <summary>The corpus, loaded once per process; throws when it is absent (the entry point checks first).</summary>
    public static Corpus Instance => Shared.Value ?? throw new InvalidOperationException("The shared corpus is absent.");

    private static Corpus Load(string directory)
    {
        var paths = Walk(directory).Order(StringComparer.Ordinal).ToArray();
        var texts = new string[paths.Length];
        long bytes = 0;
        for (int i = 0; i < paths.Length; i++)
        {
            var content = File.ReadAllBytes(paths[i]);
            bytes += content.Length;
            texts[i] = Encoding.UTF8.GetString(content);
        }

        return new Corpus(directory, texts, bytes);
    }

    /// <summary>The same files `reviewbot scan` picks in a folder.</summary>
    private static IEnumerable<string> Walk(string directory)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(directory))
        {
            if (DockerfileNames.IsDockerfile(file))
            {
                yield return file;
            }
        }

        foreach (var sub in System.IO.Directory.EnumerateDirectories(directory))
        {
            if (!DockerfileNames.SkippedFolders.Contains(Path.GetFileName(sub)))
            {
                foreach (var file in Walk(sub))
                {
                    yield return file;
                }
            }
        }
    }
}

namespace ReviewBot.Analysis.Tests;

/// <summary>Checks over the shared corpus of real Dockerfiles (<see cref="SharedCorpus"/>).</summary>
internal static class Corpus
{
    /// <summary>
    /// Runs <paramref name="check"/> on every corpus file's text; returns how many files were read and each problem
    /// found, prefixed with the file's path in the corpus.
    /// </summary>
    public static (int Files, List<string> Problems) Check(Func<string, IEnumerable<string>> check)
    {
        var problems = new List<string>();
        int files = 0;
        foreach (var path in SharedCorpus.Files())
        {
            files++;
            problems.AddRange(check(File.ReadAllText(path)).Select(p => $"{Path.GetRelativePath(SharedCorpus.Directory!, path)}: {p}"));
        }

        return (files, problems);
    }
}

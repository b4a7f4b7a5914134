using System.Collections.Immutable;
using System.Text;
using ReviewBot.GitHub.Api;

namespace ReviewBot.Cli.Review;

/// <summary>The git questions a local review asks: refs, the changed files, their patches and their text at a commit.</summary>
public sealed class GitRepository
{
    private readonly Git _git;

    private GitRepository(Git git) => _git = git;

    /// <summary>The repository's top-level folder; every path below is relative to it, as GitHub's are.</summary>
    public string Root => _git.WorkingDirectory;

    /// <summary>Opens the repository that <paramref name="folder"/> is in; throws <see cref="GitException"/> when it is not in one.</summary>
    public static async Task<GitRepository> OpenAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new GitException($"{folder}: no such folder");
        }

        var result = await new Git(folder).RunAsync(["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new GitException($"{folder} is not in a git repository ({result.Error})");
        }

        return new GitRepository(new Git(result.Text.TrimEnd('\n', '\r')));
    }

    /// <summary>The full commit id <paramref name="reference"/> names, or null when it names no commit here.</summary>
    public async Task<string?> TryResolveCommitAsync(string reference, CancellationToken cancellationToken)
    {
        var result = await _git.RunAsync(["rev-parse", "--verify", "--quiet", "--end-of-options", reference + "^{commit}"], cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result.Text.Trim() : null;
    }

    public async Task<string> ResolveCommitAsync(string reference, CancellationToken cancellationToken) =>
        await TryResolveCommitAsync(reference, cancellationToken).ConfigureAwait(false)
        ?? throw new GitException($"unknown ref '{reference}' in {Root} (a shallow clone may lack it: fetch the full history, e.g. actions/checkout with fetch-depth: 0)");

    public async Task<string> MergeBaseAsync(string a, string b, CancellationToken cancellationToken)
    {
        var result = await _git.RunAsync(["merge-base", a, b], cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.Text.Trim()
            : throw new GitException($"{Short(a)} and {Short(b)} have no common ancestor; pass --base");
    }

    /// <summary>
    /// The files changed on <paramref name="head"/> since its merge-base with <paramref name="baseCommit"/>
    /// (<c>BASE...HEAD</c>, the same range a pull request shows), with renames followed.
    /// </summary>
    public async Task<IReadOnlyList<ChangedPath>> ChangedFilesAsync(string baseCommit, string head, CancellationToken cancellationToken)
    {
        var result = await _git.RunCheckedAsync(["diff", "--name-status", "-z", "--find-renames", "--no-ext-diff", "--no-textconv", $"{baseCommit}...{head}", "--"], cancellationToken).ConfigureAwait(false);
        var fields = result.Text.Split('\0');
        var files = new List<ChangedPath>();
        for (int i = 0; i + 1 < fields.Length; i += 2)
        {
            var status = fields[i];
            if (status.Length == 0)
            {
                break;
            }

            // Renames and copies (R100, C75) name the old path, then the new one.
            if (status[0] is 'R' or 'C' && i + 2 < fields.Length)
            {
                files.Add(new ChangedPath(status[0], fields[i + 2], fields[i + 1]));
                i++;
            }
            else
            {
                files.Add(new ChangedPath(status[0], fields[i + 1], null));
            }
        }

        return files;
    }

    /// <summary>
    /// The file's diff in the shape of GitHub's pull request file <c>patch</c>: the hunks only, without the
    /// <c>diff --git</c>/<c>---</c>/<c>+++</c> header and without a final newline. Empty when the file
    /// changed without a content change (a pure rename); null for a binary diff, as GitHub sends none.
    /// </summary>
    public async Task<string?> PatchAsync(string baseCommit, string head, ChangedPath file, CancellationToken cancellationToken)
    {
        List<string> arguments = ["diff", "--unified=3", "--find-renames", "--no-color", "--no-ext-diff", "--no-textconv", $"{baseCommit}...{head}", "--"];
        if (file.PreviousPath is not null)
        {
            arguments.Add(file.PreviousPath);
        }

        arguments.Add(file.Path);
        var text = (await _git.RunCheckedAsync(arguments, cancellationToken).ConfigureAwait(false)).Text;
        int hunks = text.StartsWith("@@", StringComparison.Ordinal) ? 0
            : text.IndexOf("\n@@", StringComparison.Ordinal) is var at and >= 0 ? at + 1 : -1;
        if (hunks < 0)
        {
            return text.Contains("Binary files ", StringComparison.Ordinal) ? null : "";
        }

        return text[hunks..].TrimEnd('\n');
    }

    /// <summary>The file's bytes at <paramref name="commit"/>, exactly as committed (no filters), or null when it has no such file.</summary>
    public async Task<byte[]?> ReadFileAsync(string commit, string path, CancellationToken cancellationToken)
    {
        var exists = await _git.RunAsync(["cat-file", "-e", $"{commit}:{path}"], cancellationToken).ConfigureAwait(false);
        if (exists.ExitCode != 0)
        {
            return null;
        }

        return (await _git.RunCheckedAsync(["cat-file", "blob", $"{commit}:{path}"], cancellationToken).ConfigureAwait(false)).Output;
    }

    /// <summary>
    /// The size of the file at <paramref name="commit"/> from the tree (its metadata, without reading the blob);
    /// null when there is no such file (or it is a folder or a submodule).
    /// </summary>
    public async Task<long?> FileSizeAsync(string commit, string path, CancellationToken cancellationToken)
    {
        // "<mode> blob <sha> <size>\t<path>"; --literal-pathspecs so a path's * or ? is not a pattern.
        var result = await _git.RunAsync(["--literal-pathspecs", "ls-tree", "-l", "--full-tree", "-z", commit, "--", path], cancellationToken).ConfigureAwait(false);
        var fields = result.Text.Split('\t')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return result.ExitCode == 0 && fields is [_, "blob", _, var size] && long.TryParse(size, System.Globalization.CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
    }

    /// <summary>Every path of <paramref name="commit"/>'s tree, folders too, with what git's mode says it is (a symbolic link is 120000).</summary>
    public async Task<RepositoryTree> TreeAsync(string commit, CancellationToken cancellationToken)
    {
        // "<mode> <type> <sha> <size>\t<path>\0" per entry (--long: the size, "-" for a folder, so a review keeps its text
        // budget before reading); -t lists the folders as well, so a link to a folder is told from a link to nothing.
        var result = await _git.RunCheckedAsync(["ls-tree", "-r", "-t", "-z", "--long", "--full-tree", commit], cancellationToken).ConfigureAwait(false);
        var entries = ImmutableArray.CreateBuilder<TreeEntry>();
        foreach (var line in result.Text.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            int tab = line.IndexOf('\t');
            int space = line.IndexOf(' ');
            if (tab > 0 && space > 0 && space < tab && RepositoryTree.Kind(line[..space]) is { } kind)
            {
                var fields = line[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                long? size = fields.Length == 4 && long.TryParse(fields[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
                entries.Add(new TreeEntry(line[(tab + 1)..], kind, size));
            }
        }

        return new RepositoryTree(entries.ToImmutable(), false);
    }

    /// <summary>Bytes as text the way the App reads GitHub's raw content: strict UTF-8, else Latin-1.</summary>
    public static string DecodeText(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    public static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}

using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using ReviewBot.Analysis;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Manifests;
using ReviewBot.Configuration;

namespace ReviewBot.Cli.Scanning;

/// <summary>Reads, analyzes and (with --fix) rewrites files in parallel; results keep the targets' order.</summary>
public sealed class Scanner(RepositoryConfig config, bool fix, Func<string, AnalyzerOptions, AnalysisResult> analyze)
{
    public Scanner(RepositoryConfig config, bool fix)
        : this(config, fix, DockerfileAnalyzer.Analyze)
    {
    }

    private readonly AnalyzerOptions _options = config.ToAnalyzerOptions();

    /// <summary>Base-image facts resolved before the scan (<c>--resolve-images</c>), over the config's own; null: the config's.</summary>
    public ReviewBot.Analysis.Images.ImageFacts? Images
    {
        get => _options.Images;
        init => _options = value is null ? _options : _options with { Images = value };
    }

    /// <summary>
    /// Files analyzed at once: the walking thread, once the walk is done, and <c>MaxParallelism - 1</c> threads of
    /// the scan's own. The work is CPU-bound, so more threads than cores only add switching and memory. 1 scans
    /// sequentially; either way the report keeps the targets' order.
    /// </summary>
    public int MaxParallelism
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "at least 1 file at a time");
    } = Environment.ProcessorCount;

    /// <summary>
    /// Whether each report keeps its file's text (<see cref="FileReport.Text"/>): the text and SARIF formats show lines
    /// of it, JSON does not. Without it a scan of thousands of files holds none of their texts until the end, which the
    /// garbage collector would otherwise copy from generation to generation.
    /// </summary>
    public bool KeepText { get; init; } = true;

    /// <summary>
    /// Called with each report in the targets' order as soon as it and every report before it are done, so output
    /// can be written while later files are still analyzed. Called from any of the scan's threads, never two at once.
    /// The scan's result then keeps only what is left of each report once written (<see cref="FileReport.Written"/>).
    /// </summary>
    public Action<FileReport>? OnReport { get; init; }

    private int _scanned;

    /// <summary>How many targets have been scanned so far (read from any thread, for progress).</summary>
    public int Scanned => Volatile.Read(ref _scanned);

    /// <summary>
    /// Scans the targets as they come: <paramref name="targets"/> may be a folder walk still going on
    /// (<see cref="Scanning.ScanTarget.Enumerate"/>). The calling thread walks, and the scan's threads analyze the files
    /// listed so far; when the walk is done the calling thread analyzes too. Standard input is read once, by the
    /// walking thread, where it stands among the targets.
    /// </summary>
    public ScanReport Scan(IEnumerable<ScanTarget> targets, Func<Stream> openStandardInput, string currentDirectory)
    {
        var work = new WorkList();
        var threads = new Thread[MaxParallelism - 1];
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(() => Analyze(work)) { IsBackground = true, Name = "reviewbot scan" };
            threads[i].Start();
        }

        try
        {
            foreach (var target in targets)
            {
                work.Add(new Slot(target) { Report = target.IsStandardInput ? ScanStandardInput(target, openStandardInput) : null });
                // The walk lists folders far faster than their files are analyzed. Left to run ahead, it held every target
                // of a large tree at once (and the collector copied them from generation to generation); held to a short
                // backlog, the walking thread analyzes in between, and memory no longer grows with the tree.
                while (work.TryTakeBeyond(MaxBacklog * MaxParallelism, out var slot) && Analyze(work, slot))
                {
                }

                if (work.Failure is not null)
                {
                    break;
                }
            }
        }
        finally
        {
            // Also when the walk throws: the threads finish what is listed and stop, rather than wait forever.
            work.Complete();
        }

        Analyze(work);
        foreach (var thread in threads)
        {
            thread.Join();
        }

        work.Failure?.Throw();
        Publish(work);
        return new ScanReport([.. work.Slots.Select(s => s.Report!)], currentDirectory);
    }

    /// <summary>Targets listed and not yet taken, per thread, past which the walking thread analyzes rather than walks on.</summary>
    private const int MaxBacklog = 8;

    private void Analyze(WorkList work)
    {
        while (work.TryTake(out var slot) && Analyze(work, slot))
        {
        }
    }

    /// <summary>Scans one taken slot; false when the scan failed and every thread should stop.</summary>
    private bool Analyze(WorkList work, Slot slot)
    {
        try
        {
            // Taken before its report is written, so its target is still there.
            slot.Report ??= ScanTarget(slot.Target!);
            Interlocked.Increment(ref _scanned);
            Publish(work);
            return true;
        }
        catch (Exception ex)
        {
            // Only what the per-file handlers let through (out of memory): stop every thread and rethrow on the caller's.
            work.Fail(ExceptionDispatchInfo.Capture(ex));
            return false;
        }
    }

    /// <summary>
    /// Hands the reports that are ready, in order, to <see cref="OnReport"/>. A thread that finds another one publishing
    /// goes back to work: that one looks again before it stops, and the scan publishes what is left at the end.
    /// </summary>
    private void Publish(WorkList work)
    {
        if (OnReport is null)
        {
            return;
        }

        while (work.HasReadyReport && Monitor.TryEnter(work.PublishGate))
        {
            try
            {
                while (work.TakeReadyReport() is { } slot)
                {
                    OnReport(slot.Report!);
                    slot.Written(slot.Report!.Written());
                }
            }
            finally
            {
                Monitor.Exit(work.PublishGate);
            }
        }
    }

    /// <summary>One target and, once analyzed, its report: written by the one thread that took it.</summary>
    private sealed class Slot(ScanTarget target)
    {
        private FileReport? _report;

        /// <summary>
        /// The file to scan, let go of once its report is written: the slots last the whole scan, and a tree of
        /// 100,000 files held each one's paths to the end (~270 bytes a file, copied from generation to generation).
        /// </summary>
        public ScanTarget? Target { get; private set; } = target;

        /// <summary>What is kept of the report once written, in place of the report and the file it came from.</summary>
        public void Written(FileReport kept)
        {
            Report = kept;
            Target = null;
        }

        public FileReport? Report
        {
            get => Volatile.Read(ref _report);
            set => Volatile.Write(ref _report, value);
        }
    }

    /// <summary>
    /// The targets listed so far, in walk order, handed out one at a time, and their reports handed on in that order.
    /// A lock rather than concurrent collections: it is taken a few times per file against ~100 µs of analysis, and it
    /// lets a thread sleep (not spin) while the walk is behind.
    /// </summary>
    private sealed class WorkList
    {
        private readonly List<Slot> _slots = [];
        private int _next;
        private int _published;
        private bool _complete;

        /// <summary>Held while reports are handed out, so they go out one at a time and in order.</summary>
        public object PublishGate { get; } = new();

        public bool HasReadyReport
        {
            get
            {
                lock (_slots)
                {
                    return NextReport is not null;
                }
            }
        }

        /// <summary>The report next in order once it is done, else null. Only under the lock.</summary>
        private FileReport? NextReport => _published < _slots.Count ? _slots[_published].Report : null;

        public List<Slot> Slots => _slots;

        public ExceptionDispatchInfo? Failure { get; private set; }

        public void Add(Slot slot)
        {
            lock (_slots)
            {
                _slots.Add(slot);
                Monitor.Pulse(_slots);
            }
        }

        public void Complete()
        {
            lock (_slots)
            {
                _complete = true;
                Monitor.PulseAll(_slots);
            }
        }

        public void Fail(ExceptionDispatchInfo failure)
        {
            lock (_slots)
            {
                Failure ??= failure;
                _next = _slots.Count;
                _complete = true;
                Monitor.PulseAll(_slots);
            }
        }

        /// <summary>The next slot in order when its report is done, else null. Only under <see cref="PublishGate"/>.</summary>
        public Slot? TakeReadyReport()
        {
            lock (_slots)
            {
                if (NextReport is null)
                {
                    return null;
                }

                return _slots[_published++];
            }
        }

        /// <summary>Takes the next slot only when more than <paramref name="backlog"/> are waiting; never waits.</summary>
        public bool TryTakeBeyond(int backlog, out Slot slot)
        {
            lock (_slots)
            {
                if (_slots.Count - _next <= backlog || Failure is not null)
                {
                    slot = null!;
                    return false;
                }

                slot = _slots[_next++];
                return true;
            }
        }

        public bool TryTake(out Slot slot)
        {
            lock (_slots)
            {
                while (_next == _slots.Count && !_complete)
                {
                    Monitor.Wait(_slots);
                }

                if (_next == _slots.Count || Failure is not null)
                {
                    slot = null!;
                    return false;
                }

                slot = _slots[_next++];
                return true;
            }
        }
    }

    private FileReport ScanStandardInput(ScanTarget target, Func<Stream> openStandardInput)
    {
        byte[]? bytes;
        int length;
        try
        {
            using var input = openStandardInput();
            bytes = ReadAtMost((into, _) => input.Read(into), size: null, out length);
        }
        catch (IOException ex)
        {
            return FileReport.Unreadable(target.DisplayPath, null, $"cannot read: {ex.Message}");
        }

        return AnalyzeRented(target, bytes, length);
    }

    private FileReport ScanTarget(ScanTarget target)
    {
        if (target.Error is not null)
        {
            return FileReport.Unreadable(target.DisplayPath, target.FullPath, target.Error);
        }

        byte[]? bytes;
        int length;
        try
        {
            // Closed before the analysis: --fix replaces the file, which an open handle can stand in the way of.
            using var handle = File.OpenHandle(target.FullPath!, FileMode.Open, FileAccess.Read, FileShare.Read);
            FileStream? pipe = null;
            try
            {
                bytes = ReadAtMost((into, offset) => ReadAt(handle, ref pipe, into, offset), () => pipe is null ? RandomAccess.GetLength(handle) : 0, out length);
            }
            finally
            {
                pipe?.Dispose();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return FileReport.Unreadable(target.DisplayPath, target.FullPath, $"cannot read: {ex.Message}");
        }

        return AnalyzeRented(target, bytes, length);
    }

    /// <summary>
    /// The most a Dockerfile may be, in bytes: the engine's cap, as the App applies it to a file's size
    /// (<see cref="ReviewBot.GitHub.PullRequests.PullRequestReviewer.MaxFileBytes"/>). A larger file is not read past it:
    /// a named file of 200 MB was read whole (1.4 GB, 4 s) only for the parser to refuse it, and standard input or a
    /// pipe may never end.
    /// </summary>
    public const int MaxFileBytes = (int)ReviewBot.GitHub.PullRequests.PullRequestReviewer.MaxFileBytes;

    private static FileReport TooLarge(ScanTarget target) =>
        FileReport.Unreadable(target.DisplayPath, target.FullPath, $"larger than {MaxFileBytes / (1024 * 1024)} MiB, the most a Dockerfile may be, so not checked");

    /// <summary>The first read's buffer: most Dockerfiles fit (the corpus's largest is 15 KB); a larger file doubles it.</summary>
    private const int FirstReadSize = 16 * 1024;

    /// <summary>Reads into <paramref name="into"/> what is at <paramref name="offset"/>; 0 at the end.</summary>
    private delegate int Reader(Span<byte> into, long offset);

    /// <summary>
    /// All that <paramref name="read"/> gives, in a pooled buffer the caller returns (<see cref="AnalyzeRented"/>), or
    /// null once it is more than <see cref="MaxFileBytes"/>. The bytes are only decoded (and, with --fix, compared with
    /// the file before it is replaced), never kept past the analysis: a pooled buffer rather than a new array per file,
    /// for every new array is memory the garbage collector must find and the kernel must map. Read to the end rather
    /// than to a length: a named pipe (<c>reviewbot scan &lt;(…)</c>) and standard input have none.
    /// </summary>
    private static byte[]? ReadAtMost(Reader read, Func<long>? size, out int length)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(FirstReadSize);
        bool handedOver = false;
        length = 0;
        try
        {
            int count;
            // A byte past the cap at most: reading it tells a file over the cap from one at it.
            while ((count = read(buffer.AsSpan(length, Math.Min(buffer.Length, MaxFileBytes + 1) - length), length)) > 0)
            {
                length += count;
                if (length > MaxFileBytes)
                {
                    return null;
                }

                if (length == buffer.Length)
                {
                    // A file that fills the first buffer is sized once from its length (one fstat), a byte more so the
                    // read that finds its end has room: doubling from 16 KiB wrote a 4 MiB file into ten buffers, and
                    // the kernel mapped every page of them. What has no length (0) doubles.
                    long known = length == FirstReadSize && size is not null ? size() : 0;
                    if (known > MaxFileBytes)
                    {
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(2L * length, known + 1), MaxFileBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            handedOver = true;
            return buffer;
        }
        finally
        {
            if (!handedOver)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Analyzes what <see cref="ReadAtMost"/> read, then returns its buffer to the pool.</summary>
    private FileReport AnalyzeRented(ScanTarget target, byte[]? bytes, int length)
    {
        if (bytes is null)
        {
            return TooLarge(target);
        }

        try
        {
            return Analyze(target, bytes.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// Reads straight into <paramref name="into"/>: a file by offset (a FileStream would first ask the file's position,
    /// an lseek per file), a pipe (<c>reviewbot scan &lt;(…)</c>), which has no offsets and which RandomAccess refuses
    /// before reading anything, through an unbuffered stream from then on.
    /// </summary>
    private static int ReadAt(Microsoft.Win32.SafeHandles.SafeFileHandle handle, ref FileStream? pipe, Span<byte> into, long offset)
    {
        if (pipe is null)
        {
            try
            {
                return RandomAccess.Read(handle, into, offset);
            }
            catch (NotSupportedException)
            {
                pipe = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            }
        }

        return pipe.Read(into);
    }

    private FileReport Analyze(ScanTarget target, ReadOnlySpan<byte> bytes)
    {
        bool paused = LargeFilePause.Begin(bytes.Length);
        try
        {
            return AnalyzeOrThrow(target, bytes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One file the engine cannot handle must not stop the scan of the others.
            return FileReport.Unreadable(target.DisplayPath, target.FullPath, $"internal error: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            if (paused)
            {
                LargeFilePause.End();
            }
        }
    }

    private FileReport AnalyzeOrThrow(ScanTarget target, ReadOnlySpan<byte> bytes)
    {
        var text = SourceText.Decode(bytes, out var decodeError);
        if (text is null)
        {
            return FileReport.Unreadable(target.DisplayPath, target.FullPath, decodeError!);
        }

        var result = Run(target, text);
        if (!fix || target.FullPath is null)
        {
            return Report(target, text, result);
        }

        (var fixedText, result, int editCount, _) = FixApplier.FixAll(text, result, fixedText => Run(target, fixedText));
        if (editCount == 0)
        {
            return Report(target, text, result);
        }

        try
        {
            AtomicFile.Replace(target.FullPath, SourceText.Encode(fixedText), bytes, target.Root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not written: report the original findings so nothing looks fixed that is not.
            return Report(target, text, Run(target, text)) with { ReadError = $"{(ex is OutsideTreeException ? "not fixed" : "cannot write")}: {ex.Message}" };
        }

        return Report(target, fixedText, result) with { FixedEdits = editCount };
    }

    /// <summary>Analyzes a file's text under the config; the engine may read the entrypoint script it copies from beside it (<see cref="ContextFile"/>).</summary>
    private AnalysisResult Run(ScanTarget target, string text)
    {
        if (target is { Manifest: { } kind, Root: { } root, RelativePath: { } relative })
        {
            return RunManifest(kind, root, relative, text);
        }

        if (target.FullPath is not { } path)
        {
            return config.AnalyzeWithConfig(text, _options, analyze);
        }

        var mounts = target.Root is { } treeRoot ? _mounts.Of(treeRoot, path, target.ComposeFolders) : [];
        return config.AnalyzeWithConfig(text, _options with { ReadContextFile = ContextFile.Reader(path, target.Root), MountPaths = mounts, RootExpected = target.RootExpected }, analyze);
    }

    /// <summary>
    /// RB008: the Dockerfiles a manifest's containers are built from are read from the tree walked, never outside it.
    /// A method of its own: the variables its lambdas capture made a closure object for every file the scan analyzed.
    /// </summary>
    private AnalysisResult RunManifest(ManifestKind kind, string root, string relative, string text) =>
        config.AnalyzeWithConfig(text, _options, (manifestText, options) => ManifestAnalyzer.Analyze(kind, manifestText, c => ManifestLinks.DockerfileOf(relative, c, config) is { } dockerfile && ContextFile.Read(root, dockerfile) is { } built ? new BuiltImage(dockerfile, built) : null, options));

    private readonly ComposeMounts _mounts = new();

    private FileReport Report(ScanTarget target, string text, AnalysisResult result) =>
        new(target.DisplayPath, target.FullPath, KeepText ? text : null, Order(result.Findings), result.Diagnostics) { Omitted = result.Omitted };

    /// <summary>By line, then rule. Most files have no finding or one: they skip the sort and its allocations.</summary>
    private static ImmutableArray<Finding> Order(ImmutableArray<Finding> findings) =>
        findings.Length < 2 ? findings : [.. findings.OrderBy(f => f.Range.Start).ThenBy(f => f.RuleId, StringComparer.Ordinal)];
}

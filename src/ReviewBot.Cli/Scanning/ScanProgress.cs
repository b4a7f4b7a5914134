namespace ReviewBot.Cli.Scanning;

/// <summary>
/// "reviewbot: 12,345 files scanned…" on one line of a terminal, rewritten in place while a long scan runs, and
/// cleared when it ends. Nothing for a scan that ends within <see cref="QuietFor"/> (most do), so a quick scan's
/// terminal stays as it was; nothing at all when standard error is not a terminal (the caller decides that), so logs
/// and pipes never hold it.
/// </summary>
public sealed class ScanProgress : IDisposable
{
    /// <summary>How long a scan runs before it shows progress.</summary>
    public static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(1);

    /// <summary>How often the line is rewritten: often enough to look alive, rarely enough to cost nothing.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    private readonly TextWriter _error;
    private readonly Func<int> _scanned;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private bool _shown;
    private bool _done;

    public ScanProgress(TextWriter error, Func<int> scanned, TimeSpan? quietFor = null, TimeSpan? every = null)
    {
        _error = error;
        _scanned = scanned;
        _timer = new Timer(_ => Show(), null, quietFor ?? QuietFor, every ?? Every);
    }

    private void Show()
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            // \r and erase-to-end-of-line: the line is rewritten in place, shorter or longer.
            int scanned = _scanned();
            _error.Write($"\rreviewbot: {scanned:N0} {(scanned == 1 ? "file" : "files")} scanned…\x1b[K");
            _error.Flush();
            _shown = true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _done = true;
            if (_shown)
            {
                _error.Write("\r\x1b[K");
                _error.Flush();
            }
        }

        _timer.Dispose();
    }
}

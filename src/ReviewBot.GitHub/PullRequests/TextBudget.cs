namespace ReviewBot.GitHub.PullRequests;

/// <summary>
/// The Dockerfile text one process holds for all its reviews in flight (issue 20: twenty files of 3.9 MB took the
/// process to 1.1 GB). A review takes its files' sizes before it reads their texts and gives them back when it ends;
/// when the process is full it waits its turn (first come, first served, so a large review is not starved by small
/// ones), bounded by its own time budget. Waiting, not refusing: another tenant's load must not fail this pull
/// request's check.
/// </summary>
public sealed class TextBudget
{
    private readonly object _gate = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Granted)> _waiting = new();
    private long _held;
    private long _peak;

    /// <param name="limit">Bytes held at most; at least one review's own budget, or a review could never start.</param>
    public TextBudget(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, PullRequestReviewer.MaxReviewTextBytes);
        Limit = limit;
    }

    /// <summary>No bound but each review's own (the CLI and the Action: one review per process).</summary>
    public static TextBudget Unlimited { get; } = new(long.MaxValue);

    public long Limit { get; }

    /// <summary>Bytes held by reviews now.</summary>
    public long Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>The most ever held at once (for the measurement in tools/ReviewBot.Load and the tests).</summary>
    public long PeakHeld
    {
        get
        {
            lock (_gate)
            {
                return _peak;
            }
        }
    }

    /// <summary>A review's share: what it takes is given back, all of it, when the lease is disposed.</summary>
    public Lease Open() => new(this);

    private async Task TakeAsync(long bytes, CancellationToken cancellationToken)
    {
        LinkedListNode<(long Bytes, TaskCompletionSource Granted)> node;
        lock (_gate)
        {
            if (_waiting.Count == 0 && bytes <= Limit - _held)
            {
                Hold(bytes);
                return;
            }

            node = _waiting.AddLast((bytes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }

        using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (node.List is null)
                {
                    return; // granted already: the lease gives it back
                }

                _waiting.Remove(node);
                GrantWaiting(); // those behind it may fit now
            }

            node.Value.Granted.TrySetCanceled(cancellationToken);
        });
        await node.Value.Granted.Task.ConfigureAwait(false);
    }

    private void Give(long bytes)
    {
        lock (_gate)
        {
            _held -= bytes;
            GrantWaiting();
        }
    }

    /// <summary>Under the lock: grants the waiters at the front of the line while they fit.</summary>
    private void GrantWaiting()
    {
        while (_waiting.First is { } first && first.Value.Bytes <= Limit - _held)
        {
            _waiting.RemoveFirst();
            Hold(first.Value.Bytes);
            first.Value.Granted.TrySetResult();
        }
    }

    private void Hold(long bytes)
    {
        _held += bytes;
        _peak = Math.Max(_peak, _held);
    }

    /// <summary>One review's share of the process's budget.</summary>
    public sealed class Lease(TextBudget budget) : IDisposable
    {
        private long _taken;

        /// <summary>Bytes this lease holds.</summary>
        public long Taken => Interlocked.Read(ref _taken);

        /// <summary>Takes <paramref name="bytes"/> more, waiting while the process holds too much.</summary>
        public async Task TakeAsync(long bytes, CancellationToken cancellationToken)
        {
            if (bytes <= 0)
            {
                return;
            }

            // A review asks for at most its own budget at once, which the process's limit covers.
            await budget.TakeAsync(Math.Min(bytes, budget.Limit), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _taken, Math.Min(bytes, budget.Limit));
        }

        public void Dispose() => budget.Give(Interlocked.Exchange(ref _taken, 0));
    }
}

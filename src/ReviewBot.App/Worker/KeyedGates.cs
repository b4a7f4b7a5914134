namespace ReviewBot.App.Worker;

/// <summary>
/// One-at-a-time gates per key (a pull request, a branch), that exist only while some work holds or waits for one:
/// a gate is removed with the last work that used it, so a long-running App does not keep one for every pull request
/// it ever saw.
/// </summary>
internal sealed class KeyedGates
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _gates = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>Gates held or waited for now.</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>Waits for the key's gate; disposing the result releases it (and removes it when no one else waits).</summary>
    public async Task<IDisposable> EnterAsync(string key, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_sync)
        {
            var entry = _gates.TryGetValue(key, out var found) ? found : (new SemaphoreSlim(1, 1), 0);
            _gates[key] = (entry.Item1, entry.Item2 + 1);
            gate = entry.Item1;
        }

        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, entered: false);
            throw;
        }

        return new Entered(this, key);
    }

    private void Leave(string key, bool entered)
    {
        lock (_sync)
        {
            var (gate, users) = _gates[key];
            if (entered)
            {
                gate.Release();
            }

            if (users == 1)
            {
                _gates.Remove(key);
                gate.Dispose();
            }
            else
            {
                _gates[key] = (gate, users - 1);
            }
        }
    }

    private sealed class Entered(KeyedGates gates, string key) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                gates.Leave(key, entered: true);
            }
        }
    }
}

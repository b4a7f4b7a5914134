namespace ReviewBot.App.Azure;

/// <summary>
/// Creates storage resources (queues, tables) once, on first use. When creating fails (storage unreachable
/// at start), the next caller tries again instead of every caller failing for good.
/// </summary>
internal sealed class CreateOnce(Func<Task> create)
{
    private readonly Lock _lock = new();
    private Task? _created;

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        var created = _created;
        if (created is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        lock (_lock)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                _created = create();
            }

            created = _created;
        }

        return created.WaitAsync(cancellationToken);
    }
}

using Pipeline.Core.Storage;

namespace Pipeline.Tests.Storage;

/// <summary>A real store wrapped to count its page reads and its failed writes, so a test can tell that a fault really bit.</summary>
public sealed class CountingHistoryStore(IHistoryStore inner) : IHistoryStore
{
    private int _pagesRead;
    private int _failedAppends;

    public int PagesRead => Volatile.Read(ref _pagesRead);

    public int FailedAppends => Volatile.Read(ref _failedAppends);

    public string Description => inner.Description;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public async Task AppendAsync(IReadOnlyList<HistoryRow> rows, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.AppendAsync(rows, cancellationToken);
        }
        catch
        {
            Interlocked.Increment(ref _failedAppends);
            throw;
        }
    }

    public Task<HistoryPage> ReadPageAsync(HistoryQuery query, HistoryCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _pagesRead);
        return inner.ReadPageAsync(query, after, pageSize, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ReadCustomersAsync(int day, string? after, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadCustomersAsync(day, after, limit, cancellationToken);

    public Task<IReadOnlyList<DateOnly>> DropDaysBeforeAsync(int oldestKeptDay, CancellationToken cancellationToken = default) =>
        inner.DropDaysBeforeAsync(oldestKeptDay, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

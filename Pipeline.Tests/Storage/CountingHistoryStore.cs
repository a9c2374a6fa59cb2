using Pipeline.Core.Storage;

namespace Pipeline.Tests.Storage;

/// <summary>A real store wrapped to count its page reads, for the test that reading pages lazily.</summary>
public sealed class CountingHistoryStore(IHistoryStore inner) : IHistoryStore
{
    private int _pagesRead;

    public int PagesRead => Volatile.Read(ref _pagesRead);

    public string Description => inner.Description;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task AppendAsync(IReadOnlyList<HistoryRow> rows, CancellationToken cancellationToken = default) => inner.AppendAsync(rows, cancellationToken);

    public Task<HistoryPage> ReadPageAsync(HistoryQuery query, HistoryCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _pagesRead);
        return inner.ReadPageAsync(query, after, pageSize, cancellationToken);
    }

    public Task<IReadOnlyList<DateOnly>> DropDaysBeforeAsync(int oldestKeptDay, CancellationToken cancellationToken = default) =>
        inner.DropDaysBeforeAsync(oldestKeptDay, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

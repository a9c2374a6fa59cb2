using Pipeline.Core.Storage;

namespace Pipeline.Tests.Storage;

/// <summary>
/// A real store wrapped to count its page reads and its failed writes, so a test can tell that a fault really bit; and,
/// when asked, to fail the writer right after a batch became durable: the crash between storing a record and producing it.
/// </summary>
public sealed class CountingHistoryStore(IHistoryStore inner) : IHistoryStore
{
    private int _pagesRead;
    private int _failedAppends;
    private int _crashAfterStoring;

    /// <summary>The next batch is stored, and then its writer fails as if the process died before it could go on.</summary>
    public void CrashAfterNextStore() => Volatile.Write(ref _crashAfterStoring, 1);

    public int PagesRead => Volatile.Read(ref _pagesRead);

    public int FailedAppends => Volatile.Read(ref _failedAppends);

    public string Description => inner.Description;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public async Task<IReadOnlyList<HistoryConflict>> AppendAsync(IReadOnlyList<HistoryRow> rows, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<HistoryConflict> conflicts;
        try
        {
            conflicts = await inner.AppendAsync(rows, cancellationToken);
        }
        catch
        {
            Interlocked.Increment(ref _failedAppends);
            throw;
        }
        if (Interlocked.Exchange(ref _crashAfterStoring, 0) == 1)
            throw new ProcessCrashed();
        return conflicts;
    }

    /// <summary>Not a store error (the write retry does not retry it): the stream fails as a killed process would stop.</summary>
    public sealed class ProcessCrashed() : Exception("The process died after storing the batch and before producing it.");

    public Task<HistoryPage> ReadPageAsync(HistoryQuery query, HistoryCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _pagesRead);
        return inner.ReadPageAsync(query, after, pageSize, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ReadCustomersAsync(int day, string? after, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadCustomersAsync(day, after, limit, cancellationToken);

    public Task<IReadOnlyList<DroppedDay>> DropDaysBeforeAsync(int oldestKeptDay, CancellationToken cancellationToken = default) =>
        inner.DropDaysBeforeAsync(oldestKeptDay, cancellationToken);

    public Task<IReadOnlyList<int>> ReadRecordDaysAsync(CancellationToken cancellationToken = default) => inner.ReadRecordDaysAsync(cancellationToken);

    public Task<DateTimeOffset?> ReadNewestRecordTimeAsync(CancellationToken cancellationToken = default) => inner.ReadNewestRecordTimeAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

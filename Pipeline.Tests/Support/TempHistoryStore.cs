using Microsoft.Data.Sqlite;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.Sqlite;

namespace Pipeline.Tests.Support;

/// <summary>A real SQLite history store in a temporary directory, deleted on dispose.</summary>
public sealed class TempHistoryStore : IAsyncDisposable
{
    private TempHistoryStore(string directory, IHistoryStore store)
    {
        Directory = directory;
        Store = store;
    }

    public string Directory { get; }

    public IHistoryStore Store { get; }

    public static async Task<TempHistoryStore> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));
        var store = new SqliteHistoryStore(new SqliteStoreSettings(
            Path.Combine(directory, "history.db"), TimeSpan.FromSeconds(5), SqliteSynchronous.Normal));
        await store.InitializeAsync();
        return new TempHistoryStore(directory, store);
    }

    /// <summary>Every row of a customer in <paramref name="table"/>.</summary>
    public async Task<IReadOnlyList<HistoryRow>> ReadAllAsync(HistoryTable table, string customerId)
    {
        var query = new HistoryQuery(table, customerId, DateTimeOffset.UnixEpoch, new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var rows = new List<HistoryRow>();
        HistoryCursor? after = null;
        do
        {
            var page = await Store.ReadPageAsync(query, after, 1000);
            rows.AddRange(page.Rows);
            after = page.Next;
        } while (after is not null);
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a temp directory left behind does no harm */ }
    }
}

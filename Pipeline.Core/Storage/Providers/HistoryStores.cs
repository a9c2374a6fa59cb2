using Pipeline.Core.Storage.PostgreSql;
using Pipeline.Core.Storage.Sqlite;

namespace Pipeline.Core.Storage.Providers;

/// <summary>Opens the history store the settings choose.</summary>
public static class HistoryStores
{
    /// <summary>Creates the configured store and initializes its schema; the caller disposes it.</summary>
    public static async Task<IHistoryStore> OpenAsync(HistoryStoreSettings settings, CancellationToken cancellationToken = default)
    {
        IHistoryStore store = settings.Provider switch
        {
            StoreProvider.Sqlite => new SqliteHistoryStore(settings.Sqlite),
            StoreProvider.PostgreSql => new PostgreSqlHistoryStore(settings.PostgreSql),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "unknown store provider")
        };
        try
        {
            await store.InitializeAsync(cancellationToken);
            return store;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.DisposeAsync();
            throw new HistoryStoreUnavailableException(
                $"{store.Description} could not be opened: {e.GetType().Name}: {e.Message}. " +
                "Check pipeline.store.provider and that provider's settings, and that the database is running.", e);
        }
    }
}

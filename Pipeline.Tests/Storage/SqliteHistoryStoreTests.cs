using Microsoft.Data.Sqlite;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.Sqlite;

namespace Pipeline.Tests.Storage;

/// <summary>The history store contract on SQLite, each test on its own database file.</summary>
public sealed class SqliteHistoryStoreTests : HistoryStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pipeline-store-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "history.db");

    protected override Task<IHistoryStore> CreateStoreAsync() => Task.FromResult<IHistoryStore>(new SqliteHistoryStore(
        new SqliteStoreSettings(DatabasePath, Path.Combine(_directory, "entity-state.db"), TimeSpan.FromMilliseconds(200), SqliteSynchronous.Normal)));

    /// <summary>Another connection takes SQLite's exclusive write lock, as a second writer process would.</summary>
    protected override async Task<IAsyncDisposable> PauseStoreAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }
        return new LockHolder(connection);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { /* a temp directory left behind does no harm */ }
    }

    [Fact]
    public async Task The_database_file_is_in_wal_mode()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    private sealed class LockHolder(SqliteConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var rollback = connection.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }
}

using Microsoft.Data.Sqlite;

namespace Pipeline.Tests.Support;

/// <summary>SQLite's write lock held by a connection of its own, as a second writer process would hold it, until disposed.</summary>
internal sealed class SqliteWriteLock : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    private SqliteWriteLock(SqliteConnection connection) => _connection = connection;

    /// <summary>Takes the lock on <paramref name="databasePath"/>; readers go on (WAL mode), every other writer waits.</summary>
    public static async Task<SqliteWriteLock> TakeAsync(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync();
        return new SqliteWriteLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var rollback = _connection.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        await _connection.DisposeAsync();
    }
}

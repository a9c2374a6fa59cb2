using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Pipeline.Core.Storage.Sqlite;

/// <summary>
/// The embedded history store: one SQLite file in WAL mode. Each table's primary key is the Cassandra key
/// (customer id, day, event time, id) in a WITHOUT ROWID table, so a customer's day is stored contiguously
/// and a range read is one index range. Writes go through one connection, one transaction per batch.
/// </summary>
public sealed class SqliteHistoryStore : IHistoryStore
{
    private readonly SqliteStoreSettings _settings;
    private readonly string _connectionString;
    // SQLite allows one writer at a time; queueing batches here avoids busy-waiting on our own lock.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;

    /// <summary>Creates the store; nothing is opened until <see cref="InitializeAsync"/>.</summary>
    public SqliteHistoryStore(SqliteStoreSettings settings)
    {
        _settings = settings;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = settings.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(settings.BusyTimeout.TotalSeconds))
        }.ToString();
    }

    /// <inheritdoc />
    public string Description => $"SQLite history store ({_settings.Path})";

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(_settings.Path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            _writer ??= await OpenAsync(cancellationToken);
            await using var command = _writer.CreateCommand();
            command.CommandText = $"SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = '{CustomerDays}')";
            var customerDaysMissing = Convert.ToBoolean(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            // journal_mode is stored in the file; the tables are created only when missing. A file from before the
            // customers-by-day table gets it filled from the records once, when it is created.
            command.CommandText = $"""
                PRAGMA journal_mode=WAL;
                {CreateTable(HistoryTable.Records)}
                {CreateTable(HistoryTable.Outputs)}
                BEGIN;
                CREATE TABLE IF NOT EXISTS {CustomerDays} (
                    day INTEGER NOT NULL,
                    customer_id TEXT NOT NULL,
                    PRIMARY KEY (day, customer_id)
                ) WITHOUT ROWID;
                {(customerDaysMissing ? $"INSERT OR IGNORE INTO {CustomerDays} (day, customer_id) SELECT DISTINCT day, customer_id FROM {TableName(HistoryTable.Records)};" : "")}
                COMMIT;
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HistoryConflict>> AppendAsync(IReadOnlyList<HistoryRow> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0)
            return [];
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var writer = _writer ?? throw NotInitialized();
            var conflicts = new List<HistoryConflict>();
            await using var transaction = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken);
            var inserts = new Dictionary<HistoryTable, SqliteCommand>();
            await using var customerDay = PrepareCustomerDayInsert(writer, transaction);
            try
            {
                foreach (var row in rows)
                {
                    if (!inserts.TryGetValue(row.Table, out var insert))
                        inserts[row.Table] = insert = PrepareInsert(writer, transaction, row.Table);
                    insert.Parameters[0].Value = row.CustomerId;
                    insert.Parameters[1].Value = row.Day;
                    insert.Parameters[2].Value = row.EventTimeMillis;
                    insert.Parameters[3].Value = row.Id;
                    insert.Parameters[4].Value = row.Kind;
                    insert.Parameters[5].Value = row.Payload;
                    // No row inserted: the key is stored already. Only then is the stored row read, to tell a replay from a conflict.
                    if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0 &&
                        await ReadConflictAsync(writer, transaction, row, cancellationToken) is { } conflict)
                        conflicts.Add(conflict);
                    if (row.Table != HistoryTable.Records)
                        continue;
                    customerDay.Parameters[0].Value = row.Day;
                    customerDay.Parameters[1].Value = row.CustomerId;
                    await customerDay.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                return conflicts;
            }
            finally
            {
                foreach (var insert in inserts.Values)
                    await insert.DisposeAsync();
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static async Task<HistoryConflict?> ReadConflictAsync(
        SqliteConnection connection, SqliteTransaction transaction, HistoryRow row, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT kind, payload FROM {TableName(row.Table)} WHERE customer_id = $c AND day = $d AND event_time = $t AND id = $i";
        command.Parameters.AddWithValue("$c", row.CustomerId);
        command.Parameters.AddWithValue("$d", row.Day);
        command.Parameters.AddWithValue("$t", row.EventTimeMillis);
        command.Parameters.AddWithValue("$i", row.Id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var kind = reader.GetString(0);
        var payload = (byte[])reader.GetValue(1);
        return kind == row.Kind && payload.AsSpan().SequenceEqual(row.Payload) ? null : new HistoryConflict(row, kind, payload);
    }

    /// <inheritdoc />
    public async Task<HistoryPage> ReadPageAsync(HistoryQuery query, HistoryCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The day range keeps the read inside the customer's partitions of the query; the row-value
        // comparison continues after the cursor in clustering order.
        command.CommandText = $"""
            SELECT event_time, id, kind, payload FROM {TableName(query.Table)}
            WHERE customer_id = $customer AND day BETWEEN $firstDay AND $lastDay
              AND event_time >= $from AND event_time < $to
              AND (day, event_time, id) > ($afterDay, $afterTime, $afterId)
            ORDER BY day, event_time, id
            LIMIT $limit
            """;
        HistoryPageCommand.Bind(command, "$", query, after, pageSize);
        return await HistoryPageCommand.ReadAsync(command, query, pageSize, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ReadCustomersAsync(int day, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        return await HistoryPageCommand.ReadCustomersAsync(command, "$", CustomerDays, day, after, limit, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DroppedDay>> DropDaysBeforeAsync(int oldestKeptDay, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var writer = _writer ?? throw NotInitialized();
            var rowsPerDay = new SortedDictionary<int, long>();
            await using var transaction = (SqliteTransaction)await writer.BeginTransactionAsync(cancellationToken);
            foreach (var table in Enum.GetValues<HistoryTable>().Select(TableName).Append(CustomerDays))
            {
                // The embedded store has no partitions to drop; this delete walks the table once per expiry
                // run (daily), which suits development data sizes. PostgreSQL drops whole partitions instead.
                await using var command = writer.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"DELETE FROM {table} WHERE day < $day RETURNING day";
                command.Parameters.AddWithValue("$day", oldestKeptDay);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var day = reader.GetInt32(0);
                    // The customers-by-day table is an index of the records, not history: it names a day without adding rows.
                    rowsPerDay[day] = rowsPerDay.GetValueOrDefault(day) + (table == CustomerDays ? 0 : 1);
                }
            }
            await transaction.CommitAsync(cancellationToken);
            return rowsPerDay.Where(d => d.Value > 0).Select(d => new DroppedDay(DayBucket.Date(d.Key), d.Value)).ToList();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> ReadRecordDaysAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The customers-by-day table is keyed by day first, so this walks its index without reading the records.
        command.CommandText = $"SELECT DISTINCT day FROM {CustomerDays} ORDER BY day";
        var days = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            days.Add(reader.GetInt32(0));
        return days;
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> ReadNewestRecordTimeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT MAX(event_time) FROM {TableName(HistoryTable.Records)} WHERE day = (SELECT MAX(day) FROM {CustomerDays})";
        return await command.ExecuteScalarAsync(cancellationToken) is long millis ? DateTimeOffset.FromUnixTimeMilliseconds(millis) : null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync();
        try
        {
            if (_writer is not null)
                await _writer.DisposeAsync();
            _writer = null;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            // busy_timeout makes SQLite itself wait for another connection's lock instead of failing at once.
            pragmas.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout={(long)_settings.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous={_settings.Synchronous.ToString().ToUpperInvariant()};");
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static SqliteCommand PrepareInsert(SqliteConnection connection, SqliteTransaction transaction, HistoryTable table)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT OR IGNORE INTO {TableName(table)} (customer_id, day, event_time, id, kind, payload) VALUES ($c, $d, $t, $i, $k, $p)";
        foreach (var name in new[] { "$c", "$d", "$t", "$i", "$k", "$p" })
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    private static SqliteCommand PrepareCustomerDayInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT OR IGNORE INTO {CustomerDays} (day, customer_id) VALUES ($d, $c)";
        command.Parameters.Add(new SqliteParameter { ParameterName = "$d" });
        command.Parameters.Add(new SqliteParameter { ParameterName = "$c" });
        return command;
    }

    private static string CreateTable(HistoryTable table) => $"""
        CREATE TABLE IF NOT EXISTS {TableName(table)} (
            customer_id TEXT NOT NULL,
            day INTEGER NOT NULL,
            event_time INTEGER NOT NULL,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (customer_id, day, event_time, id)
        ) WITHOUT ROWID;
        """;

    // Partition key: day; clustering: customer id. Written with every record row, in the same transaction.
    private const string CustomerDays = "history_customer_days";

    private static string TableName(HistoryTable table) => table switch
    {
        HistoryTable.Records => "history_records",
        HistoryTable.Outputs => "history_outputs",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null)
    };

    private InvalidOperationException NotInitialized() =>
        new($"{Description} is not initialized: call InitializeAsync before writing.");
}

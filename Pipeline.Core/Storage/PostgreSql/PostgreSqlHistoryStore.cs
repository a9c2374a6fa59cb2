using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace Pipeline.Core.Storage.PostgreSql;

/// <summary>
/// The production history store: PostgreSQL tables partitioned by day (declarative partitioning), with
/// partitions created on demand for the days written and retention by dropping whole day partitions.
/// A batch is one multi-row <c>INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING</c> per table,
/// so a batch of any size costs one round trip and replays leave one row per key.
/// </summary>
public sealed class PostgreSqlHistoryStore : IHistoryStore
{
    // SQLSTATEs: the partition for a row is missing (dropped by another node's expiry), and the races
    // of two sessions creating the same partition at once.
    private const string NoPartitionForRow = "23514";
    private const string DuplicateTable = "42P07";
    private const string UniqueViolation = "23505";

    private readonly PostgreSqlStoreSettings _settings;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ConcurrentDictionary<(HistoryTable, int), bool> _knownPartitions = new();
    private readonly SemaphoreSlim _partitionGate = new(1, 1);

    /// <summary>Creates the store and its connection pool; nothing is contacted until <see cref="InitializeAsync"/>.</summary>
    public PostgreSqlHistoryStore(PostgreSqlStoreSettings settings)
    {
        _settings = settings;
        _dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
    }

    /// <inheritdoc />
    public string Description => $"PostgreSQL history store ({_settings.RedactedConnectionString}; schema {_settings.Schema})";

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // Several nodes may start at once: the advisory lock makes their idempotent DDL run one after another.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@key))", connection, transaction))
        {
            command.Parameters.AddWithValue("key", "pipeline.history.schema." + _settings.Schema);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand(PostgreSqlSchema.Create(_settings.Schema), connection, transaction))
            await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<HistoryRow> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0)
            return;
        foreach (var table in rows.Select(r => (r.Table, r.Day)).Distinct())
            await EnsurePartitionAsync(table.Table, table.Day, cancellationToken);
        try
        {
            await InsertAsync(rows, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == NoPartitionForRow)
        {
            // Another node's expiry dropped a partition this node had seen: forget them all and recreate.
            _knownPartitions.Clear();
            foreach (var table in rows.Select(r => (r.Table, r.Day)).Distinct())
                await EnsurePartitionAsync(table.Table, table.Day, cancellationToken);
            await InsertAsync(rows, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<HistoryPage> ReadPageAsync(HistoryQuery query, HistoryCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // The day range prunes the scan to the query's partitions; inside each partition the primary key
        // (customer, day, event time, id) is the index range that is read, already in order.
        await using var command = new NpgsqlCommand($"""
            SELECT event_time, id, kind, payload FROM {_settings.Schema}.{PostgreSqlNames.Table(query.Table)}
            WHERE customer_id = @customer AND day BETWEEN @firstDay AND @lastDay
              AND event_time >= @from AND event_time < @to
              AND (day, event_time, id) > (@afterDay, @afterTime, @afterId)
            ORDER BY day, event_time, id
            LIMIT @limit
            """, connection);
        HistoryPageCommand.Bind(command, "", query, after, pageSize);
        return await HistoryPageCommand.ReadAsync(command, query, pageSize, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DateOnly>> DropDaysBeforeAsync(int oldestKeptDay, CancellationToken cancellationToken = default)
    {
        var dropped = new SortedSet<DateOnly>();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var table in Enum.GetValues<HistoryTable>())
        {
            var expired = new List<(string Name, int Day)>();
            await using (var list = new NpgsqlCommand(PostgreSqlSchema.ListPartitions, connection))
            {
                list.Parameters.AddWithValue("schema", _settings.Schema);
                list.Parameters.AddWithValue("parent", PostgreSqlNames.Table(table));
                await using var reader = await list.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var name = reader.GetString(0);
                    if (PostgreSqlNames.DayOfPartition(table, name) is { } day && day < oldestKeptDay)
                        expired.Add((name, day));
                }
            }
            foreach (var (name, day) in expired)
            {
                // Dropping a partition removes a whole day at once: no row-by-row delete, no bloat, no vacuum.
                await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {_settings.Schema}.{name}", connection);
                await drop.ExecuteNonQueryAsync(cancellationToken);
                _knownPartitions.TryRemove((table, day), out _);
                dropped.Add(DayBucket.Date(day));
            }
        }
        return dropped.ToList();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => Description;

    private async Task InsertAsync(IReadOnlyList<HistoryRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var group in rows.GroupBy(r => r.Table))
            batch.BatchCommands.Add(InsertCommand(group.Key, group.ToList()));
        // A batch of several statements runs in one implicit transaction: all rows are stored or none.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlBatchCommand InsertCommand(HistoryTable table, List<HistoryRow> rows)
    {
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO {_settings.Schema}.{PostgreSqlNames.Table(table)} (customer_id, day, event_time, id, kind, payload)
            SELECT * FROM unnest(@customers, @days, @times, @ids, @kinds, @payloads)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(Array("customers", NpgsqlDbType.Text, rows.Select(r => r.CustomerId).ToArray()));
        command.Parameters.Add(Array("days", NpgsqlDbType.Integer, rows.Select(r => r.Day).ToArray()));
        command.Parameters.Add(Array("times", NpgsqlDbType.Bigint, rows.Select(r => r.EventTimeMillis).ToArray()));
        command.Parameters.Add(Array("ids", NpgsqlDbType.Text, rows.Select(r => r.Id).ToArray()));
        command.Parameters.Add(Array("kinds", NpgsqlDbType.Text, rows.Select(r => r.Kind).ToArray()));
        command.Parameters.Add(Array("payloads", NpgsqlDbType.Bytea, rows.Select(r => r.Payload).ToArray()));
        return command;
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, T[] values) =>
        new NpgsqlParameter<T[]>(name, NpgsqlDbType.Array | elementType) { TypedValue = values };

    private async Task EnsurePartitionAsync(HistoryTable table, int day, CancellationToken cancellationToken)
    {
        if (_knownPartitions.ContainsKey((table, day)))
            return;
        await _partitionGate.WaitAsync(cancellationToken);
        try
        {
            if (_knownPartitions.ContainsKey((table, day)))
                return;
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(PostgreSqlSchema.CreatePartition(_settings.Schema, table, day), connection);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is DuplicateTable or UniqueViolation)
            {
                // Another node created the same partition between our check and our create: it exists now.
            }
            _knownPartitions[(table, day)] = true;
        }
        finally
        {
            _partitionGate.Release();
        }
    }
}

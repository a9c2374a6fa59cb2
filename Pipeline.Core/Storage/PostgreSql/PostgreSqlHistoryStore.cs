using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace Pipeline.Core.Storage.PostgreSql;

/// <summary>
/// The production history store: PostgreSQL tables partitioned by day (declarative partitioning), with
/// partitions created on demand for the days written and retention by dropping whole day partitions.
/// A batch is one multi-row <c>INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING</c> per table (records, outputs,
/// and the customers of each day the records fall on), so a batch of any size costs one round trip and replays leave one row per key.
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
    private readonly ConcurrentDictionary<(string Parent, int Day), bool> _knownPartitions = new();
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
        bool customerDaysMissing;
        await using (var command = new NpgsqlCommand(PostgreSqlSchema.CustomerDaysMissing(_settings.Schema), connection, transaction))
            customerDaysMissing = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        await using (var command = new NpgsqlCommand(PostgreSqlSchema.Create(_settings.Schema), connection, transaction))
            await command.ExecuteNonQueryAsync(cancellationToken);
        if (customerDaysMissing)
            await FillCustomerDaysAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<HistoryRow> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0)
            return;
        var partitions = PartitionsOf(rows);
        foreach (var (parent, day) in partitions)
            await EnsurePartitionAsync(parent, day, cancellationToken);
        try
        {
            await InsertAsync(rows, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == NoPartitionForRow)
        {
            // Another node's expiry dropped a partition this node had seen: forget them all and recreate.
            _knownPartitions.Clear();
            foreach (var (parent, day) in partitions)
                await EnsurePartitionAsync(parent, day, cancellationToken);
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
    public async Task<IReadOnlyList<string>> ReadCustomersAsync(int day, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        return await HistoryPageCommand.ReadCustomersAsync(command, "@", $"{_settings.Schema}.{PostgreSqlNames.CustomerDays}", day, after, limit, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DateOnly>> DropDaysBeforeAsync(int oldestKeptDay, CancellationToken cancellationToken = default)
    {
        var dropped = new SortedSet<DateOnly>();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var parent in PostgreSqlNames.DayPartitioned)
        {
            var expired = new List<(string Name, int Day)>();
            await using (var list = new NpgsqlCommand(PostgreSqlSchema.ListPartitions, connection))
            {
                list.Parameters.AddWithValue("schema", _settings.Schema);
                list.Parameters.AddWithValue("parent", parent);
                await using var reader = await list.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var name = reader.GetString(0);
                    if (PostgreSqlNames.DayOfPartition(parent, name) is { } day && day < oldestKeptDay)
                        expired.Add((name, day));
                }
            }
            foreach (var (name, day) in expired)
            {
                // Dropping a partition removes a whole day at once: no row-by-row delete, no bloat, no vacuum.
                await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {_settings.Schema}.{name}", connection);
                await drop.ExecuteNonQueryAsync(cancellationToken);
                _knownPartitions.TryRemove((parent, day), out _);
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
        var customerDays = rows.Where(r => r.Table == HistoryTable.Records).Select(r => (r.Day, r.CustomerId)).Distinct().ToList();
        if (customerDays.Count > 0)
            batch.BatchCommands.Add(CustomerDaysCommand(customerDays));
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

    private NpgsqlBatchCommand CustomerDaysCommand(List<(int Day, string CustomerId)> customerDays)
    {
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO {_settings.Schema}.{PostgreSqlNames.CustomerDays} (day, customer_id)
            SELECT * FROM unnest(@days, @customers)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(Array("days", NpgsqlDbType.Integer, customerDays.Select(c => c.Day).ToArray()));
        command.Parameters.Add(Array("customers", NpgsqlDbType.Text, customerDays.Select(c => c.CustomerId).ToArray()));
        return command;
    }

    /// <summary>The day partitions a batch writes to: its tables' and, for records, the customers-by-day table's.</summary>
    private static List<(string Parent, int Day)> PartitionsOf(IReadOnlyList<HistoryRow> rows) =>
        rows.Select(r => (PostgreSqlNames.Table(r.Table), r.Day))
            .Concat(rows.Where(r => r.Table == HistoryTable.Records).Select(r => (PostgreSqlNames.CustomerDays, r.Day)))
            .Distinct()
            .ToList();

    private async Task FillCustomerDaysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var days = new List<int>();
        await using (var command = new NpgsqlCommand(PostgreSqlSchema.RecordDays(_settings.Schema), connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                days.Add(reader.GetInt32(0));
        }
        foreach (var day in days)
        {
            await using var create = new NpgsqlCommand(PostgreSqlSchema.CreatePartition(_settings.Schema, PostgreSqlNames.CustomerDays, day), connection, transaction);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var fill = new NpgsqlCommand(PostgreSqlSchema.FillCustomerDays(_settings.Schema), connection, transaction);
        await fill.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, T[] values) =>
        new NpgsqlParameter<T[]>(name, NpgsqlDbType.Array | elementType) { TypedValue = values };

    private async Task EnsurePartitionAsync(string parent, int day, CancellationToken cancellationToken)
    {
        if (_knownPartitions.ContainsKey((parent, day)))
            return;
        await _partitionGate.WaitAsync(cancellationToken);
        try
        {
            if (_knownPartitions.ContainsKey((parent, day)))
                return;
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(PostgreSqlSchema.CreatePartition(_settings.Schema, parent, day), connection);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is DuplicateTable or UniqueViolation)
            {
                // Another node created the same partition between our check and our create: it exists now.
            }
            _knownPartitions[(parent, day)] = true;
        }
        finally
        {
            _partitionGate.Release();
        }
    }
}

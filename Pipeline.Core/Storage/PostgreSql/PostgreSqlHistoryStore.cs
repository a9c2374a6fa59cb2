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
    public async Task<IReadOnlyList<HistoryConflict>> AppendAsync(IReadOnlyList<HistoryRow> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0)
            return [];
        var partitions = PartitionsOf(rows);
        foreach (var (parent, day) in partitions)
            await EnsurePartitionAsync(parent, day, cancellationToken);
        try
        {
            return await InsertAsync(rows, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == NoPartitionForRow)
        {
            // Another node's expiry dropped a partition this node had seen: forget them all and recreate.
            _knownPartitions.Clear();
            foreach (var (parent, day) in partitions)
                await EnsurePartitionAsync(parent, day, cancellationToken);
            return await InsertAsync(rows, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<HistoryPage> ReadPageAsync(HistoryQuery query, HistoryCursor? after, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(PageSql(_settings.Schema, query.Table), connection);
        HistoryPageCommand.Bind(command, "", query, after, pageSize);
        // Prepared once per pooled connection (Npgsql keeps it across pool returns): planning this query over some 70 day
        // partitions cost more than running it for a warm customer (docs/history-store.md).
        await command.PrepareAsync(cancellationToken);
        return await HistoryPageCommand.ReadAsync(command, query, pageSize, cancellationToken);
    }

    /// <summary>
    /// The page read of one customer: the day range prunes the scan to the query's partitions; inside each partition the
    /// primary key (customer, day, event time, id) is the index range that is read, already in order.
    /// </summary>
    internal static string PageSql(string schema, HistoryTable table) => $"""
        SELECT event_time, id, kind, payload FROM {schema}.{PostgreSqlNames.Table(table)}
        WHERE customer_id = @customer AND day BETWEEN @firstDay AND @lastDay
          AND event_time >= @from AND event_time < @to
          AND (day, event_time, id) > (@afterDay, @afterTime, @afterId)
        ORDER BY day, event_time, id
        LIMIT @limit
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ReadCustomersAsync(int day, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        return await HistoryPageCommand.ReadCustomersAsync(command, "@", $"{_settings.Schema}.{PostgreSqlNames.CustomerDays}", day, after, limit, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DroppedDay>> DropDaysBeforeAsync(int oldestKeptDay, CancellationToken cancellationToken = default)
    {
        var rowsPerDay = new SortedDictionary<int, long>();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var parent in PostgreSqlNames.DayPartitioned)
        {
            foreach (var (name, day) in await ListPartitionsAsync(connection, parent, cancellationToken))
            {
                if (day >= oldestKeptDay)
                    continue;
                // The customers-by-day table is an index of the records, not history: it names a day without adding rows.
                // Counting one expired day's partition is the price of saying what a pass dropped.
                long rows = 0;
                if (parent != PostgreSqlNames.CustomerDays)
                {
                    await using var count = new NpgsqlCommand($"SELECT count(*) FROM {_settings.Schema}.{name}", connection);
                    rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
                }
                // Dropping a partition removes a whole day at once: no row-by-row delete, no bloat, no vacuum.
                await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {_settings.Schema}.{name}", connection);
                await drop.ExecuteNonQueryAsync(cancellationToken);
                _knownPartitions.TryRemove((parent, day), out _);
                rowsPerDay[day] = rowsPerDay.GetValueOrDefault(day) + rows;
            }
        }
        return rowsPerDay.Where(d => d.Value > 0).Select(d => new DroppedDay(DayBucket.Date(d.Key), d.Value)).ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> ReadRecordDaysAsync(CancellationToken cancellationToken = default)
    {
        // A day partition of the records exists only once a record of that day was written: the catalog lists the days
        // without touching a row.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var partitions = await ListPartitionsAsync(connection, PostgreSqlNames.Table(HistoryTable.Records), cancellationToken);
        return partitions.Select(p => p.Day).Order().ToList();
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> ReadNewestRecordTimeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // The newest day comes from the customers-by-day index; the maximum is then taken in that day's partition alone.
        await using var command = new NpgsqlCommand($"""
            SELECT max(event_time) FROM {_settings.Schema}.{PostgreSqlNames.Table(HistoryTable.Records)}
            WHERE day = (SELECT max(day) FROM {_settings.Schema}.{PostgreSqlNames.CustomerDays})
            """, connection);
        return await command.ExecuteScalarAsync(cancellationToken) is long millis ? DateTimeOffset.FromUnixTimeMilliseconds(millis) : null;
    }

    private async Task<List<(string Name, int Day)>> ListPartitionsAsync(NpgsqlConnection connection, string parent, CancellationToken cancellationToken)
    {
        var partitions = new List<(string Name, int Day)>();
        await using var list = new NpgsqlCommand(PostgreSqlSchema.ListPartitions, connection);
        list.Parameters.AddWithValue("schema", _settings.Schema);
        list.Parameters.AddWithValue("parent", parent);
        await using var reader = await list.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (PostgreSqlNames.DayOfPartition(parent, name) is { } day)
                partitions.Add((name, day));
        }
        return partitions;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => Description;

    private async Task<IReadOnlyList<HistoryConflict>> InsertAsync(IReadOnlyList<HistoryRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var groups = rows.GroupBy(r => r.Table).Select(g => (Table: g.Key, Rows: g.ToList())).ToList();
        var inserted = new List<HashSet<RowKey>>();
        await using (var batch = new NpgsqlBatch(connection))
        {
            foreach (var (table, tableRows) in groups)
                batch.BatchCommands.Add(InsertCommand(table, tableRows));
            var customerDays = rows.Where(r => r.Table == HistoryTable.Records).Select(r => (r.Day, r.CustomerId)).Distinct().ToList();
            if (customerDays.Count > 0)
                batch.BatchCommands.Add(CustomerDaysCommand(customerDays));
            // A batch of several statements runs in one implicit transaction: all rows are stored or none. Each insert
            // returns the keys it wrote, so the keys it skipped (stored before) are known without reading anything.
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            foreach (var _ in groups)
            {
                var keys = new HashSet<RowKey>();
                while (await reader.ReadAsync(cancellationToken))
                    keys.Add(new RowKey(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
                inserted.Add(keys);
                await reader.NextResultAsync(cancellationToken);
            }
        }

        var conflicts = new List<HistoryConflict>();
        for (var i = 0; i < groups.Count; i++)
        {
            var (table, tableRows) = groups[i];
            var repeated = tableRows.GroupBy(RowKey.Of).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
            // Skipped rows, and rows whose key the batch holds twice (one of them was written, the key says not which).
            var candidates = tableRows.Where(r => !inserted[i].Contains(RowKey.Of(r)) || repeated.Contains(RowKey.Of(r))).ToList();
            if (candidates.Count > 0)
                conflicts.AddRange(await ReadConflictsAsync(connection, table, candidates, cancellationToken));
        }
        return conflicts;
    }

    private async Task<IEnumerable<HistoryConflict>> ReadConflictsAsync(
        NpgsqlConnection connection, HistoryTable table, List<HistoryRow> candidates, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT t.customer_id, t.event_time, t.id, t.kind, t.payload
            FROM {_settings.Schema}.{PostgreSqlNames.Table(table)} t
            JOIN unnest(@customers, @days, @times, @ids) AS k(customer_id, day, event_time, id)
              ON t.customer_id = k.customer_id AND t.day = k.day AND t.event_time = k.event_time AND t.id = k.id
            """, connection);
        command.Parameters.Add(Array("customers", NpgsqlDbType.Text, candidates.Select(r => r.CustomerId).ToArray()));
        command.Parameters.Add(Array("days", NpgsqlDbType.Integer, candidates.Select(r => r.Day).ToArray()));
        command.Parameters.Add(Array("times", NpgsqlDbType.Bigint, candidates.Select(r => r.EventTimeMillis).ToArray()));
        command.Parameters.Add(Array("ids", NpgsqlDbType.Text, candidates.Select(r => r.Id).ToArray()));
        var stored = new Dictionary<RowKey, (string Kind, byte[] Payload)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                stored[new RowKey(reader.GetString(0), reader.GetInt64(1), reader.GetString(2))] = (reader.GetString(3), (byte[])reader.GetValue(4));
        }
        return candidates
            .Where(r => stored.TryGetValue(RowKey.Of(r), out var s) && (s.Kind != r.Kind || !s.Payload.AsSpan().SequenceEqual(r.Payload)))
            .Select(r => new HistoryConflict(r, stored[RowKey.Of(r)].Kind, stored[RowKey.Of(r)].Payload));
    }

    /// <summary>A row's key within one table (the day follows from the event time).</summary>
    private readonly record struct RowKey(string CustomerId, long EventTimeMillis, string Id)
    {
        public static RowKey Of(HistoryRow row) => new(row.CustomerId, row.EventTimeMillis, row.Id);
    }

    private NpgsqlBatchCommand InsertCommand(HistoryTable table, List<HistoryRow> rows)
    {
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO {_settings.Schema}.{PostgreSqlNames.Table(table)} (customer_id, day, event_time, id, kind, payload)
            SELECT * FROM unnest(@customers, @days, @times, @ids, @kinds, @payloads)
            ON CONFLICT DO NOTHING
            RETURNING customer_id, event_time, id
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
            RETURNING day
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

using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.PostgreSql;

namespace Pipeline.Service.Bench.Store;

/// <summary>
/// A production-shaped history in the store's own schema: customers <c>c-00000000</c>, <c>c-00000001</c>, ... each with 2 or 3
/// transactions of about 200 bytes (an Avro transaction) on every day, in daily partitions made as the store makes them.
/// Loaded with binary COPY one day partition at a time, customers in id order (a bulk load, not the live write path).
/// </summary>
internal sealed class ScaleHistory(NpgsqlDataSource dataSource, string schema, int lastDay, int days)
{
    private const int PayloadBytes = 200;
    private static readonly byte[] PayloadPool = RandomBytes(64 * 1024);

    /// <summary>The newest day: live writes and the windows read end here.</summary>
    public int LastDay => lastDay;

    /// <summary>The days held, oldest first (the oldest go when a day is dropped).</summary>
    public List<int> HeldDays { get; } = Enumerable.Range(lastDay - days + 1, days).ToList();

    /// <summary>Customers loaded so far: ids 0 up to this.</summary>
    public int Customers { get; private set; }

    /// <summary>Rows the history holds (loaded, written live, minus dropped).</summary>
    public long Rows { get; set; }

    /// <summary>Mean records per customer and day (2 or 3 each).</summary>
    public const double RecordsPerCustomerDay = 2.5;

    public static string CustomerId(int customer) => $"c-{customer:D8}";

    /// <summary>A 200-byte payload that differs from row to row (no two rows share their bytes at the same offset).</summary>
    public static ReadOnlySpan<byte> Payload(long seed) => PayloadPool.AsSpan((int)(seed * 61 % (PayloadPool.Length - PayloadBytes)), PayloadBytes);

    /// <summary>How many records a customer has on a day: 2 or 3, fixed by both.</summary>
    public static int RecordsOn(int customer, int day) => 2 + (int)(Mix((uint)customer * 31u + (uint)day) & 1);

    /// <summary>Adds customers until the history holds about <paramref name="targetRows"/> rows; returns the time it took.</summary>
    public async Task<TimeSpan> GrowToAsync(long targetRows, CancellationToken cancellationToken)
    {
        var newCustomers = (int)Math.Max(0, (targetRows - Rows) / (HeldDays.Count * RecordsPerCustomerDay));
        var first = Customers;
        var end = first + newCustomers;
        var clock = Stopwatch.StartNew();
        // Two days at a time: one COPY keeps one core busy in the server and most of one here.
        var loaded = 0L;
        await Parallel.ForEachAsync(HeldDays, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken },
            async (day, token) => Interlocked.Add(ref loaded, await LoadDayAsync(day, first, end, token)));
        Customers = end;
        Rows += loaded;
        return clock.Elapsed;
    }

    /// <summary>The on-disk bytes of the records' and customers-by-day partitions, indexes and TOAST included.</summary>
    public async Task<long> DiskBytesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0)::bigint
            FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace
            WHERE n.nspname = '{schema}'
            """);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<long> LoadDayAsync(int day, int firstCustomer, int endCustomer, CancellationToken cancellationToken)
    {
        var rows = await CopyWithRetryAsync(connection => CopyRecordsAsync(connection, day, firstCustomer, endCustomer, cancellationToken), cancellationToken);
        await CopyWithRetryAsync(connection => CopyCustomerDaysAsync(connection, day, firstCustomer, endCustomer, cancellationToken), cancellationToken);
        return rows;
    }

    // A COPY is one statement: one that failed (a connection lost under load) stored nothing and can run again.
    private async Task<long> CopyWithRetryAsync(Func<NpgsqlConnection, Task<long>> copy, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                return await copy(connection);
            }
            catch (Exception e) when (attempt < 3 && e is NpgsqlException or IOException)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    private async Task<long> CopyRecordsAsync(NpgsqlConnection connection, int day, int firstCustomer, int endCustomer, CancellationToken cancellationToken)
    {
        var dayStart = DayBucket.StartMillis(day);
        long rows = 0;
        var records = PostgreSqlNames.Partition(PostgreSqlNames.Table(HistoryTable.Records), day);
        await using (var import = await connection.BeginBinaryImportAsync(
                         $"COPY {schema}.{records} (customer_id, day, event_time, id, kind, payload) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var customer = firstCustomer; customer < endCustomer; customer++)
            {
                var id = CustomerId(customer);
                var count = RecordsOn(customer, day);
                for (var k = 0; k < count; k++)
                {
                    var seed = (long)customer * 1_000 + day * 3L + k;
                    await import.StartRowAsync(cancellationToken);
                    await import.WriteAsync(id, NpgsqlDbType.Text, cancellationToken);
                    await import.WriteAsync(day, NpgsqlDbType.Integer, cancellationToken);
                    await import.WriteAsync(dayStart + Mix((uint)seed) % 86_400_000L, NpgsqlDbType.Bigint, cancellationToken);
                    await import.WriteAsync($"t-{customer:D8}-{day}-{k}", NpgsqlDbType.Text, cancellationToken);
                    await import.WriteAsync("transaction", NpgsqlDbType.Text, cancellationToken);
                    await import.WriteAsync(Payload(seed).ToArray(), NpgsqlDbType.Bytea, cancellationToken);
                    rows++;
                }
            }
            await import.CompleteAsync(cancellationToken);
        }
        return rows;
    }

    private async Task<long> CopyCustomerDaysAsync(NpgsqlConnection connection, int day, int firstCustomer, int endCustomer, CancellationToken cancellationToken)
    {
        var customerDays = PostgreSqlNames.Partition(PostgreSqlNames.CustomerDays, day);
        await using (var import = await connection.BeginBinaryImportAsync(
                         $"COPY {schema}.{customerDays} (day, customer_id) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var customer = firstCustomer; customer < endCustomer; customer++)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(day, NpgsqlDbType.Integer, cancellationToken);
                await import.WriteAsync(CustomerId(customer), NpgsqlDbType.Text, cancellationToken);
            }
            await import.CompleteAsync(cancellationToken);
        }
        return endCustomer - firstCustomer;
    }

    /// <summary>Creates the day partitions of every held day, as the store does on a first write to a day.</summary>
    public async Task CreatePartitionsAsync(CancellationToken cancellationToken)
    {
        foreach (var day in HeldDays)
        {
            foreach (var parent in PostgreSqlNames.DayPartitioned)
            {
                await using var command = dataSource.CreateCommand(PostgreSqlSchema.CreatePartition(schema, parent, day));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7feb352d;
        x ^= x >> 15;
        x *= 0x846ca68b;
        x ^= x >> 16;
        return x;
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(21).NextBytes(bytes);
        return bytes;
    }
}

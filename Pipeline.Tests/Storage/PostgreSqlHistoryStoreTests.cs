using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.PostgreSql;
using Pipeline.Tests.Support;
using Xunit.Abstractions;
using static Pipeline.Tests.Storage.TestRows;

namespace Pipeline.Tests.Storage;

/// <summary>The history store contract on PostgreSQL, each test in its own schema.</summary>
public sealed class PostgreSqlHistoryStoreTests(ITestOutputHelper output) : HistoryStoreContract
{
    private string _schema = "";

    protected override async Task<IHistoryStore> CreateStoreAsync()
    {
        _schema = await TestPostgres.CreateSchemaAsync("history_test");
        // The application name marks the store's own sessions, so a test can terminate them and no others.
        return new PostgreSqlHistoryStore(new PostgreSqlStoreSettings($"{TestPostgres.ConnectionString};Application Name={_schema}", _schema));
    }

    /// <summary>
    /// Another session locks both parent tables, so inserts (and partition creation) wait until it rolls back; the
    /// EXCLUSIVE mode still lets reads through, so a test can check what is stored meanwhile.
    /// </summary>
    protected override async Task<IAsyncDisposable> PauseStoreAsync()
    {
        var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand($"LOCK TABLE {_schema}.history_records, {_schema}.history_outputs IN EXCLUSIVE MODE", connection, transaction))
            await command.ExecuteNonQueryAsync();
        return new LockHolder(connection, transaction);
    }

    protected override Task DropCustomerDaysTableAsync() => TestPostgres.ExecuteAsync($"DROP TABLE {_schema}.history_customer_days CASCADE");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_schema.Length > 0)
            await TestPostgres.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task Writes_create_one_partition_per_day_and_expiry_drops_whole_partitions()
    {
        var now = Noon;
        await Store.AppendAsync([Record("c-1", now.AddDays(-61), "old"), Record("c-1", now.AddDays(-1), "recent"), Output("c-1", now, "f")]);
        Assert.Equal(["history_records_20260924", "history_records_20261123"], await PartitionsAsync("history_records"));
        Assert.Equal(["history_outputs_20261124"], await PartitionsAsync("history_outputs"));

        await Store.ExpireAsync(now, TimeSpan.FromDays(60));

        Assert.Equal(["history_records_20261123"], await PartitionsAsync("history_records"));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{_schema}' AND c.relname = 'history_records_20260924'"));
        // A write for a dropped day recreates its partition.
        await Store.AppendAsync([Record("c-1", now.AddDays(-61), "late")]);
        Assert.Equal(["history_records_20260924", "history_records_20261123"], await PartitionsAsync("history_records"));
    }

    [Fact]
    public async Task Scheduled_retention_drops_the_expired_day_partitions_from_the_catalog()
    {
        await Store.AppendAsync([Record("c-1", Noon.AddDays(-61), "t-61d"), Record("c-1", Noon.AddDays(-59), "t-59d"), Output("c-1", Noon.AddDays(-61), "f-old"), Output("c-1", Noon, "f"), Record("c-2", Noon, "t-now")]);
        var clock = new FakeTimeProvider(Noon);
        var runs = Channel.CreateUnbounded<RetentionRun>();
        using var stop = new CancellationTokenSource();
        var schedule = HistoryRetention.Start(Store, RetentionSettings, StreamTimeOn(clock), clock, stop.Token, run => runs.Writer.TryWrite(run));

        await NextRunAsync(runs);
        Assert.Equal(["history_records_20260926", "history_records_20261124"], await PartitionsAsync("history_records"));
        Assert.Equal(["history_outputs_20261124"], await PartitionsAsync("history_outputs"));

        // The stream time moves with a newer record, not with the clock.
        await Store.AppendAsync([Record("c-2", Noon.AddDays(2), "t-2d")]);
        clock.Advance(TimeSpan.FromDays(2));
        var later = await NextRunAsync(runs);
        Assert.Equal([new DroppedDay(new DateOnly(2026, 9, 26), 1)], later.Dropped);
        Assert.Equal(["history_records_20261124", "history_records_20261126"], await PartitionsAsync("history_records"));
        Assert.Equal(["history_outputs_20261124"], await PartitionsAsync("history_outputs"));
        // The partition is gone from the catalog, not just emptied.
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{_schema}' AND c.relname LIKE 'history_records_2026092%'"));

        await stop.CancelAsync();
        await schedule.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_store_sessions_terminated_again_and_again_for_10s_slow_the_write_flow_without_loss_duplicates_or_early_commits()
    {
        // Reads that check the flow go through a store of their own, whose sessions are not terminated.
        await using var observer = DirectStore();
        var counting = new CountingHistoryStore(Store);
        SessionTerminator? terminator = null;

        var run = await RunThroughOutageAsync(counting, observer, async () => terminator = await SessionTerminator.StartAsync(_schema));

        output.WriteLine($"{run.Sent} elements in {run.Elapsed.TotalSeconds:F1}s, {terminator!.Terminated} sessions terminated, " +
                          $"{counting.FailedAppends} failed writes, at most {run.MaxInFlight} elements in flight");

        Assert.True(terminator.Terminated > 0, "no session of the store was terminated");
        Assert.True(counting.FailedAppends > 0, "no write failed, so the terminations did not reach the store");
    }

    [Fact]
    public async Task The_server_unreachable_for_10s_stalls_the_write_flow_which_then_resumes_without_loss()
    {
        // The store reaches the server through a relay that goes down as a stopped server would; the server itself,
        // shared with other tests, keeps running.
        var direct = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString);
        await using var relay = TcpRelay.Start(direct.Host!, direct.Port);
        var viaRelay = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Host = "127.0.0.1", Port = relay.Port };
        await using var store = new PostgreSqlHistoryStore(new PostgreSqlStoreSettings(viaRelay.ConnectionString, _schema));
        await store.InitializeAsync();
        await using var observer = DirectStore();
        var counting = new CountingHistoryStore(store);

        var run = await RunThroughOutageAsync(counting, observer, () => Task.FromResult(relay.TakeDown()));
        output.WriteLine($"{run.Sent} elements in {run.Elapsed.TotalSeconds:F1}s; {run.EmittedWhenStarted} out when the server went away, " +
                         $"{run.EmittedWhenEnded} when it came back; {relay.Cut} connections cut, {relay.Refused} refused, " +
                         $"{counting.FailedAppends} failed writes, at most {run.MaxInFlight} elements in flight");

        AssertNothingLeftTheFlowDuringTheOutage(run);
        Assert.True(relay.Refused > 0, "no connection was attempted while the server was away");
        Assert.True(counting.FailedAppends > 0, "no write failed, so the outage did not reach the store");
    }

    [Fact]
    public async Task A_range_query_reads_only_the_partitions_of_its_days()
    {
        await Store.AppendAsync([.. Records("c-1", Noon.AddDays(-3), 3), .. Records("c-1", Noon, 3, "now")]);
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand(
            $"EXPLAIN SELECT * FROM {_schema}.history_records WHERE customer_id = 'c-1' AND day BETWEEN {DayBucket.Of(Noon)} AND {DayBucket.Of(Noon)}", connection);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                plan.Add(reader.GetString(0));

        Assert.Equal(new DateOnly(2026, 11, 24), DayBucket.Date(DayBucket.Of(Noon)));
        Assert.Contains(plan, line => line.Contains("history_records_20261124", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("history_records_20261121", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_server_fails_the_write_flow_with_the_redacted_address_and_the_cause()
    {
        var settings = new PostgreSqlStoreSettings("Host=127.0.0.1;Port=1;Database=pipeline;Username=pipeline;Password=secret-value;Timeout=2", _schema);
        await using var unreachable = new PostgreSqlHistoryStore(settings);
        var run = Akka.Streams.Dsl.Source.Single(((IReadOnlyList<HistoryRow>)[Record("c-1", Noon, "t-1")], 1))
            .Via(HistoryWrites.Flow<int>(unreachable, FastWrites with { RetryDeadline = TimeSpan.FromSeconds(1) }))
            .RunWith(Akka.Streams.Dsl.Sink.Seq<int>(), Akka.Streams.ActorMaterializer.Create(Sys));

        var error = await Assert.ThrowsAsync<HistoryStoreUnavailableException>(() => run);

        Assert.Contains("PostgreSQL history store", error.Message, StringComparison.Ordinal);
        Assert.Contains("Port=1", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("refused", StringComparison.OrdinalIgnoreCase), error.Message);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A store on the test's schema that reaches the server directly, untouched by the faults a test injects.</summary>
    private PostgreSqlHistoryStore DirectStore() => new(new PostgreSqlStoreSettings(TestPostgres.ConnectionString, _schema));

    private async Task<List<string>> PartitionsAsync(string parent)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(PostgreSqlSchema.ListPartitions + " ORDER BY child.relname", connection);
        command.Parameters.AddWithValue("schema", _schema);
        command.Parameters.AddWithValue("parent", parent);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }

    private static async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Terminates every session of one application name (pg_terminate_backend) every 20 ms, from a session of its own, until disposed.</summary>
    private sealed class SessionTerminator : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _terminated;

        private SessionTerminator(NpgsqlConnection connection, string applicationName) => _loop = LoopAsync(connection, applicationName);

        public int Terminated => Volatile.Read(ref _terminated);

        public static async Task<SessionTerminator> StartAsync(string applicationName)
        {
            var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
            await connection.OpenAsync();
            return new SessionTerminator(connection, applicationName);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }

        private async Task LoopAsync(NpgsqlConnection connection, string applicationName)
        {
            await using (connection)
            {
                await using var command = new NpgsqlCommand(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name", connection);
                command.Parameters.AddWithValue("name", applicationName);
                while (!_stop.IsCancellationRequested)
                {
                    Interlocked.Add(ref _terminated, (int)(long)(await command.ExecuteScalarAsync())!);
                    try { await Task.Delay(20, _stop.Token); }
                    catch (OperationCanceledException) { }
                }
            }
        }
    }

    private sealed class LockHolder(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

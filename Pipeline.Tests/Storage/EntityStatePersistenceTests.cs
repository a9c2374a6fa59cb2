using Akka.Actor;
using Akka.Persistence;
using Pipeline.Core.Storage;

namespace Pipeline.Tests.Storage;

/// <summary>The entity-state HOCON really persists: a persistent actor writes, its system stops, and a new system recovers it.</summary>
public sealed class EntityStatePersistenceTests
{
    [Fact]
    public async Task A_persistent_actor_recovers_its_events_and_snapshot_after_a_restart_on_sqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "pipeline-state-tests", Guid.NewGuid().ToString("N"));
        var settings = Settings(StoreProvider.Sqlite, "Host=unused-in-this-test", "public", directory);
        try
        {
            await WriteRestartAndRecoverAsync(settings);
            Assert.True(File.Exists(settings.Sqlite.EntityStatePath));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { /* temp files left behind do no harm */ }
        }
    }

    [Fact]
    public async Task A_persistent_actor_recovers_its_events_and_snapshot_after_a_restart_on_postgresql()
    {
        var schema = await TestPostgres.CreateSchemaAsync("state_test");
        try
        {
            await WriteRestartAndRecoverAsync(Settings(StoreProvider.PostgreSql, TestPostgres.ConnectionString, schema, Path.GetTempPath()));
            // The journal lives in the store's schema, next to the history tables.
            Assert.Contains("journal", await TestPostgres.TablesAsync(schema));
            Assert.Contains("snapshot", await TestPostgres.TablesAsync(schema));
        }
        finally
        {
            await TestPostgres.DropSchemaAsync(schema);
        }
    }

    private static async Task WriteRestartAndRecoverAsync(HistoryStoreSettings settings)
    {
        var hocon = EntityStatePersistence.Hocon(settings).WithFallback("akka.loglevel = WARNING");
        var timeout = TimeSpan.FromSeconds(20);

        var first = ActorSystem.Create("state-write", hocon);
        try
        {
            var counter = first.ActorOf(Props.Create(() => new Counter("customer-42")));
            Assert.Equal(1, await counter.Ask<int>(new Add(1), timeout));
            Assert.Equal(3, await counter.Ask<int>(new Add(2), timeout));
            Assert.Equal(3, await counter.Ask<int>(new Snapshot(), timeout));
            Assert.Equal(7, await counter.Ask<int>(new Add(4), timeout));
        }
        finally
        {
            await first.Terminate();
        }

        var second = ActorSystem.Create("state-recover", hocon);
        try
        {
            var counter = second.ActorOf(Props.Create(() => new Counter("customer-42")));
            var state = await counter.Ask<CounterState>(new Get(), timeout);
            Assert.Equal(new CounterState(Total: 7, RecoveredFromSnapshot: 3, EventsReplayed: 1), state);
        }
        finally
        {
            await second.Terminate();
        }
    }

    private static HistoryStoreSettings Settings(StoreProvider provider, string connectionString, string schema, string directory) => new(
        provider,
        TimeSpan.FromDays(60),
        TimeSpan.FromHours(1),
        0.25,
        1000,
        new SqliteStoreSettings(Path.Combine(directory, "history.db"), Path.Combine(directory, "entity-state.db"), TimeSpan.FromSeconds(5), SqliteSynchronous.Normal),
        new PostgreSqlStoreSettings(connectionString, schema),
        new HistoryWriteSettings(1000, TimeSpan.FromMilliseconds(20), 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60)));

    private sealed record Add(int Amount);

    private sealed record Snapshot;

    private sealed record Get;

    private sealed record CounterState(int Total, int? RecoveredFromSnapshot, int EventsReplayed);

    private sealed class Counter : ReceivePersistentActor
    {
        private int _total;
        private int? _fromSnapshot;
        private int _replayed;
        private IActorRef? _snapshotRequester;

        public Counter(string id)
        {
            PersistenceId = id;
            Recover<SnapshotOffer>(offer =>
            {
                _total = (int)offer.Snapshot;
                _fromSnapshot = _total;
            });
            Recover<int>(amount =>
            {
                _total += amount;
                _replayed++;
            });
            Command<Add>(add => Persist(add.Amount, amount =>
            {
                _total += amount;
                Sender.Tell(_total);
            }));
            Command<Snapshot>(_ =>
            {
                _snapshotRequester = Sender;
                SaveSnapshot(_total);
            });
            Command<SaveSnapshotSuccess>(_ => _snapshotRequester?.Tell(_total));
            Command<SaveSnapshotFailure>(failure => _snapshotRequester?.Tell(new Status.Failure(failure.Cause)));
            Command<Get>(_ => Sender.Tell(new CounterState(_total, _fromSnapshot, _replayed)));
        }

        public override string PersistenceId { get; }
    }
}

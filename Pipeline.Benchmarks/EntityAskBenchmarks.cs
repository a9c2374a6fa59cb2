using Akka.Actor;
using BenchmarkDotNet.Attributes;
using Pipeline.Core.Storage.Providers;
using Pipeline.Core.Storage;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.UseCases;

namespace Pipeline.Benchmarks;

/// <summary>
/// One transaction through one customer's entity of a use case, as the use case's stream sends it (an ask with a timeout),
/// against the same variants applied directly (the work the ask wraps). The customer's history grows to the steady state
/// of the shipped 60-day window: a transaction every 9.6 simulated hours, about 150 remembered per variant.
/// </summary>
[MemoryDiagnoser]
public class EntityAskBenchmarks
{
    private static readonly string[] Categories = ["grocery", "restaurant", "subscription", "retail", "fuel"];
    private static readonly TimeSpan Step = TimeSpan.FromHours(9.6);
    // Millions of fast Apply calls would step past DateTimeOffset.MaxValue: the timeline starts over after this many
    // transactions (about 5,500 simulated years), with fresh memories, as a new customer would.
    private const long TimelineLength = 5_000_000;

    private BenchmarkEnvironment _environment = null!;
    private IHistoryStore _store = null!;
    private ActorSystem _system = null!;
    private IActorRef _entity = ActorRefs.Nobody;
    private IReadOnlyList<ConfiguredUseCase> _variants = [];
    private UseCaseMemory[] _memories = [];
    private readonly CustomerSettings _customer = CustomerSettings.None("customer-00042");
    private long _next;

    [Params("duplicate-charge", "unusual-tip", "recurring-charge-increase", "large-purchase")]
    public string UseCase { get; set; } = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _environment = await BenchmarkEnvironment.StartAsync();
        _store = await HistoryStores.OpenAsync(HistoryStoreSettings.Create(_environment.Config));
        _variants = UseCaseRegistry.Discover(UseCasesAssembly.Assembly).ConfigureOne(_environment.Config.Section("pipeline.use-cases"), UseCase);
        _memories = _variants.Select(v => v.NewMemory()).ToArray();
        _system = ActorSystem.Create("benchmarks");
        var history = new TransactionHistory(_store, _environment.Client, 1000, 16);
        _entity = _system.ActorOf(CustomerEntity.Props(_customer.CustomerId, _variants, history));
        // Fill the window first, so both benchmarks run on a customer with a full history.
        for (var i = 0; i < 200; i++)
        {
            await Ask();
            Apply();
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _system.Terminate();
        await _store.DisposeAsync();
        await _environment.DisposeAsync();
    }

    private CardTransaction NextTransaction()
    {
        var n = Interlocked.Increment(ref _next) % TimelineLength;
        var category = Categories[n % Categories.Length];
        return new CardTransaction($"tx-{n:D12}", _customer.CustomerId, $"merchant-{n % 7}", category, 1_000 + n % 5_000,
            category == "restaurant" ? 150 : 0, "EUR", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) + n * Step);
    }

    [Benchmark]
    public Task<TransactionEvaluated> Ask() =>
        _entity.Ask<TransactionEvaluated>(new EvaluateTransaction(NextTransaction(), _customer), TimeSpan.FromSeconds(10));

    [Benchmark(Baseline = true)]
    public int Apply()
    {
        var transaction = NextTransaction();
        if (_next % TimelineLength == 0)
            _memories = _variants.Select(v => v.NewMemory()).ToArray();
        var found = 0;
        for (var i = 0; i < _variants.Count; i++)
        {
            found += _variants[i].Apply(_memories[i], transaction, _customer) is null ? 0 : 1;
        }
        return found;
    }
}

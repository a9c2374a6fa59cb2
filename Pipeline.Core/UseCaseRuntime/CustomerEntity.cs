using System.Diagnostics;
using Akka.Actor;
using Pipeline.Core.Measurement;
using Pipeline.Core.UseCases;
using Pipeline.Core.UseCaseRuntime.Python;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// One customer's state for one use case (all its variants). The state is a fold over the customer's transactions
/// of the history window, which the history store holds before any of them reaches a use case; so on activation the
/// entity rebuilds it with one range read (from the activating transaction back one window) instead of journaling
/// every change. Transactions are applied idempotently: one already folded answers with the feedback it gave then.
/// </summary>
public sealed class CustomerEntity : ReceiveActor, IWithUnboundedStash
{
    private readonly string _customerId;
    private readonly IReadOnlyList<ConfiguredUseCase> _variants;
    private readonly TransactionHistory _history;
    // One labelled child per variant, looked up once: WithLabels per transaction allocated and hashed its labels.
    private readonly Prometheus.Histogram.Child[] _evaluateTimes;
    private readonly Prometheus.Counter.Child _cpu;
    private UseCaseMemory[] _memories = [];
    // The code generation of each variant the memories were built with (reloadable use cases); a reload makes them stale.
    private long[] _builtWith = [];

    public CustomerEntity(string customerId, IReadOnlyList<ConfiguredUseCase> variants, TransactionHistory history)
    {
        _customerId = customerId;
        _variants = variants;
        _history = history;
        _evaluateTimes = variants.Select(v => EntityMetrics.Evaluate.WithLabels(v.Name, v.Variant)).ToArray();
        _cpu = UseCaseResources.Cpu.WithLabels(variants[0].Name);
        Receive<EvaluateTransaction>(first =>
        {
            Stash.Stash();
            BeginRebuild(first);
        });
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(string customerId, IReadOnlyList<ConfiguredUseCase> variants, TransactionHistory history) =>
        Akka.Actor.Props.Create(() => new CustomerEntity(customerId, variants, history));

    private string UseCase => _variants[0].Name;

    protected override void PreStart() => EntityMetrics.Alive.WithLabels(UseCase).Inc();

    protected override void PostStop() => EntityMetrics.Alive.WithLabels(UseCase).Dec();

    private void BeginRebuild(EvaluateTransaction first)
    {
        var through = first.Transaction.Timestamp;
        var from = through - _variants[0].History;
        var started = Stopwatch.GetTimestamp();
        _builtWith = _variants.Select(Generation).ToArray();
        _history.ReadAsync(_customerId, from, through)
            .PipeTo(Self, success: transactions => new Rebuilt(transactions, first.Customer, Stopwatch.GetElapsedTime(started)), failure: e => new RebuildFailed(e));
        Become(Rebuilding);
    }

    private void Rebuilding()
    {
        Receive<Rebuilt>(rebuilt =>
        {
            _memories = _variants.Select(variant => CustomerFold.Rebuild(variant, rebuilt.Transactions, rebuilt.Customer)).ToArray();
            EntityMetrics.Rebuild.WithLabels(UseCase).Observe(rebuilt.Took.TotalSeconds);
            EntityMetrics.RebuiltTransactions.WithLabels(UseCase).Inc(rebuilt.Transactions.Count);
            Become(Ready);
            Stash.UnstashAll();
        });
        Receive<RebuildFailed>(failed =>
        {
            // Every waiting ask fails (its stream retries); the next message activates a fresh entity that reads again.
            Become(() => ReceiveAny(_ => Sender.Tell(new Status.Failure(failed.Cause))));
            Stash.UnstashAll();
            Self.Tell(PoisonPill.Instance);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private static long Generation(ConfiguredUseCase variant) => variant.UseCase is IReloadableUseCase reloadable ? reloadable.Generation : 0;

    private void Ready() => Receive<EvaluateTransaction>(evaluate =>
    {
        if (Stale())
        {
            // The use case's code was reloaded: the state the old code built goes, the new code rebuilds it from history.
            Stash.Stash();
            BeginRebuild(evaluate);
            return;
        }
        var outcomes = new VariantOutcome[_variants.Count];
        for (var i = 0; i < _variants.Count; i++)
            outcomes[i] = Apply(i, evaluate);
        Sender.Tell(new TransactionEvaluated(evaluate.Transaction.TransactionId, outcomes));
    });

    private bool Stale()
    {
        for (var i = 0; i < _variants.Count; i++)
        {
            if (_builtWith[i] != Generation(_variants[i]))
                return true;
        }
        return false;
    }

    private VariantOutcome Apply(int index, EvaluateTransaction evaluate)
    {
        var variant = _variants[index];
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = UseCaseResources.ThreadCpuSeconds();
        try
        {
            var feedback = variant.Apply(_memories[index], evaluate.Transaction, evaluate.Customer);
            return new VariantOutcome(variant.Variant, feedback, null);
        }
        catch (Exception e)
        {
            // A use case's bug must not take the customer's other records down: the state stays as it was.
            // A Python use case's error already reads as Python's (type, message, last frame).
            return new VariantOutcome(variant.Variant, null, e is PythonUseCaseError ? e.Message : $"{e.GetType().FullName}: {e.Message}");
        }
        finally
        {
            _evaluateTimes[index].Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            _cpu.Inc(UseCaseResources.ThreadCpuSeconds() - cpuBefore);
        }
    }

    private sealed record Rebuilt(IReadOnlyList<CardTransaction> Transactions, CustomerSettings Customer, TimeSpan Took);

    private sealed record RebuildFailed(Exception Cause);
}

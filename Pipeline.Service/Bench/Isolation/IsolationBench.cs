using System.Diagnostics;
using Pipeline.Core.Configuration;
using Pipeline.Core.Generator;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Service.Bench.Diamond;

namespace Pipeline.Service.Bench.Isolation;

/// <summary>
/// <c>pipeline bench isolation</c>: how much the reference use cases slow down next to a use case that blocks 50 ms per
/// record and one that throws on some records. Each run loads a fresh diamond's transactions topic and history store once
/// (upstream alone), then runs the reference use cases over it three times in one process, each time under new consumer
/// groups: alone ("solo"), with the slow use case, and with the slow and the failing use case ("mixed"). The failing one does
/// as much work per record as any use case, so on a machine whose cores the reference use cases already keep busy it takes
/// its share of them; the slow one needs almost no CPU, so the second phase shows whether blocking threads hurts the others.
/// </summary>
internal sealed class IsolationBench(IsolationBenchOptions options, Func<IEnumerable<string>, PipelineConfig> load, TextWriter log) : DiamondBench(load)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    public async Task<IReadOnlyList<IsolationRun>> RunAsync(CancellationToken cancellationToken)
    {
        await StartInfrastructureAsync(cancellationToken);
        var runs = new List<IsolationRun>();
        for (var run = 1; run <= options.Runs; run++)
            runs.Add(await RunOnceAsync(run, cancellationToken));
        return runs;
    }

    private async Task<IsolationRun> RunOnceAsync(int run, CancellationToken cancellationToken)
    {
        var id = $"iso{run}-{Guid.NewGuid():N}"[..16];
        await using var diamond = Infrastructure.CreateDiamond(id, options.Records, [new SlowUseCase(), new FailingUseCase()]);
        var others = diamond.UseCaseKeys;
        var topics = diamond.Settings.Topics;
        var records = TransactionGenerator.Create(diamond.Settings.Generator).Records().Take(options.Records).ToList();
        InputFeeder.Fill(diamond.Settings.Producer.ToProducerConfig(), diamond.Settings.Producer.FlushTimeout, topics.Raw,
            records.Select(r => new Confluent.Kafka.Message<string, byte[]> { Key = r.Key, Value = r.Value }));

        diamond.Reconfigure("pipeline.use-cases.enabled=[]");
        await diamond.StartAsync();
        var upstream = await diamond.WaitForDrainAsync(Inspector, options.Records, DateTime.UtcNow, cancellationToken);
        await diamond.StopAsync();
        if (upstream.Problem is not null)
            throw new InvalidOperationException(upstream.Problem);
        var transactions = upstream.Transactions;
        log.WriteLine($"  run {run}: {options.Records:N0} raw records -> {transactions:N0} transactions and history rows; use cases alone...");

        diamond.Reconfigure($"pipeline.use-cases.stream.group-id-prefix=solo-{id}-");
        await diamond.StartAsync();
        var solo = await MeasureAsync(diamond, others, transactions, cancellationToken);
        await diamond.StopAsync();
        log.WriteLine($"  run {run}: solo {Line(solo)}; with the slow use case...");

        string[] Next(string phase, params string[] keys) =>
        [
            $"pipeline.use-cases.stream.group-id-prefix={phase}-{id}-",
            $"pipeline.use-cases.enabled=[{string.Join(", ", others.Concat(keys).Select(k => $"\"{k}\""))}]",
            $"pipeline.use-cases.{SlowUseCase.Key}.delay={IsolationBenchOptions.SlowDelay.TotalMilliseconds}ms",
            $"pipeline.use-cases.{FailingUseCase.Key}.one-in={IsolationBenchOptions.FailOneIn}"
        ];
        diamond.Reconfigure(Next("slow", SlowUseCase.Key));
        await diamond.StartAsync();
        var withSlow = await MeasureAsync(diamond, others, transactions, cancellationToken);
        await diamond.StopAsync();
        log.WriteLine($"  run {run}: with the slow use case {Line(withSlow)}; with the slow and the failing one...");

        var deadLettersBefore = Inspector.Watermarks(topics.DeadLetters).Appended;
        diamond.Reconfigure(Next("mixed", SlowUseCase.Key, FailingUseCase.Key));
        var slowStage = UseCaseStreamSettings.StageName(SlowUseCase.Key);
        var slowBefore = diamond.Statistics.ProcessedBy(slowStage);
        var started = Stopwatch.StartNew();
        await diamond.StartAsync();
        var measured = await MeasureAsync(diamond, [.. others, FailingUseCase.Key], transactions, cancellationToken);
        var slow = diamond.Statistics.ProcessedBy(slowStage) - slowBefore;
        var slowSeconds = started.Elapsed.TotalSeconds;
        await diamond.StopAsync();
        var (mixed, failing) = (measured.Take(others.Count).ToList(), measured[^1]);

        var deadLetters = Inspector.Watermarks(topics.DeadLetters).Appended - deadLettersBefore;
        var expectedFailures = records.Count(r => FailingUseCase.Fails(r.TransactionId, IsolationBenchOptions.FailOneIn));
        var problem = upstream.DeadLetters > 0 ? $"upstream refused {upstream.DeadLetters} records, so the failing use case's dead letters cannot be checked"
            : deadLetters != expectedFailures ? $"the failing use case wrote {deadLetters} dead letters, expected {expectedFailures}"
            : null;
        log.WriteLine($"  run {run}: mixed {Line(mixed)}; slow use case {slow:N0} of {transactions:N0} records in {slowSeconds:F1} s; " +
                      $"failing use case {failing.PerSecond:N0} records/s, {deadLetters:N0} dead letters{(problem is null ? "" : "  NOT VERIFIED: " + problem)}");
        return new IsolationRun(run, transactions, solo, withSlow, mixed, slow, TimeSpan.FromSeconds(slowSeconds), failing, deadLetters, expectedFailures, problem);
    }

    private static string Line(IEnumerable<UseCaseRate> rates) => string.Join(", ", rates.Select(r => $"{r.Key} {r.PerSecond:N0}/s"));

    /// <summary>Waits until every use case in <paramref name="keys"/> finished <paramref name="transactions"/> more records than when called.</summary>
    private static async Task<IReadOnlyList<UseCaseRate>> MeasureAsync(BenchDiamond diamond, IReadOnlyList<string> keys, long transactions, CancellationToken cancellationToken)
    {
        var statistics = diamond.Statistics;
        var stages = keys.Select(UseCaseStreamSettings.StageName).ToList();
        var baseline = stages.Select(statistics.ProcessedBy).ToArray();
        long Done(int i) => statistics.ProcessedBy(stages[i]) - baseline[i];
        var firstSight = new long?[stages.Count];
        var finished = new long?[stages.Count];
        var total = long.MinValue;
        var lastProgress = Stopwatch.GetTimestamp();
        var previousPoll = lastProgress;
        while (finished.Any(f => f is null))
        {
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < stages.Count; i++)
            {
                var done = Done(i);
                // Counted from the last poll that saw it idle, so a use case done within one poll still has a rate.
                if (firstSight[i] is null && done > 0)
                    firstSight[i] = previousPoll;
                if (finished[i] is null && done >= transactions)
                    finished[i] = now;
            }
            var sum = Enumerable.Range(0, stages.Count).Sum(Done);
            if (sum != total)
                (total, lastProgress) = (sum, now);
            else if (Stopwatch.GetElapsedTime(lastProgress) > StallTimeout)
                throw new TimeoutException($"no progress for {StallTimeout.TotalSeconds:F0} s: " +
                                           string.Join(", ", keys.Select((k, i) => $"{k} {Done(i)} of {transactions}")));
            previousPoll = now;
            await Task.Delay(PollInterval, cancellationToken);
        }
        return keys.Select((key, i) => new UseCaseRate(key, transactions,
            Stopwatch.GetElapsedTime(firstSight[i]!.Value, finished[i]!.Value))).ToList();
    }

}

/// <summary>One run: the reference use cases alone, next to the slow one, and next to the slow and the failing one, over the same transactions.</summary>
/// <param name="Slow">Records the slow use case finished by the time the others and the failing one were done.</param>
/// <param name="SlowElapsed">From the mixed node's start until then.</param>
internal sealed record IsolationRun(int Run, long Transactions, IReadOnlyList<UseCaseRate> Solo, IReadOnlyList<UseCaseRate> WithSlow, IReadOnlyList<UseCaseRate> Mixed, long Slow, TimeSpan SlowElapsed,
    UseCaseRate Failing, long DeadLetters, long ExpectedDeadLetters, string? Problem);

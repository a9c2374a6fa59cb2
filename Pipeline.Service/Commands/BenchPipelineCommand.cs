using System.CommandLine;
using System.Globalization;
using Pipeline.Service.Bench;
using Pipeline.Service.Bench.Diamond;

namespace Pipeline.Service.Commands;

/// <summary>
/// <c>pipeline bench pipeline</c>: the whole diamond (upstream, the four reference use cases, downstream) in this process
/// on the embedded Kafka, the embedded registry and SQLite: backlog drain throughput and memory against a plain-loop
/// ceiling, then per-event latency at fixed rates. Prints a report and writes it to a file of
/// its own (--report; bench-results/ by default).
/// </summary>
internal static class BenchPipelineCommand
{
    private static readonly Option<int> Records = BenchCommandParts.Records("Raw generator records pre-loaded before each throughput run.", 200_000);

    private static readonly Option<int> Runs = BenchCommandParts.Runs(
        "Throughput runs (each drains a fresh backlog, then runs the plain loop on it); the table shows the median.");

    private static readonly Option<int[]> Rates = new("--rates")
    {
        Description = "Input rates (records/s) of latency mode, e.g. --rates 300 2000.",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [300, 2_000]
    };

    private static readonly Option<int> Seconds = new("--seconds")
    {
        Description = "Measured seconds of latency mode at each rate, after a 5 s warm-up; 0 skips latency mode.",
        DefaultValueFactory = _ => 30
    };

    private static readonly Option<int> AllocationTypes = new("--allocation-types")
    {
        Description = "Print the N types each drain allocates most (sampled by the runtime's allocation ticks, about one per 100 KB); 0 samples none.",
        DefaultValueFactory = _ => 0
    };

    private static readonly Option<string> Report = BenchCommandParts.Report("pipeline");

    /// <summary>Adds <c>pipeline</c> under the <c>bench</c> command, creating <c>bench</c> when no other benchmark did yet.</summary>
    public static void AddTo(RootCommand root)
        => BenchCommand.GetOrAdd(root).Subcommands.Add(Create());

    private static Command Create()
    {
        var command = new Command("pipeline",
            "The whole diamond in one process (embedded Kafka, SQLite, embedded registry): records/s draining a backlog against a plain " +
            "Confluent.Kafka loop running the same use cases, peak memory, and latency p50/p99/p99.9/max end to end and per hop at fixed rates.");
        CommonOptions.AddTo(command);
        command.Options.Add(Records);
        command.Options.Add(Runs);
        command.Options.Add(Rates);
        command.Options.Add(Seconds);
        command.Options.Add(AllocationTypes);
        command.Options.Add(Report);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new PipelineBenchOptions(parse.GetValue(Records), parse.GetValue(Runs), parse.GetValue(Rates) ?? [],
                TimeSpan.FromSeconds(parse.GetValue(Seconds)), BenchCommandParts.ReportFile(parse, Report, "pipeline"), parse.GetValue(AllocationTypes));
            if (options.Problem() is { } problem)
            {
                Console.Error.WriteLine($"bench pipeline: {problem}");
                return 2;
            }
            CommonOptions.Load(parse); // a bad --config or --set stops here, before anything starts

            Console.Out.WriteLine($"bench pipeline: embedded Kafka, embedded schema registry and SQLite in this process; {options.Records:N0} records x {options.Runs} run(s), " +
                                  $"then {string.Join(" and ", options.Rates.Select(r => $"{r:N0}/s"))} for {options.Duration.TotalSeconds:F0} s each");
            PipelineBenchResult result;
            await using (var bench = new PipelineBench(options, overrides => CommonOptions.Load(parse, overrides), Console.Out))
                result = await bench.RunAsync(cancellationToken);

            var report = new StringWriter(CultureInfo.InvariantCulture);
            PipelineBenchReport.Write(report, options, result);
            var arguments = string.Create(CultureInfo.InvariantCulture,
                $"--records {options.Records} --runs {options.Runs} --rates {string.Join(' ', options.Rates)} --seconds {options.Duration.TotalSeconds:F0}")
                + (options.AllocationTypes > 0 ? $" --allocation-types {options.AllocationTypes}" : "");
            return BenchCommandParts.Finish(parse, "pipeline", arguments, options.Report, report.ToString(),
                result.Drains.All(d => d.Problem is null) && result.Latencies.All(l => l.Drain.Problem is null));
        });
        return command;
    }
}

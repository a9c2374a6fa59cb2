using System.CommandLine;
using System.Globalization;
using Pipeline.Core.Storage;
using Pipeline.Service.Bench.Scaling;

namespace Pipeline.Service.Commands;

/// <summary>
/// <c>pipeline bench scaling</c>: throughput and CPU per record with 1, 2 and 4 reference use cases on one node and with 4 on
/// two nodes (the second a process of its own), on the embedded Kafka, registry and SQLite. Prints a report and writes it
/// to a file of its own (--report; bench-results/ by default).
/// </summary>
internal static class BenchScalingCommand
{
    private static readonly Option<int> Records = BenchCommandParts.Records("Raw generator records written into each configuration's fresh diamond.", 100_000);

    private static readonly Option<int> Runs = BenchCommandParts.Runs("Runs of every configuration (1, 2 and 4 use cases on one node, 4 on two nodes); the table shows medians.");

    private static readonly Option<string> Report = BenchCommandParts.Report("scaling");

    /// <summary>Adds <c>scaling</c> under the <c>bench</c> command, creating <c>bench</c> when no other benchmark did yet.</summary>
    public static void AddTo(RootCommand root)
        => BenchCommand.GetOrAdd(root).Subcommands.Add(Create());

    private static Command Create()
    {
        var command = new Command("scaling",
            "Records/s and CPU per record of the whole diamond with 1, 2 and 4 reference use cases on one node, and with 4 on two nodes " +
            "(a second `pipeline run` process joining this one's cluster), on the embedded Kafka, SQLite and the embedded registry.");
        CommonOptions.AddTo(command);
        command.Options.Add(Records);
        command.Options.Add(Runs);
        command.Options.Add(Report);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ScalingBenchOptions(parse.GetValue(Records), parse.GetValue(Runs), BenchCommandParts.ReportFile(parse, Report, "scaling"));
            if (options.Problem() is { } problem)
            {
                Console.Error.WriteLine($"bench scaling: {problem}");
                return 2;
            }
            // A bad --config or --set stops here, before anything starts.
            var store = HistoryStoreSettings.Create(CommonOptions.Load(parse)).Provider;

            Console.Out.WriteLine($"bench scaling: embedded Kafka and schema registry in this process, {store} store; {options.Records:N0} records x " +
                                  $"{ScalingBenchOptions.Configurations.Count} configurations x {options.Runs} run(s)");
            IReadOnlyList<ScalingRun> runs;
            await using (var bench = new ScalingBench(options, overrides => CommonOptions.Load(parse, overrides), parse.GetValue(CommonOptions.Config),
                             parse.GetValue(CommonOptions.Set) ?? [], Console.Out))
                runs = await bench.RunAsync(cancellationToken);

            var report = new StringWriter(CultureInfo.InvariantCulture);
            ScalingBenchReport.Write(report, runs);
            return BenchCommandParts.Finish(parse, "scaling", $"--records {options.Records} --runs {options.Runs}", options.Report, report.ToString(),
                runs.All(r => r.Problem is null));
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using Pipeline.Service.Bench;
using Pipeline.Service.Bench.Isolation;

namespace Pipeline.Service.Commands;

/// <summary>
/// <c>pipeline bench isolation</c>: the reference use cases' throughput alone and next to a use case that blocks 50 ms per
/// record and one that throws on some records, in one process on the embedded Kafka, registry and SQLite. Prints a report
/// and writes it to a file of its own (--report; bench-results/ by default).
/// </summary>
internal static class BenchIsolationCommand
{
    private static readonly Option<int> Records = BenchCommandParts.Records("Raw generator records each run's diamond is loaded with.", 30_000);

    private static readonly Option<int> Runs = BenchCommandParts.Runs(
        "Runs (each on a fresh diamond: the use cases alone, then with the slow and the failing one); the table shows medians.");

    private static readonly Option<string> Report = BenchCommandParts.Report("isolation");

    /// <summary>Adds <c>isolation</c> under the <c>bench</c> command, creating <c>bench</c> when no other benchmark did yet.</summary>
    public static void AddTo(RootCommand root)
        => BenchCommand.GetOrAdd(root).Subcommands.Add(Create());

    private static Command Create()
    {
        var command = new Command("isolation",
            "Records/s of each reference use case alone and next to a use case blocking 50 ms per record and one throwing on about one record in 10, " +
            "over the same transactions in one process (embedded Kafka, SQLite, embedded registry); the failing one's dead letters are counted.");
        CommonOptions.AddTo(command);
        command.Options.Add(Records);
        command.Options.Add(Runs);
        command.Options.Add(Report);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new IsolationBenchOptions(parse.GetValue(Records), parse.GetValue(Runs), BenchCommandParts.ReportFile(parse, Report, "isolation"));
            if (options.Problem() is { } problem)
            {
                Console.Error.WriteLine($"bench isolation: {problem}");
                return 2;
            }
            CommonOptions.Load(parse); // a bad --config or --set stops here, before anything starts

            Console.Out.WriteLine($"bench isolation: embedded Kafka, embedded schema registry and SQLite in this process; {options.Records:N0} records x {options.Runs} run(s)");
            IReadOnlyList<IsolationRun> runs;
            await using (var bench = new IsolationBench(options, overrides => CommonOptions.Load(parse, overrides), Console.Out))
                runs = await bench.RunAsync(cancellationToken);

            var report = new StringWriter(CultureInfo.InvariantCulture);
            IsolationBenchReport.Write(report, runs);
            return BenchCommandParts.Finish(parse, "isolation", $"--records {options.Records} --runs {options.Runs}", options.Report, report.ToString(),
                runs.All(r => r.Problem is null));
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using Pipeline.Service.Bench;
using Pipeline.Service.Bench.Isolation;

namespace Pipeline.Service.Commands;

/// <summary>
/// <c>pipeline bench isolation</c>: the reference use cases' throughput alone and next to a use case that blocks 50 ms per
/// record and one that throws on some records, in one process on the embedded Kafka, registry and SQLite. Prints a report
/// and appends it to docs/benchmarks.md.
/// </summary>
internal static class BenchIsolationCommand
{
    private static readonly Option<int> Records = new("--records")
    {
        Description = "Raw generator records each run's diamond is loaded with.",
        DefaultValueFactory = _ => 30_000
    };

    private static readonly Option<int> Runs = new("--runs")
    {
        Description = "Runs (each on a fresh diamond: the use cases alone, then with the slow and the failing one); the table shows medians.",
        DefaultValueFactory = _ => 3
    };

    private static readonly Option<string> AppendTo = new("--append-to")
    {
        Description = "Markdown file the report is appended to (skipped when its directory does not exist); empty: do not append.",
        DefaultValueFactory = _ => BenchReportFile.Default
    };

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
        command.Options.Add(AppendTo);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var appendTo = parse.GetValue(AppendTo);
            var options = new IsolationBenchOptions(parse.GetValue(Records), parse.GetValue(Runs), string.IsNullOrEmpty(appendTo) ? null : appendTo);
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
            var machine = MachineDescription.Read();
            Console.Out.Write(report.ToString());
            Console.Out.WriteLine();
            Console.Out.WriteLine($"machine: {machine}");
            if (options.AppendTo is { } file)
                BenchReportFile.Append(file, "isolation", $"--records {options.Records} --runs {options.Runs}", parse.GetValue(CommonOptions.Set) ?? [], machine, report.ToString());
            var verified = runs.All(r => r.Problem is null);
            Console.Out.WriteLine(verified ? "all counts verified" : "SOME COUNTS NOT VERIFIED (see above)");
            return verified ? 0 : 1;
        });
        return command;
    }
}

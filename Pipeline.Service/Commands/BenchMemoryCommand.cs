using System.CommandLine;
using System.Globalization;
using Pipeline.Service.Bench.Memory;

namespace Pipeline.Service.Commands;

/// <summary>
/// <c>pipeline bench memory</c>: peak working set and GC heap of a node draining a backlog, the node in a process of its own
/// so that the embedded broker's memory is not counted. Prints a report and writes it to a file of its own
/// (--report; bench-results/ by default).
/// </summary>
internal static class BenchMemoryCommand
{
    private static readonly Option<int[]> Backlogs = new("--backlogs")
    {
        Description = "Raw generator records waiting before the node starts, one drain each, e.g. --backlogs 200000 1000000.",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [200_000, 1_000_000]
    };

    private static readonly Option<int> Runs = BenchCommandParts.Runs("Runs of every backlog; the table shows medians.");

    private static readonly Option<string[]> NodeEnvironment = new("--node-env")
    {
        Description = "NAME=VALUE added to the node's environment only, e.g. --node-env DOTNET_gcServer=0 (repeatable).",
        DefaultValueFactory = _ => []
    };

    private static readonly Option<string> Report = BenchCommandParts.Report("memory");

    /// <summary>Adds <c>memory</c> under the <c>bench</c> command, creating <c>bench</c> when no other benchmark did yet.</summary>
    public static void AddTo(RootCommand root)
        => BenchCommand.GetOrAdd(root).Subcommands.Add(Create());

    private static Command Create()
    {
        var command = new Command("memory",
            "Peak working set and GC heap of a node (`pipeline run` in a process of its own) draining backlogs of the generator's records " +
            "from the embedded Kafka, which stays in this process.");
        CommonOptions.AddTo(command);
        command.Options.Add(Backlogs);
        command.Options.Add(Runs);
        command.Options.Add(NodeEnvironment);
        command.Options.Add(Report);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new MemoryBenchOptions(parse.GetValue(Backlogs) ?? [], parse.GetValue(Runs), BenchCommandParts.ReportFile(parse, Report, "memory"),
                parse.GetValue(NodeEnvironment) ?? []);
            if (options.Problem() is { } problem)
            {
                Console.Error.WriteLine($"bench memory: {problem}");
                return 2;
            }
            CommonOptions.Load(parse); // a bad --config or --set stops here, before anything starts

            Console.Out.WriteLine($"bench memory: backlogs of {string.Join(" and ", options.Backlogs.Select(b => b.ToString("N0", CultureInfo.InvariantCulture)))} records x {options.Runs} run(s)");
            IReadOnlyList<MemoryRun> runs;
            await using (var bench = new MemoryBench(options, overrides => CommonOptions.Load(parse, overrides), parse.GetValue(CommonOptions.Config),
                             parse.GetValue(CommonOptions.Set) ?? [], Console.Out))
                runs = await bench.RunAsync(cancellationToken);

            var report = new StringWriter(CultureInfo.InvariantCulture);
            MemoryBenchReport.Write(report, runs);
            return BenchCommandParts.Finish(parse, "memory", $"--backlogs {string.Join(' ', options.Backlogs)} --runs {options.Runs}{string.Concat(options.NodeEnvironment.Select(e => " --node-env " + e))}", options.Report,
                report.ToString(), runs.All(r => r.Problem is null));
        });
        return command;
    }
}

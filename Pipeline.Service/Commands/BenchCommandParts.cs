using System.CommandLine;

namespace Pipeline.Service.Commands;

/// <summary>What the benchmark commands share: their --records, --runs and --report options and how they end.</summary>
internal static class BenchCommandParts
{
    public static Option<int> Records(string description, int defaultValue) => new("--records")
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue
    };

    public static Option<int> Runs(string description) => new("--runs")
    {
        Description = description,
        DefaultValueFactory = _ => 3
    };

    public static Option<string> Report(string bench) => new("--report")
    {
        Description = $"Markdown file the report is written to (appended to when it exists); default: {BenchReportFile.Folder}/{bench}-<UTC time>.md " +
                      "under the working directory; empty: write none."
    };

    /// <summary>The file the report goes to: the one --report names, the default when it is not given, or null for an empty --report.</summary>
    public static string? ReportFile(ParseResult parse, Option<string> report, string bench) =>
        parse.GetValue(report) switch
        {
            null => BenchReportFile.DefaultPath(bench, DateTime.UtcNow),
            "" => null,
            var file => file
        };

    /// <summary>Prints the report and the machine, writes both to <paramref name="reportFile"/>, and returns the exit code: 0 when every count was verified.</summary>
    /// <param name="arguments">The command's own options as typed, for the written report.</param>
    public static int Finish(ParseResult parse, string bench, string arguments, string? reportFile, string report, bool verified)
    {
        Console.Out.Write(report);
        return End(parse, bench, arguments, reportFile, report, verified);
    }

    /// <summary>As <see cref="Finish"/>, for a command that printed its report as it went.</summary>
    public static int End(ParseResult parse, string bench, string arguments, string? reportFile, string report, bool verified)
    {
        var machine = Bench.MachineDescription.Read();
        Console.Out.WriteLine();
        Console.Out.WriteLine($"machine: {machine}");
        if (reportFile is not null)
            BenchReportFile.Write(reportFile, bench, arguments, parse.GetValue(CommonOptions.Set) ?? [], machine, report);
        Console.Out.WriteLine(verified ? "all counts verified" : "SOME COUNTS NOT VERIFIED (see above)");
        return verified ? 0 : 1;
    }
}

using System.CommandLine;

namespace Pipeline.Service.Commands;

/// <summary>What the whole-diamond benchmark commands share: their --records, --runs and --append-to options and how they end.</summary>
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

    public static Option<string> AppendTo() => new("--append-to")
    {
        Description = "Markdown file the report is appended to (skipped when its directory does not exist); empty: do not append.",
        DefaultValueFactory = _ => BenchReportFile.Default
    };

    /// <summary>The file --append-to names, or null for none.</summary>
    public static string? AppendFile(ParseResult parse, Option<string> appendTo) =>
        parse.GetValue(appendTo) is { Length: > 0 } file ? file : null;

    /// <summary>Prints the report and the machine, appends both to <paramref name="appendTo"/>, and returns the exit code: 0 when every count was verified.</summary>
    /// <param name="arguments">The command's own options as typed, for the appended report.</param>
    public static int Finish(ParseResult parse, string bench, string arguments, string? appendTo, string report, bool verified)
    {
        var machine = Bench.MachineDescription.Read();
        Console.Out.Write(report);
        Console.Out.WriteLine();
        Console.Out.WriteLine($"machine: {machine}");
        if (appendTo is not null)
            BenchReportFile.Append(appendTo, bench, arguments, parse.GetValue(CommonOptions.Set) ?? [], machine, report);
        Console.Out.WriteLine(verified ? "all counts verified" : "SOME COUNTS NOT VERIFIED (see above)");
        return verified ? 0 : 1;
    }
}

using System.Globalization;

namespace Pipeline.Service.Commands;

/// <summary>Appends a benchmark's report to a Markdown file (docs/benchmarks.md by default) under a dated heading.</summary>
internal static class BenchReportFile
{
    public const string Default = "docs/benchmarks.md";

    /// <param name="bench">The benchmark's name, e.g. <c>pipeline</c>.</param>
    /// <param name="arguments">The command's own options as typed; each --set is added after them.</param>
    public static void Append(string file, string bench, string arguments, IEnumerable<string> sets, string machine, string report)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (!Directory.Exists(directory))
        {
            Console.Out.WriteLine($"report not appended: there is no directory {directory} (run from the repository root, or give --append-to FILE).");
            return;
        }
        var command = $"pipeline bench {bench} {arguments}" + string.Concat(sets.Select(s => $" --set {s}"));
        File.AppendAllText(file, string.Create(CultureInfo.InvariantCulture,
            $"\n### `bench {bench}` run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC\n\n`{command}`\n\nMachine: {machine}.\n\n```text{report}```\n"));
        Console.Out.WriteLine($"report appended to {file}");
    }
}

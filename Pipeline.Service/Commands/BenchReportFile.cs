using System.Globalization;

namespace Pipeline.Service.Commands;

/// <summary>
/// Writes a benchmark's report to a Markdown file under a dated heading: by default a file of its own in
/// <see cref="Folder"/> (git-ignored), so raw runs stay out of docs/benchmarks.md, which holds the curated results.
/// </summary>
internal static class BenchReportFile
{
    /// <summary>Where reports go unless --report names a file, relative to the working directory.</summary>
    public const string Folder = "bench-results";

    /// <summary><c>bench-results/&lt;bench&gt;-&lt;UTC time&gt;.md</c>, e.g. <c>bench-results/pipeline-20261205T071500Z.md</c>.</summary>
    public static string DefaultPath(string bench, DateTime utc) =>
        Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"{bench}-{utc:yyyyMMdd'T'HHmmss'Z'}.md"));

    /// <summary>Appends the report to <paramref name="file"/> (creating it and its directory) and prints where it went.</summary>
    /// <param name="bench">The benchmark's name, e.g. <c>pipeline</c>.</param>
    /// <param name="arguments">The command's own options as typed; each --set is added after them.</param>
    public static void Write(string file, string bench, string arguments, IEnumerable<string> sets, string machine, string report)
    {
        var command = $"pipeline bench {bench} {arguments}" + string.Concat(sets.Select(s => $" --set {s}"));
        var path = Path.GetFullPath(file);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture,
                $"## `bench {bench}` run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC\n\n`{command}`\n\nMachine: {machine}.\n\n```text{report}```\n\n"));
            Console.Out.WriteLine($"report written to {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"report not written to {path}: {e.Message} Give --report a file in a writable directory, or --report \"\" to write none.");
        }
    }
}

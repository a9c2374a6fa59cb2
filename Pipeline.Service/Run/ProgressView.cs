using Pipeline.Core.UseCases;
using System.Globalization;
using Pipeline.Core.Measurement;
using Spectre.Console;

namespace Pipeline.Service.Run;

/// <summary>
/// The live terminal view of a running job: per stream, rates, latency percentiles (from the raw record's timestamp,
/// so the notifications row is end to end) and lag, as <see cref="LiveFigures"/> last sampled them (the console shows
/// the same sample). On a terminal it redraws a table in place; otherwise (logs, CI) it
/// prints one line per stream per refresh.
/// </summary>
internal sealed class ProgressView(LiveFigures figures, TimeSpan refresh)
{
    public async Task RunAsync(string header, CancellationToken stop)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            var table = NewTable();
            await AnsiConsole.Live(table).StartAsync(async context =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await Delay(stop);
                    Fill(table, header, figures.Latest);
                    context.Refresh();
                }
            });
        }
        else
        {
            Console.Out.WriteLine(header);
            DateTime shown = default;
            while (!stop.IsCancellationRequested)
            {
                await Delay(stop);
                var latest = figures.Latest;
                if (latest.At == shown)
                    continue;
                shown = latest.At;
                foreach (var sample in latest.Streams)
                    Console.Out.WriteLine(sample.ToLine());
            }
        }
    }

    private async Task Delay(CancellationToken stop)
    {
        try { await Task.Delay(refresh, stop); }
        catch (OperationCanceledException) { }
    }

    private static Table NewTable() => new Table().Border(TableBorder.Rounded)
        .AddColumn("stream").AddColumn("processed/s").AddColumn("processed").AddColumn("lag")
        .AddColumn("latency p50").AddColumn("p99").AddColumn("p99.9").AddColumn("max").AddColumn("findings");

    /// <summary>CPU seconds (and the Python workers' memory) per use case so far, from the use-case resource metrics.</summary>
    private static string ResourceLine()
    {
        Pipeline.Core.UseCaseRuntime.Python.PythonResources.Sample();
        var parts = UseCaseResources.Cpu.GetAllLabelValues().Select(labels => labels[0]).Order(StringComparer.Ordinal).Select(name =>
        {
            var memory = UseCaseResources.Memory.WithLabels(name).Value;
            var cpu = UseCaseResources.Cpu.WithLabels(name).Value;
            return memory > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{name} {cpu:F1} s {memory / 1048576:F0} MiB")
                : string.Create(CultureInfo.InvariantCulture, $"{name} {cpu:F1} s");
        });
        return "use-case CPU: " + string.Join(", ", parts);
    }

    private static void Fill(Table table, string header, FiguresSnapshot samples)
    {
        table.Title = new TableTitle(header);
        table.Caption = new TableTitle(string.Create(CultureInfo.InvariantCulture,
            $"generated {samples.GeneratedPerSecond:N0}/s | latency is from the raw record's timestamp | Ctrl-C stops: drain, commit, close\n") + ResourceLine());
        if (table.Rows.Count > 0)
            table.Rows.Clear();
        foreach (var sample in samples.Streams)
            table.AddRow(sample.Cells());
    }
}

/// <summary>One stream at one refresh of the view.</summary>
internal sealed record Sample(string Stream, double ProcessedPerSecond, long Processed, long Lag, LatencySnapshot Latency, string Findings)
{
    public string[] Cells() =>
    [
        Stream, Rate(ProcessedPerSecond), Processed.ToString("N0", CultureInfo.InvariantCulture),
        Lag.ToString("N0", CultureInfo.InvariantCulture), Ms(Latency.P50), Ms(Latency.P99), Ms(Latency.P999), Ms(Latency.Max), Findings
    ];

    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"stream={Stream} processed/s={ProcessedPerSecond:F0} processed={Processed} lag={Lag} " +
        $"latency p50={Latency.P50:F1}ms p99={Latency.P99:F1}ms p99.9={Latency.P999:F1}ms max={Latency.Max:F1}ms") + (Findings.Length > 0 ? " findings=" + Findings.Replace(", ", ",").Replace(' ', ':') : "");

    private static string Rate(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("F1", CultureInfo.InvariantCulture) + " ms";
}

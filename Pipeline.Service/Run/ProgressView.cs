using System.Globalization;
using Pipeline.Core.Measurement;
using Spectre.Console;

namespace Pipeline.Service.Run;

/// <summary>
/// The live terminal view of a running job: rates, latency percentiles, lag. On a terminal it redraws a
/// table in place; otherwise (logs, CI) it prints one line per refresh.
/// </summary>
internal sealed class ProgressView(RunStatistics statistics, Func<long> lag, TimeSpan refresh)
{
    private long _lastGenerated;
    private long _lastProcessed;
    private DateTime _lastAt = DateTime.UtcNow;

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
                    Fill(table, header, Sample());
                    context.Refresh();
                }
            });
        }
        else
        {
            Console.Out.WriteLine(header);
            while (!stop.IsCancellationRequested)
            {
                await Delay(stop);
                Console.Out.WriteLine(Sample().ToLine());
            }
        }
    }

    private async Task Delay(CancellationToken stop)
    {
        try { await Task.Delay(refresh, stop); }
        catch (OperationCanceledException) { }
    }

    private Sample Sample()
    {
        var now = DateTime.UtcNow;
        var seconds = Math.Max(0.001, (now - _lastAt).TotalSeconds);
        var generated = statistics.Generated;
        var processed = statistics.Processed;
        var sample = new Sample(
            (generated - _lastGenerated) / seconds,
            (processed - _lastProcessed) / seconds,
            processed,
            lag(),
            statistics.Latency.TakeInterval());
        (_lastGenerated, _lastProcessed, _lastAt) = (generated, processed, now);
        return sample;
    }

    private static Table NewTable() => new Table().Border(TableBorder.Rounded)
        .AddColumn("generated/s").AddColumn("processed/s").AddColumn("processed").AddColumn("lag")
        .AddColumn("latency p50").AddColumn("p99").AddColumn("p99.9").AddColumn("max");

    private static void Fill(Table table, string header, Sample sample)
    {
        table.Title = new TableTitle(header);
        table.Caption = new TableTitle("Ctrl-C stops: drain, commit, close");
        if (table.Rows.Count > 0)
            table.Rows.Clear();
        table.AddRow(sample.Cells());
    }
}

/// <summary>One refresh of the view.</summary>
internal sealed record Sample(double GeneratedPerSecond, double ProcessedPerSecond, long Processed, long Lag, LatencySnapshot Latency)
{
    public string[] Cells() =>
    [
        Rate(GeneratedPerSecond), Rate(ProcessedPerSecond), Processed.ToString("N0", CultureInfo.InvariantCulture),
        Lag.ToString("N0", CultureInfo.InvariantCulture), Ms(Latency.P50), Ms(Latency.P99), Ms(Latency.P999), Ms(Latency.Max)
    ];

    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"generated/s={GeneratedPerSecond:F0} processed/s={ProcessedPerSecond:F0} processed={Processed} lag={Lag} " +
        $"latency p50={Latency.P50:F1}ms p99={Latency.P99:F1}ms p99.9={Latency.P999:F1}ms max={Latency.Max:F1}ms");

    private static string Rate(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("F1", CultureInfo.InvariantCulture) + " ms";
}

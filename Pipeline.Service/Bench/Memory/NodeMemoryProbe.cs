using System.Globalization;
using Pipeline.Service.Bench.Diamond;

namespace Pipeline.Service.Bench.Memory;

/// <summary>
/// Samples a node process's working set and, from its own /metrics (prometheus-net's <c>dotnet_total_memory_bytes</c>),
/// its managed heap every 200 ms until stopped, keeping the peaks.
/// </summary>
internal sealed class NodeMemoryProbe : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly ChildNode _node;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private NodeMemoryProbe(ChildNode node, Uri metrics)
    {
        _node = node;
        _http = new HttpClient { BaseAddress = metrics, Timeout = TimeSpan.FromSeconds(5) };
        _loop = Task.Run(SampleAsync);
    }

    public long PeakWorkingSet { get; private set; }

    public long PeakGcHeap { get; private set; }

    /// <param name="httpUrl">The node's HTTP endpoints, e.g. http://127.0.0.1:41234.</param>
    public static NodeMemoryProbe Start(ChildNode node, string httpUrl) => new(node, new Uri(new Uri(httpUrl), "/metrics"));

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            PeakWorkingSet = Math.Max(PeakWorkingSet, _node.WorkingSet);
            try
            {
                var metrics = await _http.GetStringAsync("", _stop.Token);
                var heap = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("dotnet_total_memory_bytes ", StringComparison.Ordinal));
                if (heap is not null)
                    PeakGcHeap = Math.Max(PeakGcHeap, (long)double.Parse(heap.Split(' ')[1], CultureInfo.InvariantCulture));
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // stopped
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The node is busy or still starting; the next sample tries again.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        PeakWorkingSet = Math.Max(PeakWorkingSet, _node.PeakWorkingSet ?? 0);
        _http.Dispose();
        _stop.Dispose();
    }
}

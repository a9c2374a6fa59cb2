using Pipeline.Core.Measurement;

namespace Pipeline.Service.Bench;

/// <summary>One variant's hop latencies in latency mode, and how many of the fed records it delivered.</summary>
internal sealed record LatencySample(string VariantId, long Fed, long Delivered, LatencySnapshot Latency)
{
    public bool Complete => Delivered >= Fed;
}

using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry.Context.Propagation;

namespace Pipeline.Core.Tracing;

/// <summary>
/// Spans per record across the hops: upstream starts the root (the tracer provider's sampler decides once), each later hop
/// starts a child of the context its input carries in the W3C <c>traceparent</c> header and follows its sampled flag, and
/// every output message carries the hop's own context on. With no tracer provider (tracing off) the source has no listener:
/// each call returns at its first check, so no activity is created, no header is read or written and nothing is allocated.
/// </summary>
public static class RecordTracing
{
    /// <summary>The name of the <see cref="ActivitySource"/> every hop's span comes from.</summary>
    public const string SourceName = "Pipeline";

    /// <summary>The tag holding the topic, partition and offset the hop consumed the record at.</summary>
    public const string InputTag = "messaging.source";

    private static readonly ActivitySource Source = new(SourceName);
    private static readonly TraceContextPropagator Propagator = new();

    /// <summary>Starts the root span of a record consumed by upstream; null when tracing is off.</summary>
    public static Activity? StartRoot(string stage, ConsumeResult<byte[]?, byte[]?> record)
    {
        if (!Source.HasListeners())
            return null;
        return Tagged(Source.StartActivity(stage, ActivityKind.Consumer, default(ActivityContext)), record.Topic, record.Partition.Value, record.Offset.Value);
    }

    /// <summary>
    /// Starts a hop's span as the child of the context in the input's headers; null when tracing is off or the input carries
    /// none (it was produced while tracing was off).
    /// </summary>
    public static Activity? StartChild(string stage, Headers? headers, string topic, int partition, long offset)
    {
        if (!Source.HasListeners() || headers is null || !headers.TryGetLastBytes(TraceParent, out _))
            return null;
        var parent = Propagator.Extract(default, headers, ReadHeader).ActivityContext;
        if (parent == default)
            return null;
        return Tagged(Source.StartActivity(stage, ActivityKind.Consumer, parent), topic, partition, offset);
    }

    /// <summary>Writes the span's context into the output's headers, so the next hop continues the trace.</summary>
    public static void Carry(Activity? span, Message<byte[]?, byte[]?> output)
    {
        if (span is null)
            return;
        output.Headers ??= [];
        Propagator.Inject(new PropagationContext(span.Context, default), output.Headers, WriteHeader);
    }

    private const string TraceParent = "traceparent";

    private static Activity? Tagged(Activity? span, string topic, int partition, long offset)
    {
        if (span is { IsAllDataRequested: true })
            span.SetTag(InputTag, $"{topic}/{partition}@{offset}");
        return span;
    }

    private static IEnumerable<string> ReadHeader(Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var value) ? [Encoding.UTF8.GetString(value)] : [];

    private static void WriteHeader(Headers headers, string name, string value)
    {
        headers.Remove(name);
        headers.Add(name, Encoding.UTF8.GetBytes(value));
    }
}

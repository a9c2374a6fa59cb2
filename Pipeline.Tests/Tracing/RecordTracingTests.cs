using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Pipeline.Core.Downstream;
using Pipeline.Core.Generator;
using Pipeline.Core.Tracing;
using Pipeline.Core.Upstream;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Tests.Diamond;
using Pipeline.Tests.Generator;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Tracing;

/// <summary>
/// Spans per record across the diamond, linked through the records' <c>traceparent</c> headers. In the embedded Kafka's
/// collection, so no other test's tracer provider listens while the tracing-off case measures.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class RecordTracingTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_sampled_record_has_one_trace_from_upstream_through_a_use_case_to_downstream_and_the_rest_follow_the_sampled_share()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka, "pipeline.tracing.sample-ratio=0.25");
        var spans = new ConcurrentQueue<Activity>();
        using var provider = TracingExport.Start(TracingSettings.Create(diamond.Config.Section("pipeline.tracing")),
            builder => builder.AddProcessor(new SpanCollector(spans)));
        // Enough records that some sampled one has a finding: 2,000 gave about 10 notifications, so with a quarter sampled
        // no complete trace came out in about one run in twenty; 8,000 give about 40 (a miss about once in 100,000 runs).
        var records = DiamondTests.Generate(8_000);
        var expected = ExpectedNotifications.Compute(records.Select(r => RawRecordParser.Parse(r.Value)),
            diamond.Settings.UseCases, new Experiments(diamond.Settings.Downstream.BSharePercent));

        await diamond.StartAsync();
        diamond.ProduceRaw(records);
        await diamond.WaitForUseCasesAsync(records.Count, Timeout);
        await diamond.ReadNotificationsAsync(expected.Count, Timeout);

        // Only this harness's spans (its topics carry a fresh id).
        var ours = spans.Where(s => IsFrom(s, diamond)).ToList();
        var roots = ours.Where(s => s.DisplayName == UpstreamSettings.StageName).ToDictionary(s => s.TraceId);
        output.WriteLine($"{records.Count} records, {roots.Count} sampled, {ours.Count} spans, {expected.Count} notifications");
        Assert.All(roots.Values, root => Assert.Equal(default, root.ParentSpanId));
        // The sampler decides once, at the root: about a quarter of the records (binomial, sd ~39 of 8,000).
        Assert.InRange(roots.Count, 1_800, 2_200);
        // A child is recorded only under a sampled root: none starts a trace of its own.
        Assert.All(ours, span => Assert.True(roots.ContainsKey(span.TraceId), $"{span.DisplayName} {span.TraceId} has no sampled root"));

        var byParent = ours.ToLookup(s => s.ParentSpanId);
        var complete = roots.Values
            .SelectMany(root => byParent[root.SpanId].Where(s => s.DisplayName.StartsWith("use-case-", StringComparison.Ordinal))
                .SelectMany(useCase => byParent[useCase.SpanId].Where(s => s.DisplayName == DownstreamSettings.StageName)
                    .Select(downstream => (Root: root, UseCase: useCase, Downstream: downstream))))
            .ToList();
        Assert.NotEmpty(complete);
        var (first, hop, last) = complete[0];
        output.WriteLine($"trace {first.TraceId}: {first.DisplayName} {first.GetTagItem(RecordTracing.InputTag)} -> " +
            $"{hop.DisplayName} {hop.GetTagItem(RecordTracing.InputTag)} -> {last.DisplayName} {last.GetTagItem(RecordTracing.InputTag)}");
        Assert.Equal(first.TraceId, hop.TraceId);
        Assert.Equal(first.TraceId, last.TraceId);
        Assert.StartsWith(diamond.Settings.Topics.Transactions + "/", (string)hop.GetTagItem(RecordTracing.InputTag)!);
        Assert.StartsWith(diamond.Settings.Topics.Feedback + "/", (string)last.GetTagItem(RecordTracing.InputTag)!);
    }

    [Fact]
    public void With_tracing_off_no_span_is_made_no_header_is_read_or_written_and_nothing_is_allocated()
    {
        var headers = new Headers { { "traceparent", Encoding.UTF8.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01") } };
        var record = new ConsumeResult<byte[]?, byte[]?>
        {
            Topic = "raw", Partition = new Partition(3), Offset = new Offset(42),
            Message = new Message<byte[]?, byte[]?> { Value = [1], Headers = headers }
        };
        var outgoing = new Message<byte[]?, byte[]?> { Value = [2] };
        Hop(record, outgoing); // JIT and static initialisation outside the measurement

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
            Hop(record, outgoing);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Null(outgoing.Headers);
    }

    private static void Hop(ConsumeResult<byte[]?, byte[]?> record, Message<byte[]?, byte[]?> outgoing)
    {
        using var root = RecordTracing.StartRoot(UpstreamSettings.StageName, record);
        using var child = RecordTracing.StartChild(DownstreamSettings.StageName, record.Message.Headers, record.Topic, record.Partition.Value, record.Offset.Value);
        Assert.Null(root);
        Assert.Null(child);
        RecordTracing.Carry(root, outgoing);
        RecordTracing.Carry(child, outgoing);
    }

    private static bool IsFrom(Activity span, DiamondHarness diamond) =>
        span.GetTagItem(RecordTracing.InputTag) is string input &&
        (input.StartsWith(diamond.Settings.Topics.Raw + "/", StringComparison.Ordinal) ||
         input.StartsWith(diamond.Settings.Topics.Transactions + "/", StringComparison.Ordinal) ||
         input.StartsWith(diamond.Settings.Topics.Feedback + "/", StringComparison.Ordinal));

    private sealed class SpanCollector(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity span) => spans.Enqueue(span);
    }
}

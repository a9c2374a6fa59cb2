using Prometheus;

namespace Pipeline.Core.DeadLetters;

/// <summary>
/// The Prometheus counter <c>pipeline_dead_letters_total{stage,reason}</c>: dead letters acknowledged by Kafka,
/// by the stage that refused the input and the reason code of its <c>error.reason</c> header.
/// </summary>
public sealed class DeadLetterMetrics
{
    public const string CounterName = "pipeline_dead_letters_total";

    private readonly Counter _deadLetters;

    /// <summary>The counter registered with <paramref name="factory"/> (tests pass one over their own registry).</summary>
    public DeadLetterMetrics(IMetricFactory factory) =>
        _deadLetters = factory.CreateCounter(CounterName,
            "Input records written to the dead-letters topic, by the stage that refused them and why.", ["stage", "reason"]);

    /// <summary>The counter in prometheus-net's default registry, the one served on /metrics.</summary>
    public static DeadLetterMetrics Default { get; } = new(Metrics.DefaultFactory);

    /// <summary>Counts one acknowledged dead letter.</summary>
    public void Count(string stage, RejectionReason reason) => _deadLetters.WithLabels(stage, reason.Code()).Inc();

    /// <summary>How many dead letters <paramref name="stage"/> wrote for <paramref name="reason"/>.</summary>
    public double Value(string stage, RejectionReason reason) => _deadLetters.WithLabels(stage, reason.Code()).Value;

    /// <summary>Every (stage, reason) counted so far with its count.</summary>
    public IReadOnlyList<(string Stage, string Reason, double Count)> Counts() =>
        _deadLetters.GetAllLabelValues().Select(labels => (labels[0], labels[1], _deadLetters.WithLabels(labels).Value)).ToList();
}

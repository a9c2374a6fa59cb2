using Prometheus;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>Counts of the A/B experiments: feedback produced and delivered per variant, and how the variants agreed.</summary>
public static class ExperimentMetrics
{
    public static readonly Counter Produced = Metrics.CreateCounter("pipeline_feedback_produced_total",
        "Feedback records a use case variant produced (acknowledged by Kafka).", "use_case", "variant");

    public static readonly Counter Delivered = Metrics.CreateCounter("pipeline_notifications_delivered_total",
        "Notifications delivered, by the use case and variant they came from.", "use_case", "variant");

    /// <summary>Per transaction of a use case with two variants: both reported, only A, only B, or neither.</summary>
    public static readonly Counter Agreement = Metrics.CreateCounter("pipeline_experiment_outcomes_total",
        "Transactions of an experiment by what its variants did: both, a-only, b-only, neither.", "use_case", "outcome");

    public static string OutcomeOf(bool a, bool b) => (a, b) switch
    {
        (true, true) => "both",
        (true, false) => "a-only",
        (false, true) => "b-only",
        _ => "neither"
    };
}

using Prometheus;

namespace Pipeline.Core.Downstream;

/// <summary>What downstream did with each feedback record.</summary>
public static class DownstreamMetrics
{
    public const string Delivered = "delivered";
    public const string OtherVariant = "other-variant";
    public const string Duplicate = "duplicate";

    public static readonly Counter Feedback = Metrics.CreateCounter("pipeline_downstream_feedback_total",
        "Feedback records by what downstream did: delivered, other-variant (the customer is in the other A/B group), duplicate.",
        "use_case", "variant", "outcome");
}

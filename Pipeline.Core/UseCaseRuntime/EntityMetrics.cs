using Prometheus;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>What customer entities expose on /metrics, labelled by use case (and variant).</summary>
public static class EntityMetrics
{
    /// <summary>Time spent in a variant's Evaluate: the use case's own CPU cost, measured apart from the pipeline's.</summary>
    public static readonly Histogram Evaluate = Metrics.CreateHistogram("pipeline_use_case_evaluate_seconds",
        "Time spent in a use case variant's Evaluate per transaction.",
        new HistogramConfiguration { LabelNames = ["use_case", "variant"], Buckets = Histogram.ExponentialBuckets(0.000_001, 4, 12) });

    /// <summary>Transactions older than their customer's history window, which a use case no longer evaluates.</summary>
    public static readonly Counter BeforeWindow = Metrics.CreateCounter("pipeline_use_case_before_window_total",
        "Transactions not evaluated because they are older than their customer's history window (its newest transaction less the history).",
        "use_case", "variant");

    public static readonly Gauge Alive = Metrics.CreateGauge("pipeline_entities_alive", "Customer entities active in this node.", "use_case");

    /// <summary>How long an activating entity took to rebuild its state from the history store.</summary>
    public static readonly Histogram Rebuild = Metrics.CreateHistogram("pipeline_entity_rebuild_seconds",
        "Time an activating entity spends rebuilding its state from the history store.",
        new HistogramConfiguration { LabelNames = ["use_case"], Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });

    public static readonly Counter RebuiltTransactions = Metrics.CreateCounter("pipeline_entity_rebuild_transactions_total",
        "Transactions folded by activating entities while rebuilding their state.", "use_case");
}

using Confluent.Kafka;
using Pipeline.Core.DeadLetters;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>An input of <see cref="UseCaseEvaluation"/> once its feedback and dead letters are acknowledged.</summary>
/// <param name="Evaluated">The entity's answer; null when the input was passed over.</param>
/// <param name="Timestamp">The input's Kafka timestamp.</param>
/// <param name="Source">Where the input was read, so a failure to write its outputs names it.</param>
public sealed record UseCaseOutput<TPass>(TPass PassThrough, TransactionEvaluated? Evaluated, Timestamp Timestamp, DeadLetterSource Source)
{
    /// <summary>Feedback records sent for this input (one per variant that reported).</summary>
    public int Feedback => Evaluated?.Outcomes.Count(o => o.Feedback is not null) ?? 0;

    /// <summary>The feedback records sent for this input; empty (not allocated) when none.</summary>
    public IReadOnlyList<UseCaseFeedback> Findings => Feedback == 0 ? [] : Evaluated!.Outcomes.Where(o => o.Feedback is not null).Select(o => o.Feedback!).ToList();

    /// <summary>Time since the input's Kafka timestamp.</summary>
    public TimeSpan Latency => DateTime.UtcNow - Timestamp.UtcDateTime;
}

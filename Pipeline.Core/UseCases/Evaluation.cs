namespace Pipeline.Core.UseCases;

/// <summary>The outcome of a use case for one transaction: its new state and, when it has something to tell the customer, the message.</summary>
public sealed record Evaluation<TState>(TState State, string? Finding);

/// <summary>Shorthands that keep use-case code readable: <c>return Evaluation.Report(next, "...")</c>.</summary>
public static class Evaluation
{
    /// <summary>Nothing to report; only the state changes.</summary>
    public static Evaluation<TState> Quiet<TState>(TState state) => new(state, null);

    /// <summary>Tell the customer <paramref name="message"/> about this transaction.</summary>
    public static Evaluation<TState> Report<TState>(TState state, string message) => new(state, message);
}

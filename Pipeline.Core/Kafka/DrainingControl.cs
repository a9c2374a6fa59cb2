namespace Pipeline.Core.Kafka;

/// <summary>
/// A running consumer stream: the control of its Kafka source and the completion of its sink, materialized together
/// (<c>.ToMaterialized(sink, DrainingControl&lt;T&gt;.Create)</c>) so the stream is ended the safe way with one call,
/// <see cref="DrainAndShutdown"/>.
/// </summary>
public sealed class DrainingControl<T>
{
    private DrainingControl(ConsumerControl control, Task<T> completion)
    {
        Control = control;
        Completion = completion;
    }

    /// <summary>The source's control: stop, shut down, metrics.</summary>
    public ConsumerControl Control { get; }

    /// <summary>Completes when the stream does: with the sink's value, or with the failure that ended the stream.</summary>
    public Task<T> Completion { get; }

    /// <summary>Pairs a source's control with its stream's completion; a <c>Keep</c> function for <c>ToMaterialized</c>.</summary>
    public static DrainingControl<T> Create(ConsumerControl control, Task<T> completion) => new(control, completion);

    /// <summary>Stops reading, waits until every emitted record reached the sink (committed), then closes the consumer.</summary>
    public Task<T> DrainAndShutdown() => Control.DrainAndShutdown(Completion);
}

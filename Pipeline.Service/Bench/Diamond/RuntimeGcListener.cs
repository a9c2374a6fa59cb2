using System.Diagnostics.Tracing;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>Listens to the garbage collector's events of this process's runtime, at the level the listener needs.</summary>
internal abstract class RuntimeGcListener : EventListener
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    /// <summary>The events' level. A constant: it is read while the base constructor runs, before any field is set.</summary>
    protected abstract EventLevel Level { get; }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProvider)
            EnableEvents(eventSource, Level, GcKeyword);
    }
}

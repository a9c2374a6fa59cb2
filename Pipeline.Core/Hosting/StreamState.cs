namespace Pipeline.Core.Hosting;

/// <summary>Where a supervised stream is in its life.</summary>
public enum StreamState
{
    Stopped,
    Starting,
    Running,
    /// <summary>Failed, waiting out its backoff before the next start.</summary>
    BackingOff,
    Stopping
}

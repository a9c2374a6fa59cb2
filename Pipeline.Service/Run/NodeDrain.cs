using Microsoft.Extensions.Hosting;
using Pipeline.Core.Hosting;

namespace Pipeline.Service.Run;

/// <summary>
/// The first thing a stopping node does: stop consuming, drain what is in flight and commit, within the deadline. The node
/// sets what to drain once its streams run; the host shuts the actor system down after it.
/// </summary>
internal sealed class NodeDrain(TimeSpan deadline, Action<string> log) : IHostedService
{
    private Func<TimeSpan, Task> _drain = _ => Task.CompletedTask;

    /// <summary>How long draining may take; a drain still running then is abandoned (uncommitted records are re-read).</summary>
    public TimeSpan Deadline { get; set; } = deadline;

    /// <summary>Sets what stopping drains; it is given the deadline.</summary>
    public void Set(Func<TimeSpan, Task> drain) => _drain = drain;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The deadline is the node's, not the host's token: a drain cut short loses nothing but re-reads records.
    public Task StopAsync(CancellationToken cancellationToken) =>
        _drain(Deadline).LogFailure(Deadline, "Draining the node's streams", log);
}

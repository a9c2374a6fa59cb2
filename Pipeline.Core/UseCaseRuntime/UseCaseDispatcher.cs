using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// The dispatcher a use case's entities run on. Evaluate runs on an entity's thread, so a use case that blocks (a slow
/// model call, a lock, a sleep) holds that thread: on a dispatcher shared with other use cases and the streams (Akka's
/// default runs on the .NET thread pool) it takes threads from all of them. <see cref="Own"/> gives every use case a
/// dispatcher instance of its own, made from <see cref="Template"/>, so a blocking use case only slows itself.
/// </summary>
public static class UseCaseDispatcher
{
    /// <summary>The <c>dispatcher</c> setting that asks for a dispatcher of the use case's own.</summary>
    public const string Own = "own";

    /// <summary>The configuration every use case's own dispatcher (a ForkJoinDispatcher: threads of its own) is made from.</summary>
    public const string Template = "pipeline.dispatchers.use-case";

    /// <summary>
    /// The dispatcher id for <c>Props.WithDispatcher</c> from the <paramref name="configured"/> setting: <see cref="Own"/>
    /// registers (once per actor system) a dispatcher named after the use case; anything else is returned as it is (empty:
    /// Akka's default).
    /// </summary>
    public static string Resolve(ActorSystem system, string useCaseKey, string configured)
    {
        if (configured != Own)
            return configured;
        var id = $"{Template}-{useCaseKey}";
        if (system.Dispatchers.HasDispatcher(id))
            return id;
        // What Akka makes of `type = ForkJoinDispatcher`: its executor runs on a pool of dedicated threads.
        var config = ConfigurationFactory.ParseString($"id = \"{id}\", executor = fork-join-executor")
            .WithFallback(system.Settings.Config.GetConfig(Template))
            .WithFallback(system.Dispatchers.DefaultDispatcherConfig);
        system.Dispatchers.RegisterConfigurator(id, new DispatcherConfigurator(config, system.Dispatchers.Prerequisites));
        return id;
    }
}

using Pipeline.Core.Configuration;

namespace Pipeline.Core.Hosting;

/// <summary>How a node joins its cluster, from <c>pipeline.cluster</c>.</summary>
/// <param name="UseDiscovery">Find the seed nodes through Akka.Discovery (the Kubernetes API in production) rather than <c>akka.cluster.seed-nodes</c>.</param>
/// <param name="ServiceName">The service looked up (on Kubernetes: pods matching the label selector).</param>
/// <param name="PortName">The named port of the remoting endpoint (on Kubernetes: the container port's name).</param>
/// <param name="RequiredContactPoints">Nodes that must be discovered before a new cluster forms.</param>
/// <param name="StableMargin">The discovered set must stay unchanged this long before joining.</param>
/// <param name="Timeout">How long the node may take to become Up before it gives up.</param>
public sealed record ClusterJoinSettings(
    bool UseDiscovery, string ServiceName, string PortName, int RequiredContactPoints, TimeSpan StableMargin, TimeSpan Timeout)
{
    public static ClusterJoinSettings Create(ConfigSection section)
    {
        var join = section.GetString("join");
        if (join is not ("seed-nodes" or "discovery"))
            throw new ConfigurationError($"Setting '{section.Path}.join' = '{join}' must be \"seed-nodes\" or \"discovery\".");
        var discovery = section.Section("discovery");
        return new ClusterJoinSettings(
            join == "discovery",
            discovery.GetString("service-name"),
            discovery.GetString("port-name"),
            discovery.GetInt("required-contact-points", 1, 1000),
            discovery.GetDuration("stable-margin"),
            section.GetDuration("join-timeout"));
    }
}

using Pipeline.Core.Configuration;

namespace Pipeline.Core.Hosting;

/// <summary>
/// Which stages and use cases a node runs, from its cluster roles (<c>akka.cluster.roles</c>): <c>upstream</c>,
/// <c>downstream</c>, <c>use-cases</c> (every enabled use case) and <c>use-case:KEY</c> (that use case alone). The node
/// announces a <c>use-case:KEY</c> role for every use case it runs, so a use case's shard region, and the coordinator that
/// places its shards, live only on the nodes that run its stream.
/// </summary>
/// <param name="UseCases">The keys of the use cases the node runs, in configuration order.</param>
public sealed record NodeRoles(bool Upstream, bool Downstream, IReadOnlyList<string> UseCases)
{
    public const string UpstreamRole = "upstream";
    public const string DownstreamRole = "downstream";
    public const string AllUseCasesRole = "use-cases";
    public const string UseCaseRolePrefix = "use-case:";

    /// <summary>The role of the nodes running use case <paramref name="key"/>, e.g. <c>use-case:duplicate-charge</c>.</summary>
    public static string UseCaseRole(string key) => UseCaseRolePrefix + key;

    /// <summary>A node that runs only the given use cases and no stage (a replay or a backfill).</summary>
    public static NodeRoles UseCasesOnly(params string[] keys) => new(false, false, keys);

    /// <summary>The roles the node announces to the cluster.</summary>
    public IReadOnlyList<string> Announced =>
        (Upstream ? [UpstreamRole] : Array.Empty<string>())
        .Concat(Downstream ? [DownstreamRole] : [])
        .Concat(UseCases.Select(UseCaseRole))
        .ToList();

    public bool RunsUseCase(string key) => UseCases.Contains(key, StringComparer.Ordinal);

    /// <summary>Reads <c>roles</c> of the <c>akka.cluster</c> section against the enabled use cases (in configuration order).</summary>
    /// <exception cref="ConfigurationError">An unknown role, a use case that is not enabled, or no role at all.</exception>
    public static NodeRoles Create(ConfigSection cluster, IReadOnlyList<string> enabledUseCases)
    {
        var roles = cluster.GetStringList("roles");
        var key = $"{cluster.Path}.roles";
        var forms = $"\"{UpstreamRole}\", \"{DownstreamRole}\", \"{AllUseCasesRole}\" or \"{UseCaseRolePrefix}KEY\" with KEY one of pipeline.use-cases.enabled";
        if (roles.Count == 0)
            throw new ConfigurationError($"Setting '{key}' (from {cluster.Origin("roles")}) is empty, so the node would run nothing; list at least one of {forms}.");
        var useCases = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            if (role == AllUseCasesRole)
                useCases.UnionWith(enabledUseCases);
            else if (role.StartsWith(UseCaseRolePrefix, StringComparison.Ordinal))
            {
                var useCase = role[UseCaseRolePrefix.Length..];
                if (!enabledUseCases.Contains(useCase, StringComparer.Ordinal))
                    throw new ConfigurationError(
                        $"Setting '{key}' (from {cluster.Origin("roles")}) has role \"{role}\", but '{useCase}' is not an enabled use case " +
                        $"({string.Join(", ", enabledUseCases)}). Fix the key or add it to pipeline.use-cases.enabled.");
                useCases.Add(useCase);
            }
            else if (role is not (UpstreamRole or DownstreamRole))
                throw new ConfigurationError($"Setting '{key}' (from {cluster.Origin("roles")}) has unknown role \"{role}\"; roles are {forms}.");
        }
        return new NodeRoles(roles.Contains(UpstreamRole), roles.Contains(DownstreamRole), enabledUseCases.Where(useCases.Contains).ToList());
    }
}

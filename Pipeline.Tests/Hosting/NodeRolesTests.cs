using Pipeline.Core.Configuration;
using Pipeline.Core.Hosting;
using Pipeline.Service.Run;

namespace Pipeline.Tests.Hosting;

/// <summary><c>akka.cluster.roles</c> decides which stages and use cases a node runs, and what it announces.</summary>
public sealed class NodeRolesTests
{
    private static NodeRoles With(params string[] sets) => RunSettings.Create(PipelineConfig.Load(null, sets, new Dictionary<string, string>())).Roles;

    [Fact]
    public void By_default_a_node_runs_every_stage_and_every_enabled_use_case()
    {
        var roles = With();
        Assert.True(roles.Upstream);
        Assert.True(roles.Downstream);
        // Derived from the configuration, so a new use case in the enabled list breaks nothing here.
        var enabled = PipelineConfig.Defaults().Section("pipeline.use-cases").GetStringList("enabled");
        Assert.NotEmpty(enabled);
        Assert.Equal(enabled, roles.UseCases);
        Assert.Equal(["upstream", "downstream", .. enabled.Select(key => $"use-case:{key}")], roles.Announced);
    }

    [Fact]
    public void A_node_can_run_single_use_cases_and_no_stage()
    {
        var roles = With("akka.cluster.roles=[\"use-case:large-purchase\", \"use-case:unusual-tip\"]");
        Assert.False(roles.Upstream);
        Assert.False(roles.Downstream);
        // Configuration order, whatever the order of the roles.
        Assert.Equal(["unusual-tip", "large-purchase"], roles.UseCases);
        Assert.Equal(["use-case:unusual-tip", "use-case:large-purchase"], roles.Announced);
    }

    [Fact]
    public void A_use_case_role_covers_only_enabled_use_cases()
    {
        var roles = With("pipeline.use-cases.enabled=[\"unusual-tip\"]", "akka.cluster.roles=[\"use-cases\", \"downstream\"]");
        Assert.Equal(["unusual-tip"], roles.UseCases);
        Assert.False(roles.Upstream);

        var error = Assert.Throws<ConfigurationError>(() => With("pipeline.use-cases.enabled=[\"unusual-tip\"]", "akka.cluster.roles=[\"use-case:large-purchase\"]"));
        Assert.Contains("'akka.cluster.roles'", error.Message);
        Assert.Contains("'large-purchase' is not an enabled use case (unusual-tip)", error.Message);
    }

    [Fact]
    public void Unknown_and_missing_roles_are_refused_naming_the_key_and_the_valid_roles()
    {
        var unknown = Assert.Throws<ConfigurationError>(() => With("akka.cluster.roles=[\"upstream\", \"frontend\"]"));
        Assert.Contains("'akka.cluster.roles'", unknown.Message);
        Assert.Contains("unknown role \"frontend\"", unknown.Message);
        Assert.Contains("\"use-case:KEY\"", unknown.Message);

        var empty = Assert.Throws<ConfigurationError>(() => With("akka.cluster.roles=[]"));
        Assert.Contains("'akka.cluster.roles'", empty.Message);
        Assert.Contains("the node would run nothing", empty.Message);
    }
}

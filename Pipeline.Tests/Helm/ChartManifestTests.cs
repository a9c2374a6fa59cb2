namespace Pipeline.Tests.Helm;

/// <summary>Structure of the rendered manifests, checked for the default and the production-like values.</summary>
public sealed class ChartManifestTests(ChartRenderings renderings) : IClassFixture<ChartRenderings>
{
    public static TheoryData<string> Renderings => [ChartRenderings.Default, ChartRenderings.Production];

    [Theory, MemberData(nameof(Renderings))]
    public void Every_document_is_a_named_Kubernetes_object(string rendering)
    {
        var chart = renderings[rendering];

        Assert.NotEmpty(chart.Documents);
        foreach (var document in chart.Documents)
        {
            Assert.False(string.IsNullOrWhiteSpace(document.StrOrNull("apiVersion")), $"A document has no apiVersion:\n{document}");
            Assert.False(string.IsNullOrWhiteSpace(document.StrOrNull("kind")), $"A document has no kind:\n{document}");
            Assert.False(string.IsNullOrWhiteSpace(document.MapOrNull("metadata")?.StrOrNull("name")), $"A document has no metadata.name:\n{document}");
        }
        var kinds = chart.Documents.Select(d => d.Str("kind")).ToHashSet();
        Assert.Superset(new HashSet<string> { "StatefulSet", "Service", "ConfigMap", "ServiceAccount", "Role", "RoleBinding", "PodDisruptionBudget" }, kinds);
    }

    [Theory, MemberData(nameof(Renderings))]
    public void Services_and_the_disruption_budget_select_exactly_the_pods_of_the_release(string rendering)
    {
        var chart = renderings[rendering];
        var podLabels = chart.PodLabels;

        var selectors = chart.OfKind("Service").Select(s => (Name: s.Map("metadata").Str("name"), Selector: s.Map("spec").Map("selector").Scalars()))
            .Append(("StatefulSet", chart.Workload.Map("spec").Map("selector").Map("matchLabels").Scalars()))
            .Append(("PodDisruptionBudget", chart.Single("PodDisruptionBudget").Map("spec").Map("selector").Map("matchLabels").Scalars()))
            .ToList();

        Assert.Equal(2, chart.OfKind("Service").Count());
        foreach (var (name, selector) in selectors)
        {
            Assert.NotEmpty(selector);
            foreach (var (key, value) in selector)
                Assert.True(podLabels.TryGetValue(key, out var podValue) && podValue == value,
                    $"{name} selects {key}={value}, but the pod template's labels are {string.Join(", ", podLabels)}.");
            Assert.Contains("app.kubernetes.io/instance", selector.Keys);
        }
        Assert.Equal("1", chart.Single("PodDisruptionBudget").Map("spec").Str("maxUnavailable"));
    }

    [Theory, MemberData(nameof(Renderings))]
    public void Services_target_the_container_ports_by_name(string rendering)
    {
        var chart = renderings[rendering];
        var containerPorts = chart.ServiceContainer.Seq("ports").Maps().Select(p => p.Str("name")).ToHashSet();

        var headless = chart.OfKind("Service").Single(s => s.Map("spec").StrOrNull("clusterIP") == "None");
        Assert.Equal("true", headless.Map("spec").Str("publishNotReadyAddresses"));
        Assert.Equal(headless.Map("metadata").Str("name"), chart.Workload.Map("spec").Str("serviceName"));
        foreach (var service in chart.OfKind("Service"))
        {
            foreach (var port in service.Map("spec").Seq("ports").Maps())
                Assert.Contains(port.Str("targetPort"), containerPorts);
        }
        Assert.Equal(4053, chart.ContainerPort("remoting"));
    }

    [Theory, MemberData(nameof(Renderings))]
    public void Probes_check_live_and_ready_on_the_http_port(string rendering)
    {
        var container = renderings[rendering].ServiceContainer;

        Assert.Equal("/health/live", container.Map("livenessProbe").Map("httpGet").Str("path"));
        Assert.Equal("/health/ready", container.Map("readinessProbe").Map("httpGet").Str("path"));
        Assert.Equal("/health/live", container.Map("startupProbe").Map("httpGet").Str("path"));
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
            Assert.Equal("http", container.Map(probe).Map("httpGet").Str("port"));
        Assert.Equal(8080, renderings[rendering].ContainerPort("http"));
    }

    [Theory, MemberData(nameof(Renderings))]
    public void The_role_grants_only_reading_pods(string rendering)
    {
        var chart = renderings[rendering];
        var role = chart.Single("Role");

        var rule = Assert.Single(role.Seq("rules").Maps());
        Assert.Equal([""], rule.Seq("apiGroups").AllScalars());
        Assert.Equal(["pods"], rule.Seq("resources").AllScalars());
        Assert.Equal(["get", "list", "watch"], rule.Seq("verbs").AllScalars().Order());
        Assert.Null(rule.MapOrNull("resourceNames"));

        var binding = chart.Single("RoleBinding");
        Assert.Equal(role.Map("metadata").Str("name"), binding.Map("roleRef").Str("name"));
        var subject = Assert.Single(binding.Seq("subjects").Maps());
        Assert.Equal(chart.PodSpec.Str("serviceAccountName"), subject.Str("name"));
        Assert.Equal(RenderedChart.Namespace, subject.Str("namespace"));
        Assert.Equal(chart.PodSpec.Str("serviceAccountName"), chart.Single("ServiceAccount").Map("metadata").Str("name"));
    }

    [Theory, MemberData(nameof(Renderings))]
    public void The_pod_runs_as_non_root_on_a_read_only_filesystem_with_writable_volumes(string rendering)
    {
        var chart = renderings[rendering];

        Assert.Equal("true", chart.PodSpec.Map("securityContext").Str("runAsNonRoot"));
        var security = chart.ServiceContainer.Map("securityContext");
        Assert.Equal("true", security.Str("readOnlyRootFilesystem"));
        Assert.Equal("false", security.Str("allowPrivilegeEscalation"));
        var mounts = chart.ServiceContainer.Seq("volumeMounts").Maps().ToDictionary(m => m.Str("mountPath"), m => m.Str("name"));
        Assert.Contains("/var/lib/pipeline", mounts.Keys);
        Assert.Contains("/tmp", mounts.Keys);
        Assert.Contains("/etc/pipeline", mounts.Keys);
        var volumes = chart.PodSpec.Seq("volumes").Maps().Select(v => v.Str("name")).ToHashSet();
        Assert.Superset(volumes, mounts.Values.ToHashSet());
        Assert.Equal(["run", "--config", "/etc/pipeline/pipeline.conf"], chart.ServiceContainer.Seq("args").AllScalars());
    }

    [Theory, MemberData(nameof(Renderings))]
    public void Pods_are_spread_over_nodes_and_scraped_by_Prometheus(string rendering)
    {
        var chart = renderings[rendering];

        var antiAffinity = chart.PodSpec.Map("affinity").Map("podAntiAffinity");
        // Production values ask for "hard" anti-affinity, the defaults for "soft".
        var term = rendering == ChartRenderings.Production
            ? antiAffinity.Seq("requiredDuringSchedulingIgnoredDuringExecution").Maps().Single()
            : antiAffinity.Seq("preferredDuringSchedulingIgnoredDuringExecution").Maps().Single().Map("podAffinityTerm");
        Assert.Equal(chart.Workload.Map("spec").Map("selector").Map("matchLabels").Scalars(), term.Map("labelSelector").Map("matchLabels").Scalars());

        var annotations = chart.PodTemplate.Map("metadata").Map("annotations").Scalars();
        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
        Assert.Equal(chart.ContainerPort("http").ToString(), annotations["prometheus.io/port"]);
        Assert.Equal("Parallel", chart.Workload.Map("spec").Str("podManagementPolicy"));
    }

    [Fact]
    public void The_production_release_has_three_nodes_and_a_ServiceMonitor_on_the_http_Service()
    {
        var chart = renderings[ChartRenderings.Production];

        Assert.Equal("3", chart.Workload.Map("spec").Str("replicas"));
        var monitor = chart.Single("ServiceMonitor");
        var selected = monitor.Map("spec").Map("selector").Map("matchLabels").Scalars();
        var httpService = chart.OfKind("Service").Single(s => s.Map("spec").StrOrNull("clusterIP") != "None");
        var serviceLabels = httpService.Map("metadata").Map("labels").Scalars();
        foreach (var (key, value) in selected)
            Assert.Equal(value, serviceLabels.GetValueOrDefault(key));
        Assert.Equal("http", monitor.Map("spec").Seq("endpoints").Maps().Single().Str("port"));
        Assert.Empty(renderings[ChartRenderings.Default].OfKind("ServiceMonitor"));
    }
}

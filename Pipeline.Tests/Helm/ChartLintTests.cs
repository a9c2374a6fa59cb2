namespace Pipeline.Tests.Helm;

/// <summary>The chart's own checks: helm lint, yamllint, documented values and render-time guards.</summary>
public sealed class ChartLintTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(ChartRenderings.ProductionValuesFile)]
    public void Helm_lint_passes_strictly(string? valuesFile)
    {
        string[] arguments = valuesFile is null
            ? ["lint", "--strict", RepositoryPaths.Chart]
            : ["lint", "--strict", RepositoryPaths.Chart, "--values", Path.Combine(RepositoryPaths.Chart, valuesFile)];

        var output = HelmTool.RunOrFail(arguments);

        Assert.Contains("0 chart(s) failed", output);
    }

    [Fact]
    public void Yamllint_accepts_values_and_chart_metadata()
    {
        var yamllint = ExternalTool.FindOnPath("yamllint") ?? throw new InvalidOperationException(
            "yamllint was not found on PATH. Run ./test.sh (scripts/install-test-deps.sh installs it).");

        var result = ExternalTool.Run(yamllint,
        [
            "--strict", "-c", Path.Combine(RepositoryPaths.Chart, ".yamllint"),
            Path.Combine(RepositoryPaths.Chart, "values.yaml"),
            Path.Combine(RepositoryPaths.Chart, "Chart.yaml"),
            Path.Combine(RepositoryPaths.Chart, ChartRenderings.ProductionValuesFile)
        ]);

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void Every_value_is_documented()
    {
        var undocumented = ValuesDocumentation.UndocumentedKeys(File.ReadAllLines(Path.Combine(RepositoryPaths.Chart, "values.yaml")));

        Assert.True(undocumented.Count == 0, "values.yaml keys without a comment: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void The_documentation_check_reports_a_key_without_a_comment()
    {
        string[] values =
        [
            "# Documented.", "replicaCount: 3", "image:", "  # The image.", "  repository: x", "  tag: \"\"",
            "", "  pullPolicy: IfNotPresent", "# Resources.", "resources:", "  limits:", "    memory: 1Gi"
        ];

        Assert.Equal(["image.pullPolicy"], ValuesDocumentation.UndocumentedKeys(values));
    }

    [Theory]
    [InlineData("terminationGracePeriodSeconds=30")]
    [InlineData("terminationGracePeriodSeconds=35")]
    [InlineData("pipeline.shutdownTimeout=1m")]
    public void A_grace_period_shorter_than_the_drain_is_refused(string setting)
    {
        var result = HelmTool.Run("template", "orders", RepositoryPaths.Chart, "--set", setting);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("terminationGracePeriodSeconds", result.StandardError);
        Assert.Contains("pipeline.shutdownTimeout", result.StandardError);
    }

    [Fact]
    public void A_longer_drain_with_a_longer_grace_period_renders()
    {
        var chart = RenderedChart.Render([], "--set", "pipeline.shutdownTimeout=1m", "--set", "terminationGracePeriodSeconds=70");

        Assert.Equal("70", chart.PodSpec.Str("terminationGracePeriodSeconds"));
        Assert.Equal(TimeSpan.FromMinutes(1),
            Akka.Configuration.ConfigurationFactory.ParseString(chart.ServiceConfigText).GetTimeSpan("pipeline.shutdown-timeout"));
    }

    [Fact]
    public void The_chart_ships_the_repository_production_config()
    {
        var shipped = File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "files", "production.conf"));

        Assert.Equal(File.ReadAllText(RepositoryPaths.Of("config", "production.conf")), shipped);
    }
}

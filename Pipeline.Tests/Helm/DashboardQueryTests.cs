using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Helm;

/// <summary>
/// The Grafana dashboards the chart ships (helm/akka-pipeline/dashboards, a ConfigMap for Grafana's dashboard sidecar):
/// every query names only metrics a running node really serves on /metrics.
/// </summary>
public sealed partial class DashboardQueryTests
{
    [Fact]
    public async Task Every_dashboard_query_names_a_metric_a_running_node_exposes()
    {
        var queries = DashboardQueries();
        Assert.True(queries.Count >= 20, $"only {queries.Count} queries in the dashboards");

        using var run = PipelineProcess.Start("run", "--set", "pipeline.http.port=0", "--set", "pipeline.generator.rate=100",
            "--set", "pipeline.progress.refresh-interval=500ms");
        var header = run.WaitForLine(line => line.StartsWith("pipeline run", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = Regex.Match(header, @"http (http://\S+)").Groups[1].Value;
        // Once notifications come out, every stage has created its metrics.
        run.WaitForLine(line => line.StartsWith("stream=notifications", StringComparison.Ordinal) && !line.Contains(" processed=0 "), TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var exposed = ExposedMetricNames(await http.GetStringAsync("/metrics"));
        run.Signal("INT");
        Assert.True(run.WaitForExit(TimeSpan.FromSeconds(30)), "pipeline run did not stop after SIGINT:\n" + run.Output);

        var missing = queries
            .SelectMany(q => MetricNames(q.Expression).Select(name => (q.Dashboard, q.Panel, Name: name)))
            .Where(q => !exposed.Contains(q.Name))
            .Select(q => $"{q.Dashboard} / {q.Panel}: {q.Name}")
            .ToList();
        Assert.True(missing.Count == 0, "Dashboard queries name metrics the node does not expose:\n" + string.Join("\n", missing));
        foreach (var query in queries)
            Assert.True(MetricNames(query.Expression).Count > 0, $"{query.Dashboard} / {query.Panel} names no metric: {query.Expression}");
    }

    [Fact]
    public void The_metric_names_of_a_query_are_found_and_labels_functions_and_ranges_are_not()
    {
        Assert.Equal(["pipeline_latency_seconds_bucket"],
            MetricNames("histogram_quantile(0.99, sum by (le, stream) (rate(pipeline_latency_seconds_bucket{stream=\"upstream\"}[$__rate_interval])))"));
        Assert.Equal(["a_total", "b_count"], MetricNames("sum without (instance) (rate(a_total[5m])) / on(use_case) group_left sum(rate(b_count[5m]))"));
        Assert.Equal(["process_working_set_bytes"], MetricNames("process_working_set_bytes"));
    }

    [Fact]
    public void The_dashboards_ConfigMap_carries_the_sidecar_label_only_when_enabled()
    {
        Assert.DoesNotContain(RenderedChart.Render([]).OfKind("ConfigMap"), c => c.Map("metadata").Map("labels").Scalars().ContainsKey("grafana_dashboard"));
        var dashboards = DashboardsConfigMap();
        Assert.Equal("1", dashboards.Map("metadata").Map("labels").Scalars()["grafana_dashboard"]);
        Assert.Equal(["pipeline-experiments.json", "pipeline-runtime.json", "pipeline-streams.json"], dashboards.Map("data").Scalars().Keys.Order());
    }

    private static YamlDotNet.RepresentationModel.YamlMappingNode DashboardsConfigMap() =>
        RenderedChart.Render([], "--set", "grafana.dashboards.enabled=true").OfKind("ConfigMap")
            .Single(c => c.Map("metadata").Map("labels").Scalars().ContainsKey("grafana_dashboard"));

    private static IReadOnlyList<(string Dashboard, string Panel, string Expression)> DashboardQueries() =>
        DashboardsConfigMap().Map("data").Scalars().SelectMany(file =>
        {
            using var json = JsonDocument.Parse(file.Value);
            var title = json.RootElement.GetProperty("title").GetString()!;
            return json.RootElement.GetProperty("panels").EnumerateArray().SelectMany(panel => panel.GetProperty("targets").EnumerateArray()
                .Select(target => (title, panel.GetProperty("title").GetString()!, target.GetProperty("expr").GetString()!))).ToList();
        }).ToList();

    /// <summary>Names on /metrics: every family's TYPE line, with a histogram's _bucket, _sum and _count, and every sample's name.</summary>
    private static HashSet<string> ExposedMetricNames(string exposition)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            var type = TypeLine().Match(line);
            if (type.Success)
            {
                var name = type.Groups[1].Value;
                names.Add(name);
                if (type.Groups[2].Value == "histogram")
                    names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                names.Add(SampleName().Match(line).Value);
            }
        }
        return names;
    }

    /// <summary>The metric names a PromQL expression selects: identifiers outside label matchers, ranges, grouping clauses and strings that are not called as functions or keywords.</summary>
    internal static List<string> MetricNames(string expression)
    {
        var bare = Strings().Replace(expression, " ");
        bare = Matchers().Replace(bare, " ");
        bare = Ranges().Replace(bare, " ");
        bare = Grouping().Replace(bare, " ");
        return Identifier().Matches(bare)
            .Where(m => !Keywords.Contains(m.Value) && !bare[(m.Index + m.Length)..].TrimStart().StartsWith('('))
            .Select(m => m.Value).Distinct().ToList();
    }

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "group_left", "group_right", "inf", "nan"];

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}

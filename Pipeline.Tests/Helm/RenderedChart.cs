using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.Helm;

/// <summary>The manifests `helm template` produced for one set of values, parsed with YamlDotNet.</summary>
internal sealed class RenderedChart
{
    public const string ReleaseName = "orders";
    public const string Namespace = "pipeline";

    private RenderedChart(string text, IReadOnlyList<YamlMappingNode> documents)
    {
        Text = text;
        Documents = documents;
    }

    /// <summary>The raw output of helm.</summary>
    public string Text { get; }

    /// <summary>Every non-empty manifest, in the order helm printed them.</summary>
    public IReadOnlyList<YamlMappingNode> Documents { get; }

    /// <summary>Renders the chart with the given values files (relative to the chart) and extra helm arguments.</summary>
    public static RenderedChart Render(IEnumerable<string> valuesFiles, params string[] extraArguments)
    {
        var arguments = new List<string> { "template", ReleaseName, RepositoryPaths.Chart, "--namespace", Namespace };
        foreach (var file in valuesFiles)
            arguments.AddRange(["--values", Path.Combine(RepositoryPaths.Chart, file)]);
        arguments.AddRange(extraArguments);
        return Parse(HelmTool.RunOrFail([.. arguments]));
    }

    /// <summary>Parses a multi-document YAML stream; a document that is not valid YAML fails here.</summary>
    public static RenderedChart Parse(string text)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
            stream.Load(reader);
        var documents = stream.Documents
            .Select(d => d.RootNode)
            .Where(root => root is not YamlScalarNode { Value: null or "" })
            .Select(root => root as YamlMappingNode
                ?? throw new InvalidOperationException($"A rendered document at line {root.Start.Line} is not a mapping."))
            .ToList();
        return new RenderedChart(text, documents);
    }

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Documents.Where(d => d.StrOrNull("kind") == kind);

    /// <summary>The one manifest of a kind; fails when there is none or more than one.</summary>
    public YamlMappingNode Single(string kind)
    {
        var found = OfKind(kind).ToList();
        Assert.True(found.Count == 1, $"Expected exactly one {kind}, found {found.Count}.");
        return found[0];
    }

    public YamlMappingNode Workload => Single("StatefulSet");

    public YamlMappingNode PodTemplate => Workload.Map("spec").Map("template");

    public YamlMappingNode PodSpec => PodTemplate.Map("spec");

    public YamlMappingNode ServiceContainer => PodSpec.Seq("containers").Maps().Single(c => c.Str("name") == "pipeline");

    public IReadOnlyDictionary<string, string> PodLabels => PodTemplate.Map("metadata").Map("labels").Scalars();

    /// <summary>The container port number with that name.</summary>
    public int ContainerPort(string name) =>
        int.Parse(ServiceContainer.Seq("ports").Maps().Single(p => p.Str("name") == name).Str("containerPort"));

    /// <summary>The HOCON file the service reads, as rendered into the ConfigMap.</summary>
    public string ServiceConfigText => OfKind("ConfigMap").Single(c => c.MapOrNull("data")?.StrOrNull("pipeline.conf") is not null).Map("data").Str("pipeline.conf");
}

using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.Helm;

/// <summary>
/// Navigation over parsed manifests that fails with the path that was missing, so a broken template
/// shows up as "spec.template.spec.containers is missing in StatefulSet x" rather than a null reference.
/// </summary>
internal static class YamlNodes
{
    public static YamlMappingNode Map(this YamlMappingNode node, string key) =>
        Child(node, key) as YamlMappingNode ?? throw Missing(node, key, "a mapping");

    public static YamlSequenceNode Seq(this YamlMappingNode node, string key) =>
        Child(node, key) as YamlSequenceNode ?? throw Missing(node, key, "a list");

    public static string Str(this YamlMappingNode node, string key) =>
        (Child(node, key) as YamlScalarNode)?.Value ?? throw Missing(node, key, "a scalar");

    public static YamlMappingNode? MapOrNull(this YamlMappingNode node, string key) => Child(node, key) as YamlMappingNode;

    public static string? StrOrNull(this YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    /// <summary>The entries of a mapping of scalars, such as labels or a selector.</summary>
    public static IReadOnlyDictionary<string, string> Scalars(this YamlMappingNode node) =>
        node.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? "");

    public static IEnumerable<YamlMappingNode> Maps(this YamlSequenceNode node) => node.Children.Cast<YamlMappingNode>();

    /// <summary>Every scalar value anywhere below a node.</summary>
    public static IEnumerable<string> AllScalars(this YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value is null ? [] : [s.Value],
        YamlMappingNode m => m.Children.SelectMany(e => e.Key.AllScalars().Concat(e.Value.AllScalars())),
        YamlSequenceNode q => q.Children.SelectMany(AllScalars),
        _ => []
    };

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static InvalidOperationException Missing(YamlMappingNode node, string key, string what) =>
        new($"'{key}' is missing or not {what} (at line {node.Start.Line} of the rendered manifests).");
}

using System.Text.RegularExpressions;

namespace Pipeline.Tests.Helm;

/// <summary>
/// The environment the service container would get from the rendered pod spec. Without a cluster there
/// is no kubelet to resolve field references and no Secret to read, so those are replaced by stand-ins
/// (a pod name and IP, and fake but well-formed secret values); plain values and their $(VAR)
/// references are resolved the way the kubelet does.
/// </summary>
internal static partial class PodEnvironment
{
    public const string FakePodIp = "10.1.2.3";

    public static IReadOnlyDictionary<string, string> Of(RenderedChart chart)
    {
        var resolved = new Dictionary<string, string>();
        foreach (var entry in chart.ServiceContainer.Seq("env").Maps())
        {
            var name = entry.Str("name");
            var value = entry.StrOrNull("value");
            resolved[name] = value is not null
                ? VariableReference().Replace(value, m => resolved.GetValueOrDefault(m.Groups[1].Value, m.Value))
                : StandIn(name, entry.Map("valueFrom"));
        }
        return resolved;
    }

    private static string StandIn(string name, YamlDotNet.RepresentationModel.YamlMappingNode valueFrom)
    {
        if (valueFrom.MapOrNull("fieldRef") is { } field)
        {
            return field.Str("fieldPath") switch
            {
                "status.podIP" => FakePodIp,
                "metadata.name" => $"{RenderedChart.ReleaseName}-akka-pipeline-0",
                var path => throw new InvalidOperationException($"No stand-in for field reference {path} of {name}.")
            };
        }
        if (valueFrom.MapOrNull("secretKeyRef") is not null)
        {
            return name.EndsWith("connection-string", StringComparison.Ordinal)
                ? "Host=postgres.example;Port=5432;Database=pipeline;Username=pipeline;Password=fake"
                : name.EndsWith("basic-auth-user-info", StringComparison.Ordinal) ? "fake-user:fake-password" : "fake-secret";
        }
        throw new InvalidOperationException($"Environment variable {name} has a valueFrom the tests do not know.");
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)")]
    private static partial Regex VariableReference();
}

using Akka.Configuration;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Tests.Helm;

/// <summary>
/// Secrets reach the service only through Secret objects and secretKeyRef environment variables, never
/// through the ConfigMap or a plain environment value.
/// </summary>
public sealed class ChartSecretTests(ChartRenderings renderings) : IClassFixture<ChartRenderings>
{
    private static readonly string[] SecretVariables =
    [
        "PIPELINE__akka__kafka__consumer__kafka-clients__sasl__username",
        "PIPELINE__akka__kafka__consumer__kafka-clients__sasl__password",
        "PIPELINE__akka__kafka__producer__kafka-clients__sasl__username",
        "PIPELINE__akka__kafka__producer__kafka-clients__sasl__password",
        "PIPELINE__pipeline__schema-registry__basic-auth-user-info",
        "PIPELINE__pipeline__store__postgresql__connection-string",
        "PIPELINE__pipeline__admin__token"
    ];

    [Fact]
    public void Fake_secret_values_appear_only_in_the_Secret()
    {
        var chart = renderings[ChartRenderings.Production];
        var fakes = FakeSecretValues();
        Assert.Equal(2, fakes.Count);

        foreach (var fake in fakes)
        {
            // They do reach the cluster (so this check can see them)...
            Assert.Contains(fake, chart.Single("Secret").Map("stringData").AllScalars());
            // ...but nowhere else.
            foreach (var document in chart.Documents.Where(d => d.Str("kind") != "Secret"))
                Assert.DoesNotContain(document.AllScalars(), value => value.Contains(fake, StringComparison.Ordinal));
        }
        Assert.Empty(renderings[ChartRenderings.Default].OfKind("Secret"));
    }

    [Theory]
    [InlineData(ChartRenderings.Default)]
    [InlineData(ChartRenderings.Production)]
    public void The_config_file_sets_no_secret_key(string rendering)
    {
        var config = ConfigurationFactory.ParseString(renderings[rendering].ServiceConfigText);

        foreach (var variable in SecretVariables)
        {
            var path = variable["PIPELINE__".Length..].Replace("__", ".", StringComparison.Ordinal);
            Assert.False(config.HasPath(path), $"The ConfigMap sets {path}; secrets must come from {variable} via a Secret.");
        }
    }

    [Fact]
    public void Every_secret_variable_comes_from_the_named_Secret()
    {
        var chart = renderings[ChartRenderings.Production];
        var env = chart.ServiceContainer.Seq("env").Maps().ToDictionary(e => e.Str("name"));
        var generated = chart.Single("Secret").Map("metadata").Str("name");

        var expectedSecret = new Dictionary<string, string>
        {
            ["PIPELINE__akka__kafka__consumer__kafka-clients__sasl__username"] = "pipeline-kafka-sasl",
            ["PIPELINE__akka__kafka__consumer__kafka-clients__sasl__password"] = "pipeline-kafka-sasl",
            ["PIPELINE__akka__kafka__producer__kafka-clients__sasl__username"] = "pipeline-kafka-sasl",
            ["PIPELINE__akka__kafka__producer__kafka-clients__sasl__password"] = "pipeline-kafka-sasl",
            ["PIPELINE__pipeline__store__postgresql__connection-string"] = "pipeline-postgresql",
            ["PIPELINE__pipeline__schema-registry__basic-auth-user-info"] = generated,
            ["PIPELINE__pipeline__admin__token"] = generated
        };
        foreach (var (variable, secretName) in expectedSecret)
        {
            Assert.True(env.ContainsKey(variable), $"{variable} is not set on the container.");
            Assert.Null(env[variable].StrOrNull("value"));
            var reference = env[variable].Map("valueFrom").Map("secretKeyRef");
            Assert.Equal(secretName, reference.Str("name"));
            if (secretName == generated)
                Assert.Contains(reference.Str("key"), chart.Single("Secret").Map("stringData").Scalars().Keys);
        }

        var defaults = renderings[ChartRenderings.Default].ServiceContainer.Seq("env").Maps().Select(e => e.Str("name"));
        Assert.Empty(defaults.Intersect(SecretVariables));
    }

    /// <summary>The secret values the production-like values file gives the chart directly (secrets.*.value).</summary>
    private static List<string> FakeSecretValues()
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(RepositoryPaths.Chart, ChartRenderings.ProductionValuesFile)))
            stream.Load(reader);
        var secrets = ((YamlMappingNode)stream.Documents[0].RootNode).Map("secrets");
        return secrets.Children.Values.OfType<YamlMappingNode>()
            .Select(s => s.StrOrNull("value"))
            .OfType<string>()
            .Where(v => v.Length > 0)
            .ToList();
    }
}

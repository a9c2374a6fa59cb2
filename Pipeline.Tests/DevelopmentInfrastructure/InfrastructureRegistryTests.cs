using Confluent.SchemaRegistry;
using Pipeline.Core.Configuration;
using Pipeline.Core.Schemas;
using Pipeline.Service;

namespace Pipeline.Tests.DevelopmentInfrastructure;

/// <summary>`pipeline infra` hosts the embedded registry next to the embedded Kafka, with its store under the data directory.</summary>
public sealed class InfrastructureRegistryTests
{
    [Fact]
    public async Task The_embedded_infrastructure_starts_a_reachable_registry_stored_under_the_data_directory()
    {
        var dataDir = Directory.CreateTempSubdirectory("infra-registry-test-").FullName;
        try
        {
            var config = PipelineConfig.Load(null, [$"pipeline.data-dir={dataDir}"], new Dictionary<string, string>());
            await using var infra = EmbeddedInfrastructure.Start(config);

            await infra.StartSchemaRegistryAsync(config);

            Assert.StartsWith("http://127.0.0.1:", infra.SchemaRegistry!.Url);
            using var client = SchemaRegistryClients.Create(SchemaRegistrySettings.Create(config) with { Url = infra.SchemaRegistry.Url });
            var id = await client.RegisterSchemaAsync("transactions-value", new Confluent.SchemaRegistry.Schema(Contracts.Transaction._SCHEMA.ToString(), SchemaType.Avro));
            Assert.Equal(id, (await client.GetLatestSchemaAsync("transactions-value")).Id);
            Assert.True(File.Exists(Path.Combine(dataDir, "schema-registry.db")));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

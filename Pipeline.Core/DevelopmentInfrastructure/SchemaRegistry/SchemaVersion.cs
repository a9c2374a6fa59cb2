using Schema = Avro.Schema;

namespace Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

/// <summary>One registered version of a subject: its number, the global schema id and the parsed schema.</summary>
public sealed record SchemaVersion(int Version, int Id, Schema Schema);

namespace Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

/// <summary>A row of the registry's store: one version of a subject and the schema it points to.</summary>
internal sealed record StoredVersion(string Subject, int Version, int Id, string Schema, bool Deleted);

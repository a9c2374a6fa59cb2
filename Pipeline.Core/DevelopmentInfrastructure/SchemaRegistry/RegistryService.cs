using Pipeline.Core.Schemas;
using Schema = Avro.Schema;

namespace Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

/// <summary>
/// The rules of the schema registry over its SQLite store: global ids shared by identical schemas, versions per
/// subject, compatibility levels checked on every registration, soft and permanent deletes. Calls are serialised,
/// so concurrent registrations of the same subject cannot both take the same version.
/// </summary>
internal sealed class RegistryService(SchemaStore store, CompatibilityLevel defaultLevel) : IDisposable
{
    private readonly Lock _gate = new();

    /// <summary>Registers a schema under a subject, or returns the version that already holds it.</summary>
    public StoredVersion Register(string subject, string schemaText)
    {
        var schema = ParseSchema(schemaText);
        var canonical = schema.ToString();
        lock (_gate)
        {
            return store.InTransaction(() =>
            {
                var all = store.Versions(subject);
                var live = all.Where(v => !v.Deleted).ToList();
                var same = live.FirstOrDefault(v => v.Schema == canonical);
                if (same is not null)
                    return same;
                var level = LevelOf(subject);
                var problems = CompatibilityChecker.Check(schema, Parsed(live), level);
                if (problems.Count > 0)
                    throw new RegistryError(RegistryError.IncompatibleSchema,
                        $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\" " +
                        $"(compatibility level {level.ToWireName()}): {string.Join("; ", problems)}");
                var id = store.IdOf(canonical, canonical);
                var version = all.Count == 0 ? 1 : all[^1].Version + 1;
                store.AddVersion(subject, version, id);
                return new StoredVersion(subject, version, id, canonical, Deleted: false);
            });
        }
    }

    /// <summary>The version of a subject that holds a schema (POST /subjects/{subject}).</summary>
    public StoredVersion Lookup(string subject, string schemaText, bool includeDeleted)
    {
        var canonical = ParseSchema(schemaText).ToString();
        lock (_gate)
        {
            var versions = store.Versions(subject).Where(v => includeDeleted || !v.Deleted).ToList();
            if (versions.Count == 0)
                throw SubjectNotFound(subject);
            return versions.LastOrDefault(v => v.Schema == canonical)
                ?? throw new RegistryError(RegistryError.SchemaNotFound, "Schema not found");
        }
    }

    public string SchemaById(int id)
    {
        lock (_gate)
            return store.SchemaById(id) ?? throw SchemaNotFound(id);
    }

    public IReadOnlyList<StoredVersion> VersionsOfSchema(int id)
    {
        lock (_gate)
        {
            if (store.SchemaById(id) is null)
                throw SchemaNotFound(id);
            return store.VersionsOfSchema(id).Where(v => !v.Deleted).ToList();
        }
    }

    public IReadOnlyList<string> Subjects(bool includeDeleted)
    {
        lock (_gate)
            return store.Subjects(includeDeleted);
    }

    public IReadOnlyList<int> VersionNumbers(string subject, bool includeDeleted)
    {
        lock (_gate)
            return LiveOrAll(subject, includeDeleted).Select(v => v.Version).ToList();
    }

    public StoredVersion Version(string subject, VersionSpec spec, bool includeDeleted)
    {
        lock (_gate)
            return Resolve(LiveOrAll(subject, includeDeleted), subject, spec);
    }

    /// <summary>
    /// The incompatibilities of a schema with a subject: against one version when <paramref name="spec"/> is given,
    /// otherwise against the versions the subject's level demands. A subject without versions accepts anything.
    /// </summary>
    public (CompatibilityLevel Level, IReadOnlyList<string> Problems) TestCompatibility(string subject, VersionSpec? spec, string schemaText)
    {
        var schema = ParseSchema(schemaText);
        lock (_gate)
        {
            var level = LevelOf(subject);
            var live = store.Versions(subject).Where(v => !v.Deleted).ToList();
            if (live.Count == 0)
                return (level, []);
            var against = spec is { } one ? [Resolve(live, subject, one)] : live;
            return (level, CompatibilityChecker.Check(schema, Parsed(against), level));
        }
    }

    /// <summary>The level of a subject (or the global one when <paramref name="subject"/> is null).</summary>
    public CompatibilityLevel Compatibility(string? subject, bool defaultToGlobal)
    {
        lock (_gate)
        {
            if (subject is null)
                return GlobalLevel();
            var own = store.Compatibility(subject);
            if (own is not null)
                return ParseLevel(own);
            if (defaultToGlobal)
                return GlobalLevel();
            throw new RegistryError(RegistryError.SubjectCompatibilityNotConfigured,
                $"Subject '{subject}' does not have subject-level compatibility configured");
        }
    }

    public CompatibilityLevel SetCompatibility(string? subject, string? levelName)
    {
        var level = ParseLevel(levelName);
        lock (_gate)
            store.SetCompatibility(subject, level.ToWireName());
        return level;
    }

    /// <summary>Removes a subject's own level (it falls back to the global one) or resets the global level; returns the old one.</summary>
    public CompatibilityLevel DeleteCompatibility(string? subject)
    {
        lock (_gate)
        {
            var old = Compatibility(subject, defaultToGlobal: subject is null);
            store.DeleteCompatibility(subject);
            return old;
        }
    }

    /// <summary>Soft-deletes a version, or removes a soft-deleted one when <paramref name="permanent"/>.</summary>
    public int DeleteVersion(string subject, VersionSpec spec, bool permanent)
    {
        lock (_gate)
        {
            var all = store.Versions(subject);
            if (all.Count == 0)
                throw SubjectNotFound(subject);
            var version = spec.IsLatest
                ? all.LastOrDefault(v => !v.Deleted) ?? throw SubjectNotFound(subject)
                : all.FirstOrDefault(v => v.Version == spec.Number) ?? throw VersionNotFound(subject, spec);
            if (permanent)
            {
                if (!version.Deleted)
                    throw new RegistryError(RegistryError.VersionNotSoftDeleted,
                        $"Subject '{subject}' Version {version.Version} was not deleted first before being permanently deleted");
                store.HardDelete(subject, version.Version);
            }
            else
            {
                if (version.Deleted)
                    throw new RegistryError(RegistryError.VersionSoftDeleted,
                        $"Subject '{subject}' Version {version.Version} was soft deleted. Set permanent=true to delete permanently");
                store.SoftDelete(subject, version.Version);
            }
            return version.Version;
        }
    }

    /// <summary>Soft-deletes every version of a subject, or removes them all when <paramref name="permanent"/>.</summary>
    public IReadOnlyList<int> DeleteSubject(string subject, bool permanent)
    {
        lock (_gate)
        {
            var all = store.Versions(subject);
            if (all.Count == 0)
                throw SubjectNotFound(subject);
            return store.InTransaction(() =>
            {
                if (permanent)
                {
                    if (all.Any(v => !v.Deleted))
                        throw new RegistryError(RegistryError.SubjectNotSoftDeleted,
                            $"Subject '{subject}' was not deleted first before being permanently deleted");
                    foreach (var v in all)
                        store.HardDelete(subject, v.Version);
                    return (IReadOnlyList<int>)all.Select(v => v.Version).ToList();
                }
                var live = all.Where(v => !v.Deleted).ToList();
                if (live.Count == 0)
                    throw new RegistryError(RegistryError.SubjectSoftDeleted,
                        $"Subject '{subject}' was soft deleted. Set permanent=true to delete permanently");
                foreach (var v in live)
                    store.SoftDelete(subject, v.Version);
                return live.Select(v => v.Version).ToList();
            });
        }
    }

    public void Dispose() => store.Dispose();

    private CompatibilityLevel LevelOf(string subject) =>
        store.Compatibility(subject) is { } own ? ParseLevel(own) : GlobalLevel();

    private CompatibilityLevel GlobalLevel() =>
        store.Compatibility(null) is { } global ? ParseLevel(global) : defaultLevel;

    private IReadOnlyList<StoredVersion> LiveOrAll(string subject, bool includeDeleted)
    {
        var versions = store.Versions(subject).Where(v => includeDeleted || !v.Deleted).ToList();
        return versions.Count == 0 ? throw SubjectNotFound(subject) : versions;
    }

    private static StoredVersion Resolve(IReadOnlyList<StoredVersion> versions, string subject, VersionSpec spec)
    {
        if (versions.Count == 0)
            throw SubjectNotFound(subject);
        return spec.IsLatest
            ? versions[^1]
            : versions.FirstOrDefault(v => v.Version == spec.Number) ?? throw VersionNotFound(subject, spec);
    }

    private static IReadOnlyList<SchemaVersion> Parsed(IEnumerable<StoredVersion> versions) =>
        versions.Select(v => new SchemaVersion(v.Version, v.Id, Schema.Parse(v.Schema))).ToList();

    private static Schema ParseSchema(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new RegistryError(RegistryError.InvalidSchema, "Invalid schema: the request has no \"schema\" field");
        try
        {
            return Schema.Parse(text);
        }
        catch (Exception e)
        {
            throw new RegistryError(RegistryError.InvalidSchema, $"Invalid schema {Shorten(text)}: {e.Message}");
        }
    }

    private static CompatibilityLevel ParseLevel(string? name) =>
        CompatibilityLevels.TryParse(name, out var level)
            ? level
            : throw new RegistryError(RegistryError.InvalidCompatibilityLevel,
                $"Invalid compatibility level '{name}'. Valid values are {CompatibilityLevels.AllNames}");

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    private static RegistryError SubjectNotFound(string subject) =>
        new(RegistryError.SubjectNotFound, $"Subject '{subject}' not found.");

    private static RegistryError VersionNotFound(string subject, VersionSpec spec) =>
        new(RegistryError.VersionNotFound, $"Version {spec} not found for subject '{subject}'.");

    private static RegistryError SchemaNotFound(int id) =>
        new(RegistryError.SchemaNotFound, $"Schema {id} not found");
}

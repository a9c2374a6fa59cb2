using Schema = Avro.Schema;

namespace Pipeline.Core.Schemas;

/// <summary>
/// The Avro contracts shipped in Schemas/Contracts (one <c>.avsc</c> per record), read from this assembly.
/// They are the source of truth: the classes in Schemas/Generated are produced from them.
/// </summary>
public static class ContractSchemas
{
    private const string ResourcePrefix = "contracts/";

    /// <summary>The record names of every contract, e.g. <c>Transaction</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(ContractSchemas).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".avsc", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".avsc".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The <c>.avsc</c> text of a contract as shipped.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(ContractSchemas).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".avsc")
            ?? throw new ArgumentException($"No Avro contract named '{name}'; known contracts: {string.Join(", ", Names)}.", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The parsed schema of a contract.</summary>
    public static Schema Parse(string name) => Schema.Parse(Text(name));
}

namespace Pipeline.Core.Upstream;

/// <summary>The categories a transaction may have (shared domain vocabulary).</summary>
public static class TransactionCategories
{
    public static IReadOnlySet<string> All { get; } = new SortedSet<string>(StringComparer.Ordinal)
    {
        "grocery", "restaurant", "subscription", "retail", "travel", "fuel", "electronics", "other"
    };
}

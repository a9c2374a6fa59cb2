namespace Pipeline.Core.Schemas;

/// <summary>
/// Which earlier versions of a subject a new schema must be compatible with, and in which direction,
/// as defined by the Confluent Schema Registry.
/// </summary>
public enum CompatibilityLevel
{
    /// <summary>The new schema can read data written with the latest version (consumers upgrade first).</summary>
    Backward,
    /// <summary>The new schema can read data written with every earlier version.</summary>
    BackwardTransitive,
    /// <summary>The latest version can read data written with the new schema (producers upgrade first).</summary>
    Forward,
    /// <summary>Every earlier version can read data written with the new schema.</summary>
    ForwardTransitive,
    /// <summary>Both backward and forward with the latest version.</summary>
    Full,
    /// <summary>Both backward and forward with every earlier version.</summary>
    FullTransitive,
    /// <summary>No check.</summary>
    None
}

/// <summary>The wire names of <see cref="CompatibilityLevel"/> (e.g. <c>BACKWARD_TRANSITIVE</c>).</summary>
public static class CompatibilityLevels
{
    private static readonly IReadOnlyDictionary<string, CompatibilityLevel> ByName =
        Enum.GetValues<CompatibilityLevel>().ToDictionary(ToWireName, level => level, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every wire name, for error messages.</summary>
    public static string AllNames => string.Join(", ", Enum.GetValues<CompatibilityLevel>().Select(ToWireName));

    /// <summary>The name used by the registry's REST API and configuration, e.g. <c>FULL_TRANSITIVE</c>.</summary>
    public static string ToWireName(this CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.Backward => "BACKWARD",
        CompatibilityLevel.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityLevel.Forward => "FORWARD",
        CompatibilityLevel.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityLevel.Full => "FULL",
        CompatibilityLevel.FullTransitive => "FULL_TRANSITIVE",
        CompatibilityLevel.None => "NONE",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null)
    };

    /// <summary>Reads a wire name, ignoring case.</summary>
    public static bool TryParse(string? name, out CompatibilityLevel level) =>
        ByName.TryGetValue(name?.Trim() ?? "", out level);

    /// <summary>Whether the level requires that new data can be read by the old schemas.</summary>
    public static bool ChecksForward(this CompatibilityLevel level) =>
        level is CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;

    /// <summary>Whether the level requires that the new schema can read old data.</summary>
    public static bool ChecksBackward(this CompatibilityLevel level) =>
        level is CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;

    /// <summary>Whether every earlier version is checked, not only the latest.</summary>
    public static bool IsTransitive(this CompatibilityLevel level) =>
        level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.FullTransitive;
}

namespace Pipeline.Core.Configuration;

/// <summary>Values written into HOCON text built in code.</summary>
public static class HoconText
{
    /// <summary>A quoted HOCON string, safe for any characters (paths, connection strings, role names with ':').</summary>
    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

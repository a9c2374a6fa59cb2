using System.Text.RegularExpressions;

namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>
/// What a Python use case file declares at module level, read from its text without running it (so listing the use cases
/// needs no Python): <c>NAME = "..."</c>, and optionally <c>VARIANT = "B"</c> and <c>TARGET_BEHAVIOUR = "..."</c>. A file
/// without NAME is a helper module, not a use case. Loading the file checks that Python sees the same values.
/// </summary>
public sealed partial record PythonDeclarations(string Name, string Variant, string? TargetBehaviour)
{
    /// <summary>The declarations of the file's text, or null when it declares no NAME.</summary>
    public static PythonDeclarations? Read(string text)
    {
        var name = Declared(text, "NAME");
        return name is null ? null : new PythonDeclarations(name, Declared(text, "VARIANT") ?? "A", Declared(text, "TARGET_BEHAVIOUR"));
    }

    private static string? Declared(string text, string variable)
    {
        foreach (Match match in Assignment().Matches(text))
        {
            if (match.Groups["name"].Value == variable)
                return match.Groups["value"].Success ? match.Groups["value"].Value : null;
        }
        return null;
    }

    [GeneratedRegex("""^(?<name>[A-Z_]+)\s*(?::\s*[\w\[\]| ]+)?=\s*(?:"(?<value>[^"\r\n]*)"|'(?<value>[^'\r\n]*)'|None)\s*(?:#.*)?$""", RegexOptions.Multiline)]
    private static partial Regex Assignment();
}

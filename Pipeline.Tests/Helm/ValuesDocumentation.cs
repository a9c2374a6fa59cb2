using System.Text.RegularExpressions;

namespace Pipeline.Tests.Helm;

/// <summary>
/// Finds values.yaml keys nobody explained. A key counts as documented when a comment sits right above
/// it, when it continues an uninterrupted run of sibling keys under such a comment, or when its parent
/// key is documented (e.g. the entries of an example `resources` block). Parents without values of their
/// own (`image:`) need no comment of their own.
/// </summary>
internal static partial class ValuesDocumentation
{
    public static IReadOnlyList<string> UndocumentedKeys(IEnumerable<string> lines)
    {
        var undocumented = new List<string>();
        // Open ancestors: indentation, key, and whether it is documented.
        var ancestors = new Stack<(int Indent, string Key, bool Documented)>();
        var previous = LineKind.Other;
        var previousKeyIndent = -1;
        var previousKeyDocumented = false;

        foreach (var line in lines)
        {
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0) { previous = LineKind.Blank; continue; }
            if (trimmed.StartsWith('#')) { previous = LineKind.Comment; continue; }
            var match = KeyLine().Match(line);
            if (!match.Success) { previous = LineKind.Other; continue; }

            var indent = match.Groups[1].Value.Length;
            var key = match.Groups[2].Value;
            while (ancestors.Count > 0 && ancestors.Peek().Indent >= indent)
                ancestors.Pop();

            var isParent = match.Groups[3].Value.Length == 0;
            // A run of sibling values shares one comment; a parent needs its own (or a documented parent).
            var documented = previous == LineKind.Comment
                || (!isParent && previous == LineKind.Value && previousKeyIndent == indent && previousKeyDocumented)
                || (ancestors.Count > 0 && ancestors.Peek().Documented);
            if (!documented && !isParent)
                undocumented.Add(string.Join('.', ancestors.Reverse().Select(a => a.Key).Append(key)));
            if (isParent)
                ancestors.Push((indent, key, documented));

            previous = isParent ? LineKind.Parent : LineKind.Value;
            previousKeyIndent = indent;
            previousKeyDocumented = documented;
        }
        return undocumented;
    }

    private enum LineKind { Other, Blank, Comment, Parent, Value }

    // "  key: value" or "  key:" (a parent); list items and document markers are not keys.
    [GeneratedRegex(@"^( *)([A-Za-z0-9_.\-/]+):(?: *(.*))?$")]
    private static partial Regex KeyLine();
}

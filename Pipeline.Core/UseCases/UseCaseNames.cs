using System.Text;

namespace Pipeline.Core.UseCases;

/// <summary>Conversions between a use case's name (<c>DuplicateCharge</c>) and its HOCON key (<c>duplicate-charge</c>).</summary>
public static class UseCaseNames
{
    public static string ToConfigKey(string name)
    {
        var key = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                key.Append('-');
            key.Append(char.ToLowerInvariant(name[i]));
        }
        return key.ToString();
    }

    /// <summary>The inverse of <see cref="ToConfigKey"/>: <c>large-purchase</c> as <c>LargePurchase</c>.</summary>
    public static string ToName(string key) =>
        string.Concat(key.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}

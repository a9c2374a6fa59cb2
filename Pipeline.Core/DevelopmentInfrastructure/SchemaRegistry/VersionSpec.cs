using System.Globalization;

namespace Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

/// <summary>A version as written in a registry URL: a number from 1, or <c>latest</c> (also <c>-1</c>).</summary>
internal readonly record struct VersionSpec(int? Number)
{
    public bool IsLatest => Number is null;

    public static VersionSpec Parse(string text)
    {
        if (string.Equals(text, "latest", StringComparison.OrdinalIgnoreCase) || text == "-1")
            return new VersionSpec(null);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1)
            return new VersionSpec(number);
        throw new RegistryError(RegistryError.InvalidVersion,
            $"The specified version '{text}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? "latest";
}

using System.Globalization;

namespace Pipeline.Core.UseCases;

/// <summary>Formats minor-unit amounts for feedback messages.</summary>
public static class Money
{
    /// <summary>E.g. 129900 and "EUR" as "1,299.00 EUR".</summary>
    public static string Format(long minor, string currency) =>
        (minor / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture) + " " + currency;
}

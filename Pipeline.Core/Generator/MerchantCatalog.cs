using Pipeline.Core.UseCases;

namespace Pipeline.Core.Generator;

/// <summary>The merchants synthetic customers buy from, with typical amounts per category.</summary>
internal static class MerchantCatalog
{
    /// <summary>Ordinary purchase amounts of a category: log-normal around <paramref name="Median"/>, clipped to a range.</summary>
    internal sealed record AmountShape(double Median, double Sigma, double Min, double Max);

    /// <summary>A subscription with its starting monthly price in cents.</summary>
    internal sealed record SubscriptionOffer(string Merchant, long PriceMinor);

    public static readonly IReadOnlyList<string> Grocery = ["Lidl", "Aldi", "Rewe", "Edeka", "Carrefour", "Spar", "Albert Heijn", "Tesco"];

    public static readonly IReadOnlyList<string> Restaurants =
    [
        "Trattoria Roma", "Sushi Bar Kyoto", "Le Petit Bistro", "Burger House", "Taverna Olympia",
        "Curry Palace", "La Cantina", "The Green Table", "Pho Saigon", "Brasserie du Port"
    ];

    public static readonly IReadOnlyList<string> Retail = ["Zara", "H&M", "IKEA", "Decathlon", "DM Drogerie", "Thalia", "Primark", "Fnac", "Uniqlo", "Rossmann"];

    public static readonly IReadOnlyList<string> Fuel = ["Shell", "Aral", "TotalEnergies", "Esso", "BP"];

    public static readonly IReadOnlyList<string> Electronics = ["MediaMarkt", "Saturn", "Apple Store", "Currys"];

    public static readonly IReadOnlyList<string> Travel = ["Lufthansa", "Deutsche Bahn", "Booking.com", "Airbnb", "easyJet"];

    public static readonly IReadOnlyList<string> Other = ["Post Office", "Pharmacy Central", "City Parking", "Florist Rosa"];

    public static readonly IReadOnlyList<SubscriptionOffer> Subscriptions =
    [
        new("Netflix", 1299), new("Spotify", 1099), new("Disney+", 899), new("Amazon Prime", 899),
        new("iCloud+", 299), new("FitX Gym", 2499), new("Vodafone Mobile", 1999), new("The Guardian", 999),
        new("Dropbox", 1199), new("YouTube Premium", 1299)
    ];

    // Tails are clipped so that ordinary spending stays ordinary: the big amounts in the stream are
    // the injected large purchases, which the ground truth knows about.
    public static AmountShape AmountOf(string category) => category switch
    {
        Categories.Grocery => new(35, 0.45, 3, 120),
        Categories.Restaurant => new(38, 0.40, 8, 110),
        Categories.Retail => new(30, 0.50, 4, 130),
        Categories.Fuel => new(55, 0.20, 25, 90),
        Categories.Electronics => new(35, 0.50, 8, 130),
        Categories.Travel => new(45, 0.45, 10, 130),
        _ => new(15, 0.50, 2, 60)
    };
}

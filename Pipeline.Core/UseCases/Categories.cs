namespace Pipeline.Core.UseCases;

/// <summary>The record categories of the raw input contract.</summary>
public static class Categories
{
    public const string Grocery = "grocery";
    public const string Restaurant = "restaurant";
    public const string Subscription = "subscription";
    public const string Retail = "retail";
    public const string Travel = "travel";
    public const string Fuel = "fuel";
    public const string Electronics = "electronics";
    public const string Other = "other";

    /// <summary>Every category, in the order of the contract.</summary>
    public static readonly IReadOnlyList<string> All = [Grocery, Restaurant, Subscription, Retail, Travel, Fuel, Electronics, Other];
}

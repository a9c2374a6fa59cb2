namespace Pipeline.UseCases.LargePurchase;

/// <summary>The name both LargePurchase variants share, which makes them A and B of one use case.</summary>
internal static class LargePurchaseName
{
    public const string Value = "LargePurchase";
}

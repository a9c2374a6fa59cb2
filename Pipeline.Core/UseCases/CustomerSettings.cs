namespace Pipeline.Core.UseCases;

/// <summary>
/// What a customer chose for themselves (from the compacted <c>customer-settings</c> topic), as use cases
/// see it. A value left null means the customer did not choose, and the use case's HOCON default applies.
/// </summary>
/// <param name="LargePurchaseThresholdMinor">Purchases above this amount (minor units) count as large for this customer.</param>
public sealed record CustomerSettings(string CustomerId, long? LargePurchaseThresholdMinor)
{
    /// <summary>A customer with no settings of their own.</summary>
    public static CustomerSettings None(string customerId) => new(customerId, null);
}

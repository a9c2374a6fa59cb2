namespace Pipeline.Core.UseCases;

/// <summary>The state of a use case that needs no memory of earlier transactions.</summary>
public sealed record NoState
{
    public static readonly NoState Instance = new();
}

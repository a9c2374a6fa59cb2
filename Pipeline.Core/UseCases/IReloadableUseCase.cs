namespace Pipeline.Core.UseCases;

/// <summary>
/// A use case whose code can change while the service runs (a Python use case). A customer entity that built its state with an
/// older <see cref="Generation"/> drops it and rebuilds it from the history store with the new code.
/// </summary>
public interface IReloadableUseCase
{
    /// <summary>Grows by one with every reload of the code.</summary>
    long Generation { get; }
}

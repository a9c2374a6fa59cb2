namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>
/// A Python use case's settings: its HOCON block as plain values, which the worker hands to the use case's
/// <c>read_settings</c>. <see cref="Id"/> names them in the workers, which receive them once each.
/// </summary>
public sealed record PythonUseCaseSettings(int Id, IReadOnlyDictionary<string, object> Values);

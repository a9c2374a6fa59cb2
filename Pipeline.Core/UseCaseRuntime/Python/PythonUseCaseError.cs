namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>
/// A Python use case failed on one record: it raised (the message is the Python type, message and the last frame of the
/// traceback), did not return within the evaluate timeout, or killed its worker too often. The record is dead-lettered with
/// this message; the customer's state stays as it was.
/// </summary>
public sealed class PythonUseCaseError(string message) : Exception(message);

namespace Pipeline.Core.Configuration;

/// <summary>
/// A setting is missing, has the wrong type, or is out of range. The message names the key,
/// where its value came from, and how to fix it; the service refuses to start.
/// </summary>
public sealed class ConfigurationError(string message, Exception? inner = null) : Exception(message, inner);

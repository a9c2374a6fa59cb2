namespace Pipeline.Core.Storage;

/// <summary>
/// The history store could not take a batch within the retry deadline. The message names the store
/// (without secrets), how long writes were retried and the last cause; the stream fails with it.
/// </summary>
public sealed class HistoryStoreUnavailableException(string message, Exception cause) : Exception(message, cause);

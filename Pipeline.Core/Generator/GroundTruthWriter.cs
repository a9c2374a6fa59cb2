using System.Text.Json;

namespace Pipeline.Core.Generator;

/// <summary>
/// Writes what the generator injected as JSON lines, one per record a use case should report:
/// <c>{"transactionId":"t-00000042","customerId":"c-000007","behaviour":"duplicate-charge","timestamp":"..."}</c>.
/// Records without an injection are not written.
/// </summary>
public sealed class GroundTruthWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public GroundTruthWriter(Stream stream)
    {
        _stream = stream;
        _json = new Utf8JsonWriter(stream);
    }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>.</summary>
    public static GroundTruthWriter ToFile(string path)
    {
        try { return new GroundTruthWriter(File.Create(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the ground-truth file '{path}': {e.Message}. Choose a writable path.", e);
        }
    }

    /// <summary>Writes the record's line when it carries an injection.</summary>
    public void Write(GeneratedRecord record)
    {
        if (record.Behaviour is not { } behaviour)
            return;
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("transactionId", record.TransactionId);
        _json.WriteString("customerId", record.Key);
        _json.WriteString("behaviour", behaviour);
        _json.WriteString("timestamp", record.Timestamp.UtcDateTime);
        _json.WriteEndObject();
        _json.Flush();
        _stream.Write(NewLine);
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
    }
}

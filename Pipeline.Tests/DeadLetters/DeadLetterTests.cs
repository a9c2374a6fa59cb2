using System.Text;
using Confluent.Kafka;
using Pipeline.Core.Configuration;
using Pipeline.Core.DeadLetters;

namespace Pipeline.Tests.DeadLetters;

/// <summary>Dead letters keep the original record and carry safe, bounded headers saying why and where.</summary>
public sealed class DeadLetterTests
{
    private static readonly DeadLetterSettings Settings = DeadLetterSettings.Create(PipelineConfig.Defaults().Section("pipeline.dead-letters"));

    private static string Header(Message<byte[]?, byte[]?> message, string name) =>
        Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));

    [Fact]
    public void The_original_bytes_and_headers_are_kept_and_the_error_headers_added()
    {
        var value = new byte[] { 0xFF, 0x00, (byte)'{' };
        var original = new Headers { { "trace-id", [1, 2, 3] } };
        var rejection = new Rejection(RejectionReason.InvalidUtf8, "The record is not valid UTF-8 text.");

        var letter = DeadLetter.Create([(byte)'k'], value, original, rejection, "upstream", new DeadLetterSource("transactions.raw", 3, 1234567890123), Settings);

        Assert.Equal(value, letter.Value!);
        Assert.Equal(new byte[] { (byte)'k' }, letter.Key!);
        Assert.Equal("invalid-utf8", Header(letter, DeadLetter.ReasonHeader));
        Assert.Equal("The record is not valid UTF-8 text.", Header(letter, DeadLetter.MessageHeader));
        Assert.Equal("upstream", Header(letter, DeadLetter.StageHeader));
        Assert.Equal("transactions.raw", Header(letter, DeadLetter.SourceTopicHeader));
        Assert.Equal("3", Header(letter, DeadLetter.SourcePartitionHeader));
        Assert.Equal("1234567890123", Header(letter, DeadLetter.SourceOffsetHeader));
        Assert.Equal([1, 2, 3], letter.Headers.GetLastBytes("trace-id"));
    }

    [Fact]
    public void Header_values_cannot_inject_lines_and_are_bounded()
    {
        var hostile = "bad\r\nerror.reason: ok\u0000\u2028" + new string('\u00e9', 5_000) + "\U0001F600";
        var rejection = new Rejection(RejectionReason.InvalidCategory, hostile);

        var letter = DeadLetter.Create(null, [], null, rejection, "up\nstream", new DeadLetterSource("t", 0, 0), Settings);

        var message = Header(letter, DeadLetter.MessageHeader);
        Assert.StartsWith("bad  error.reason: ok  ", message);
        Assert.DoesNotContain(message, char.IsControl);
        Assert.True(letter.Headers.GetLastBytes(DeadLetter.MessageHeader).Length <= Settings.MaxHeaderValueBytes);
        Assert.EndsWith("...", message);
        Assert.Equal("up stream", Header(letter, DeadLetter.StageHeader));
    }

    [Fact]
    public void An_original_header_cannot_forge_the_reason_or_position()
    {
        var original = new Headers { { "error.reason", "accepted"u8.ToArray() }, { "Source.Offset", "0"u8.ToArray() }, { "trace-id", [7] } };
        var rejection = new Rejection(RejectionReason.NotJson, "The record is not JSON.");

        var letter = DeadLetter.Create(null, [], original, rejection, "upstream", new DeadLetterSource("t", 1, 99), Settings);

        Assert.Equal("not-json", Encoding.UTF8.GetString(Assert.Single(letter.Headers, h => h.Key == DeadLetter.ReasonHeader).GetValueBytes()));
        Assert.Equal("99", Header(letter, DeadLetter.SourceOffsetHeader));
        Assert.Equal("accepted", Header(letter, "original.error.reason"));
        Assert.Equal("0", Header(letter, "original.Source.Offset"));
        Assert.Equal([7], letter.Headers.GetLastBytes("trace-id"));
    }

    [Fact]
    public void A_key_or_value_longer_than_the_limit_is_cut_with_its_full_size_and_sha256_in_headers()
    {
        var settings = Settings with { MaxValueBytes = 1024 };
        var value = System.Security.Cryptography.RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        var key = new byte[1025];
        var forged = new Headers { { DeadLetter.ValueOriginalBytesHeader, "1"u8.ToArray() } };
        var rejection = new Rejection(RejectionReason.Oversized, "The record is larger than 16384 bytes.");

        var letter = DeadLetter.Create(key, value, forged, rejection, "upstream", new DeadLetterSource("t", 0, 5), settings);

        Assert.Equal(value.AsSpan(0, 1024).ToArray(), letter.Value);
        Assert.Equal("2097152", Encoding.UTF8.GetString(Assert.Single(letter.Headers, h => h.Key == DeadLetter.ValueOriginalBytesHeader).GetValueBytes()));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(value)), Header(letter, DeadLetter.ValueOriginalSha256Header));
        Assert.Equal(1024, letter.Key!.Length);
        Assert.Equal("1025", Header(letter, DeadLetter.KeyOriginalBytesHeader));
        Assert.Equal("1", Header(letter, DeadLetter.OriginalPrefix + DeadLetter.ValueOriginalBytesHeader));

        var small = DeadLetter.Create(key[..10], value[..10], null, rejection, "upstream", new DeadLetterSource("t", 0, 6), settings);
        Assert.Equal(value[..10], small.Value);
        Assert.DoesNotContain(small.Headers, h => h.Key.EndsWith("original-bytes", StringComparison.Ordinal) || h.Key.EndsWith("sha256", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("short", 16, "short")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", 16, "abcdefghijklm...")]
    [InlineData("\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600", 16, "\U0001F600\U0001F600\U0001F600...")]
    public void Sanitise_cuts_on_character_boundaries(string text, int maxBytes, string expected) =>
        Assert.Equal(expected, DeadLetter.Sanitise(text, maxBytes));
}

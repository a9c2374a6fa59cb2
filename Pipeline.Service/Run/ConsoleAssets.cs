using System.Collections.Frozen;

namespace Pipeline.Service.Run;

/// <summary>The console's files, embedded in the binary from Pipeline.Service/Console.</summary>
internal static class ConsoleAssets
{
    private const string Prefix = "Pipeline.Service.Console.";

    private static readonly FrozenDictionary<string, ConsoleAsset> Assets = Load();

    public static ConsoleAsset? Find(string file) => Assets.GetValueOrDefault(file);

    private static FrozenDictionary<string, ConsoleAsset> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        return assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToFrozenDictionary(
            name => name[Prefix.Length..],
            name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return new ConsoleAsset(copy.ToArray(), ContentTypeOf(name));
            });
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream"
    };
}

/// <summary>One embedded file of the console.</summary>
internal sealed record ConsoleAsset(byte[] Content, string ContentType);

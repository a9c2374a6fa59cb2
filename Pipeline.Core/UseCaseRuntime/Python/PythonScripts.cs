using System.Security.Cryptography;

namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>
/// The worker script and the <c>pipeline_use_case</c> module, which travel inside the binary and are written to a folder
/// named after their content on first use, so the service runs from any directory and two versions never share a folder.
/// </summary>
internal static class PythonScripts
{
    public const string Worker = "pipeline_worker.py";
    public const string TypesModule = "pipeline_use_case.py";

    private static readonly Lazy<string> Folder = new(Write);

    /// <summary>The folder holding both files.</summary>
    public static string Directory => Folder.Value;

    private static string Write()
    {
        var assembly = typeof(PythonScripts).Assembly;
        var files = new[] { Worker, TypesModule }.Select(name =>
        {
            using var stream = assembly.GetManifestResourceStream($"python/{name}")
                ?? throw new InvalidOperationException($"The binary lacks its embedded python/{name}.");
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return (name, bytes: memory.ToArray());
        }).ToList();
        var hash = Convert.ToHexString(SHA256.HashData(files.SelectMany(f => f.bytes).ToArray()))[..16].ToLowerInvariant();
        var folder = Path.Combine(Path.GetTempPath(), $"pipeline-python-{hash}");
        System.IO.Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in files)
        {
            var target = Path.Combine(folder, name);
            if (File.Exists(target))
                continue;
            var temporary = $"{target}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, target, overwrite: true);
        }
        return folder;
    }
}

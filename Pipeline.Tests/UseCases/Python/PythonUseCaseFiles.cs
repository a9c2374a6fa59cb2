using Pipeline.Core.Configuration;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Core.UseCaseRuntime.Python;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.UseCases.Python;

/// <summary>A folder of Python use case files for one test, and the shipped ones, run by Debian's /usr/bin/python3.</summary>
internal sealed class PythonUseCaseFiles : IDisposable
{
    /// <summary>The shipped Python use cases (Pipeline.UseCases/Python).</summary>
    public static string Shipped { get; } = System.IO.Path.Combine(RepositoryRoot.Path, "Pipeline.UseCases", "Python");

    public PythonUseCaseFiles() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pipeline-python-tests", Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Writes <paramref name="name"/> with <paramref name="code"/> into the folder and returns its path.</summary>
    public string Write(string name, string code)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, code);
        return file;
    }

    /// <summary>Copies a shipped use case into the folder.</summary>
    public string CopyShipped(string name) => Write(name, File.ReadAllText(System.IO.Path.Combine(Shipped, name)));

    public static PythonSettings Settings(string folder, TimeSpan? evaluateTimeout = null) =>
        new("/usr/bin/python3", folder, 1, evaluateTimeout ?? TimeSpan.FromSeconds(5), 3, TimeSpan.FromSeconds(30), false);

    /// <summary>The use case of <paramref name="file"/> bound to the settings block <paramref name="hocon"/>, as the registry binds it.</summary>
    public static ConfiguredUseCase Configure(string file, string hocon = "", PythonSettings? settings = null)
    {
        var declared = PythonDeclarations.Read(File.ReadAllText(file)) ?? throw new InvalidOperationException($"{file} declares no NAME");
        var useCase = new PythonUseCase(file, declared, settings ?? Settings(System.IO.Path.GetDirectoryName(file)!));
        var section = ConfigSection.Of(Akka.Configuration.ConfigurationFactory.ParseString($"block {{ {hocon} }}"), "block");
        return new ConfiguredUseCase(useCase, useCase.ReadSettings(section), TimeSpan.FromDays(60));
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a temp folder left behind does no harm */ }
    }
}

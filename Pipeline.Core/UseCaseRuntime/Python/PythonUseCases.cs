namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>Finds the Python use cases: every top-level <c>.py</c> file of the configured folder that declares a NAME.</summary>
public static class PythonUseCases
{
    /// <summary>One adapter per use case file, in file-name order; none when the folder does not exist.</summary>
    public static IReadOnlyList<PythonUseCase> Discover(PythonSettings settings)
    {
        if (!Directory.Exists(settings.UseCasesDirectory))
            return [];
        return Directory.GetFiles(settings.UseCasesDirectory, "*.py")
            .Order(StringComparer.Ordinal)
            .Select(file => (file, declared: PythonDeclarations.Read(File.ReadAllText(file))))
            .Where(found => found.declared is not null)
            .Select(found => new PythonUseCase(found.file, found.declared!, settings))
            .ToList();
    }
}

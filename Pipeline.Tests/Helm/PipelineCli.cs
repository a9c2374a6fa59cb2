namespace Pipeline.Tests.Helm;

/// <summary>
/// Runs the real `pipeline` executable (Pipeline.Service, copied next to the tests by the project
/// reference) as a separate process, with exactly the environment given: no PIPELINE__ variable of the
/// test process leaks into it.
/// </summary>
internal static class PipelineCli
{
    public static ToolResult Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var entryAssembly = Path.Combine(AppContext.BaseDirectory, "pipeline.dll");
        Assert.True(File.Exists(entryAssembly), $"{entryAssembly} is missing: Pipeline.Tests must reference Pipeline.Service.");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalTool.FindOnPath("dotnet")
            ?? throw new InvalidOperationException("dotnet was not found on PATH.");

        var childEnvironment = environment.ToDictionary(e => e.Key, e => (string?)e.Value);
        foreach (var inherited in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (inherited.StartsWith("PIPELINE__", StringComparison.Ordinal) && !childEnvironment.ContainsKey(inherited))
                childEnvironment[inherited] = null;
        }
        return ExternalTool.Run(dotnet, [entryAssembly, .. arguments], childEnvironment, TimeSpan.FromSeconds(60));
    }
}

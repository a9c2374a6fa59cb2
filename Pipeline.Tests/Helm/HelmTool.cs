namespace Pipeline.Tests.Helm;

/// <summary>
/// The helm binary the chart tests use: the project-local one scripts/install-helm.sh puts in
/// .tools/bin, else one on PATH. Helm's cache, config and data folders are kept under .tools/helm, so
/// tests never touch the user's own helm setup.
/// </summary>
internal static class HelmTool
{
    private static readonly Lazy<string> Binary = new(Find);

    /// <summary>Runs helm with the given arguments from the repository root.</summary>
    public static ToolResult Run(params string[] arguments)
    {
        var helmHome = RepositoryPaths.Of(".tools", "helm");
        return ExternalTool.Run(Binary.Value, arguments, new Dictionary<string, string?>
        {
            ["HELM_CACHE_HOME"] = Path.Combine(helmHome, "cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(helmHome, "config"),
            ["HELM_DATA_HOME"] = Path.Combine(helmHome, "data")
        });
    }

    /// <summary>Runs helm and fails the test with helm's own output when it does not exit 0.</summary>
    public static string RunOrFail(params string[] arguments)
    {
        var result = Run(arguments);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput;
    }

    private static string Find()
    {
        var local = RepositoryPaths.Of(".tools", "bin", "helm");
        if (File.Exists(local))
            return local;
        return ExternalTool.FindOnPath("helm") ?? throw new InvalidOperationException(
            "helm was not found in .tools/bin or on PATH. Run ./test.sh (or scripts/install-helm.sh), which installs it.");
    }
}

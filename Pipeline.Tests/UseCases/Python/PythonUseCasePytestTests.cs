using System.Diagnostics;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.UseCases.Python;

/// <summary>The Python use cases' own pytest tests (Pipeline.UseCases/Python/tests), run by Debian's python3 and python3-pytest.</summary>
public sealed class PythonUseCasePytestTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_shipped_Python_use_cases_pass_their_pytest_tests()
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path
        };
        foreach (var argument in new[] { "-B", "-m", "pytest", "-q", "-p", "no:cacheprovider", PythonUseCaseFiles.Shipped })
            start.ArgumentList.Add(argument);
        using var pytest = Process.Start(start)!;
        var stdout = pytest.StandardOutput.ReadToEndAsync();
        var stderr = pytest.StandardError.ReadToEndAsync();
        await pytest.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);
        Assert.True(pytest.ExitCode == 0, $"pytest exited with {pytest.ExitCode}: {await stdout}{await stderr}");
        Assert.Matches(@"\d+ passed", await stdout);
    }
}

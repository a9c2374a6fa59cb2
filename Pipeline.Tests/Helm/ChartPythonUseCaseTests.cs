using Pipeline.Tests.UseCases.Python;

namespace Pipeline.Tests.Helm;

/// <summary>Python use cases shipped as files from the values: their ConfigMap, its mount, and the setting that points at it.</summary>
public sealed class ChartPythonUseCaseTests
{
    [Fact]
    public void Python_use_case_files_from_the_values_are_mounted_as_a_directory_outside_the_pods_checksums()
    {
        var file = Path.Combine(PythonUseCaseFiles.Shipped, "duplicate_charge_py.py");
        var chart = RenderedChart.Render([], "--set-file", $"pipeline.pythonUseCases.duplicate_charge_py\\.py={file}");

        var files = chart.OfKind("ConfigMap").Single(c => c.Map("metadata").Str("name") == $"{RenderedChart.ReleaseName}-akka-pipeline-python-use-cases");
        Assert.Equal(File.ReadAllText(file).TrimEnd(), files.Map("data").Str("duplicate_charge_py.py").TrimEnd());
        Assert.Contains("pipeline.python.use-cases-dir = \"/etc/pipeline/python-use-cases\"", chart.Text);

        var pod = chart.PodTemplate.Map("spec");
        var mount = Assert.Single(pod.Seq("containers").Maps().Single().Seq("volumeMounts").Maps(), m => m.Str("name") == "python-use-cases");
        Assert.Equal("/etc/pipeline/python-use-cases", mount.Str("mountPath"));
        // A subPath mount would never see a changed file.
        Assert.Null(mount.StrOrNull("subPath"));
        var annotations = chart.PodTemplate.Map("metadata").Map("annotations").Scalars();
        Assert.DoesNotContain(annotations.Keys, key => key.Contains("python", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_Python_files_in_the_values_the_image_keeps_its_own()
    {
        var chart = RenderedChart.Render([]);
        Assert.DoesNotContain("python-use-cases", chart.Text);
    }
}

using Pipeline.Core.Schemas;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Schemas;

/// <summary>The checked-in classes are exactly what Apache.Avro generates from the .avsc files.</summary>
public sealed class GeneratedContractsTests
{
    /// <summary>Set to 1 (scripts/generate-contracts.sh does) to rewrite the checked-in classes instead of comparing.</summary>
    private const string RegenerateVariable = "PIPELINE_REGENERATE_CONTRACTS";

    [Fact]
    public void Checked_in_classes_equal_the_code_generated_from_the_avsc_files()
    {
        var folder = Path.Combine(RepositoryRoot.Path, ContractCodeGenerator.OutputFolder);
        var generated = ContractCodeGenerator.Generate();

        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            foreach (var stale in Directory.GetFiles(folder, "*.cs"))
                File.Delete(stale);
            foreach (var (file, code) in generated)
                File.WriteAllText(Path.Combine(folder, file), code);
        }

        var checkedIn = Directory.GetFiles(folder, "*.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(generated.Keys.Order(StringComparer.Ordinal), checkedIn);
        foreach (var (file, code) in generated)
        {
            var onDisk = File.ReadAllText(Path.Combine(folder, file)).ReplaceLineEndings("\n");
            Assert.True(code == onDisk,
                $"{ContractCodeGenerator.OutputFolder}/{file} differs from the code generated from its .avsc; run scripts/generate-contracts.sh and commit the result.");
        }
    }

    [Fact]
    public void Every_contract_is_generated_and_its_class_carries_the_same_schema()
    {
        Assert.Equal(["CustomerSettings", "Feedback", "Notification", "Transaction"], ContractSchemas.Names);
        Assert.Equal(ContractSchemas.Parse("Transaction").ToString(), Pipeline.Contracts.Transaction._SCHEMA.ToString());
        Assert.Equal(ContractSchemas.Parse("CustomerSettings").ToString(), Pipeline.Contracts.CustomerSettings._SCHEMA.ToString());
        Assert.Equal(ContractSchemas.Parse("Feedback").ToString(), Pipeline.Contracts.Feedback._SCHEMA.ToString());
        Assert.Equal(ContractSchemas.Parse("Notification").ToString(), Pipeline.Contracts.Notification._SCHEMA.ToString());
    }
}

using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCaseRuntime.Python;
using Pipeline.Core.UseCases;
using Pipeline.Tests.Generator;
using Pipeline.Tests.Support;
using Pipeline.Tests.UseCases.Python;
using Xunit.Abstractions;
using DeadLetter = Pipeline.Core.DeadLetters.DeadLetter;

namespace Pipeline.Tests.Diamond;

/// <summary>
/// Python use cases in a real node beside the C# ones: found in their folder, run by worker processes of Debian's python3,
/// with the streams, sharding, rebuild, A/B, dead letters and reload the service gives every use case.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class PythonUseCaseDiamondTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly PythonUseCaseFiles _files = new();

    [Fact]
    public async Task The_Python_port_delivers_what_the_CSharp_use_case_delivers_a_Python_B_variant_runs_beside_its_CSharp_A_and_a_raising_one_dead_letters_its_records()
    {
        _files.CopyShipped("duplicate_charge_py.py");
        // Variant B of the C# duplicate-charge, in Python: the port under the C# use case's name.
        _files.Write("duplicate_charge_b.py", File.ReadAllText(Path.Combine(PythonUseCaseFiles.Shipped, "duplicate_charge_py.py"))
            .Replace("NAME = \"DuplicateChargePy\"", "NAME = \"DuplicateCharge\"\nVARIANT = \"B\"", StringComparison.Ordinal));
        _files.Write("raising_py.py", """
            NAME = "RaisingPy"

            def initial_state():
                return None

            def evaluate(state, transaction, settings, context):
                if transaction.transaction_id.endswith("7"):
                    raise ValueError(f"cannot evaluate {transaction.transaction_id}")
                return state, None
            """);
        await using var diamond = await DiamondHarness.CreateAsync(kafka,
            $"pipeline.python.use-cases-dir={_files.Path}",
            "pipeline.use-cases.enabled=[duplicate-charge, duplicate-charge-py, raising-py]",
            "pipeline.use-cases.duplicate-charge-py.window=24h",
            // A use case without settings still has its block (here only the shared history, written out).
            "pipeline.use-cases.raising-py.history=60d",
            "pipeline.experiments.b-share.duplicate-charge=50");
        var variants = diamond.Settings.UseCases.Select(u => u.ToString()).ToList();
        Assert.Equal(["DuplicateCharge/A", "DuplicateCharge/B", "DuplicateChargePy/A", "RaisingPy/A"], variants.Order());
        Assert.IsType<PythonUseCase>(diamond.Settings.UseCases.Single(u => u.ToString() == "DuplicateCharge/B").UseCase);

        var records = DiamondTests.Generate(12_000);
        var transactions = records.Select(r => RawRecordParser.Parse(r.Value)).ToList();
        var csharp = diamond.Settings.UseCases.Where(u => u.ToString() == "DuplicateCharge/A").ToList();
        var reference = ExpectedNotifications.Compute(transactions, csharp, new Experiments(new Dictionary<string, double>()))
            .Values.Select(f => (f.TransactionId, f.Message)).Order().ToList();
        var failing = transactions.Where(t => t.TransactionId.EndsWith('7')).Select(t => t.TransactionId).Order().ToList();

        await diamond.StartAsync();
        diamond.ProduceRaw(records);
        var notifications = await diamond.ReadNotificationsAsync(2 * reference.Count, Timeout);
        output.WriteLine($"{records.Count} records: {reference.Count} duplicate charges, {notifications.Count} notifications, {failing.Count} raising");

        // The port: exactly the C# use case's findings, with the same messages.
        Assert.Equal(reference, notifications.Where(n => n.useCase == "DuplicateChargePy").Select(n => (n.transactionId, n.message)).Order());
        // A/B across languages: each customer gets A (C#) or B (Python), and together they are the same findings.
        var duplicate = notifications.Where(n => n.useCase == "DuplicateCharge").ToList();
        Assert.Equal(reference, duplicate.Select(n => (n.transactionId, n.message)).Order());
        Assert.Contains(duplicate, n => n.variant == "A");
        Assert.Contains(duplicate, n => n.variant == "B");

        // The raising use case: each of its records one dead letter with the Python type, message and last frame.
        var stage = UseCaseStreamSettings.StageName("raising-py");
        await diamond.WaitForStageAsync(stage, records.Count, Timeout);
        var deadLetters = BinaryTopic.ReadAll(diamond.Bootstrap, diamond.Settings.Topics.DeadLetters, failing.Count, Timeout);
        Assert.All(deadLetters, letter =>
        {
            Assert.Equal("use-case-failed", BinaryTopic.Header(letter, DeadLetter.ReasonHeader));
            Assert.Equal(stage, BinaryTopic.Header(letter, DeadLetter.StageHeader));
        });
        Assert.Equal(failing.Select(id => $"RaisingPy/A: ValueError: cannot evaluate {id} (at raising_py.py:8 in evaluate)"),
            deadLetters.Select(letter => BinaryTopic.Header(letter, DeadLetter.MessageHeader)).Order());
        Assert.Equal(0, diamond.Node!.UseCases.Stream("raising-py")!.RestartCount);
    }

    [Fact]
    public async Task Changing_a_Python_use_case_file_mid_stream_reloads_it_alone_losing_nothing_and_later_notifications_are_the_new_codes()
    {
        var file = _files.CopyShipped("duplicate_charge_py.py");
        await using var diamond = await DiamondHarness.CreateAsync(kafka,
            $"pipeline.python.use-cases-dir={_files.Path}",
            "pipeline.use-cases.enabled=[duplicate-charge, duplicate-charge-py]",
            "pipeline.use-cases.duplicate-charge-py.window=24h");
        var records = DiamondTests.Generate(12_000);
        var transactions = records.Select(r => RawRecordParser.Parse(r.Value)).ToList();
        var csharp = diamond.Settings.UseCases.Where(u => u.Name == "DuplicateCharge").ToList();
        var reference = ExpectedNotifications.Compute(transactions, csharp, new Experiments(new Dictionary<string, double>())).Values.ToList();
        var half = records.Count / 2;
        var secondHalf = transactions.Skip(half).Select(t => t.TransactionId).ToHashSet();
        var python = (PythonUseCase)diamond.Settings.UseCases.Single(u => u.Name == "DuplicateChargePy").UseCase;

        await diamond.StartAsync();
        diamond.ProduceRaw(records.Take(half));
        await diamond.WaitForUseCasesAsync(half, Timeout);

        // A broken edit is refused and the old code keeps running; the fixed edit is picked up from the file by itself.
        var code = File.ReadAllText(file);
        File.WriteAllText(file, code.Replace("def describe(gap):", "def describe(gap)", StringComparison.Ordinal));
        var refused = await diamond.Node!.UseCases.ReloadAsync("duplicate-charge-py", TimeSpan.FromSeconds(30));
        Assert.Matches(@"duplicate_charge_py\.py, line \d+: SyntaxError", refused);
        File.WriteAllText(file, code.Replace("f\"Possible duplicate charge: ", "f\"Charged twice? ", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (python.Generation < 1 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal(1, python.Generation);
        diamond.ProduceRaw(records.Skip(half));

        var notifications = await diamond.ReadNotificationsAsync(2 * reference.Count, Timeout);
        Assert.Equal(reference.Select(f => (f.TransactionId, f.Message)).Order(),
            notifications.Where(n => n.useCase == "DuplicateCharge").Select(n => (n.transactionId, n.message)).Order());
        var expectedPython = reference.Select(f => (f.TransactionId, secondHalf.Contains(f.TransactionId)
            ? f.Message.Replace("Possible duplicate charge: ", "Charged twice? ", StringComparison.Ordinal)
            : f.Message));
        Assert.Equal(expectedPython.Order(), notifications.Where(n => n.useCase == "DuplicateChargePy").Select(n => (n.transactionId, n.message)).Order());
        Assert.Equal(0, diamond.Node.UseCases.Stream("duplicate-charge")!.RestartCount);
    }

    public void Dispose() => _files.Dispose();
}

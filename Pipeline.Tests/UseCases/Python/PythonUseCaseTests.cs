using Pipeline.Core.Configuration;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Core.UseCaseRuntime.Python;
using Pipeline.Tests.Diamond;
using Pipeline.Tests.Generator;
using Xunit.Abstractions;

namespace Pipeline.Tests.UseCases.Python;

/// <summary>Python use cases run by real worker processes of Debian's python3, without Kafka.</summary>
public sealed class PythonUseCaseTests(ITestOutputHelper output) : IDisposable
{
    private readonly PythonUseCaseFiles _files = new();

    private static CardTransaction Transaction(string id, string merchant = "Shop", long amount = 1000, int minute = 0) =>
        new(id, "c-1", merchant, "groceries", amount, 0, "EUR", new DateTimeOffset(2026, 11, 24, 10, minute, 0, TimeSpan.Zero));

    [Fact]
    public void The_Python_duplicate_charge_finds_the_same_transactions_with_the_same_messages_as_the_CSharp_one_over_the_diamond_records()
    {
        var transactions = DiamondTests.Generate(12_000).Select(r => RawRecordParser.Parse(r.Value)).ToList();
        var csharp = new UseCaseHarness("DuplicateCharge").UseCase;
        var python = PythonUseCaseFiles.Configure(Path.Combine(PythonUseCaseFiles.Shipped, "duplicate_charge_py.py"), "window = 24h");
        Assert.Equal("duplicate-charge-py", python.UseCase.ConfigKey);
        Assert.Equal("duplicate-charge", python.UseCase.TargetBehaviour);

        var expected = Findings(csharp, transactions, out var csharpTimes);
        var actual = Findings(python, transactions, out var pythonTimes);
        output.WriteLine($"{transactions.Count} records, {expected.Count} duplicate charges (machine load: {File.ReadAllText("/proc/loadavg").Trim()})");
        output.WriteLine($"C#:     {Describe(csharpTimes)}");
        output.WriteLine($"Python: {Describe(pythonTimes)}");

        Assert.InRange(expected.Count, 10, transactions.Count);
        Assert.Equal(expected, actual);
    }

    private static List<(string TransactionId, string Message)> Findings(ConfiguredUseCase useCase, IEnumerable<CardTransaction> transactions, out List<double> microseconds)
    {
        var memories = new Dictionary<string, UseCaseMemory>();
        var found = new List<(string, string)>();
        microseconds = [];
        foreach (var transaction in transactions)
        {
            if (!memories.TryGetValue(transaction.CustomerId, out var memory))
                memories[transaction.CustomerId] = memory = useCase.NewMemory();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var feedback = useCase.Apply(memory, transaction, CustomerSettings.None(transaction.CustomerId));
            microseconds.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            if (feedback is not null)
                found.Add((feedback.TransactionId, feedback.Message));
        }
        return found;
    }

    /// <summary>Per-evaluate cost on one thread: p50, p99 and the records/s their sum gives.</summary>
    private static string Describe(List<double> microseconds)
    {
        var sorted = microseconds.Order().ToList();
        return $"evaluate p50 {sorted[sorted.Count / 2]:0.0} us, p99 {sorted[(int)(sorted.Count * 0.99)]:0.0} us, {sorted.Count / (sorted.Sum() / 1e6):N0} records/s on one thread";
    }

    [Fact]
    public void An_exception_fails_that_record_with_the_Python_type_message_and_last_frame_and_leaves_the_state_unchanged()
    {
        var file = _files.Write("raising.py", """
            NAME = "Raising"

            def initial_state():
                return 0

            def evaluate(state, transaction, settings, context):
                if transaction.amount_minor == 0:
                    return state, f"{1 / transaction.amount_minor}"
                return state + 1, f"seen {state + 1}"
            """);
        var useCase = PythonUseCaseFiles.Configure(file);
        var memory = useCase.NewMemory();
        Assert.Equal("seen 1", useCase.Apply(memory, Transaction("t-1"), CustomerSettings.None("c-1"))!.Message);

        var error = Assert.Throws<PythonUseCaseError>(() => useCase.Apply(memory, Transaction("t-2", amount: 0), CustomerSettings.None("c-1")));
        Assert.Equal("ZeroDivisionError: division by zero (at raising.py:8 in evaluate)", error.Message);

        Assert.Equal("seen 2", useCase.Apply(memory, Transaction("t-3"), CustomerSettings.None("c-1"))!.Message);
    }

    [Fact]
    public void An_evaluate_that_never_returns_is_stopped_after_the_timeout_and_the_next_record_runs_on_a_new_worker()
    {
        var file = _files.Write("looping.py", """
            NAME = "Looping"

            def initial_state():
                return None

            def evaluate(state, transaction, settings, context):
                while transaction.merchant == "Forever":
                    pass
                return state, "done"
            """);
        var useCase = PythonUseCaseFiles.Configure(file, settings: PythonUseCaseFiles.Settings(_files.Path, TimeSpan.FromMilliseconds(500)));
        var memory = useCase.NewMemory();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<PythonUseCaseError>(() => useCase.Apply(memory, Transaction("t-1", merchant: "Forever"), CustomerSettings.None("c-1")));
        Assert.StartsWith("TimeoutError: evaluate did not return within 0.5 s", error.Message);
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(10));
        Assert.Equal("done", useCase.Apply(memory, Transaction("t-2"), CustomerSettings.None("c-1"))!.Message);
    }

    [Fact]
    public void A_record_that_kills_the_interpreter_is_retried_on_new_workers_then_failed_and_the_use_case_recovers_by_itself()
    {
        var file = _files.Write("crashing.py", """
            import os

            NAME = "Crashing"

            def initial_state():
                return 0

            def evaluate(state, transaction, settings, context):
                if transaction.merchant == "Crash":
                    os._exit(3)
                return state + 1, f"seen {state + 1}"
            """);
        var useCase = PythonUseCaseFiles.Configure(file);
        var memory = useCase.NewMemory();
        Assert.Equal("seen 1", useCase.Apply(memory, Transaction("t-1"), CustomerSettings.None("c-1"))!.Message);

        var error = Assert.Throws<PythonUseCaseError>(() => useCase.Apply(memory, Transaction("t-2", merchant: "Crash"), CustomerSettings.None("c-1")));
        Assert.StartsWith("WorkerCrashed: evaluating this record ended the Python worker 3 times", error.Message);
        Assert.Contains("exit code 3", error.Message);

        Assert.Equal("seen 2", useCase.Apply(memory, Transaction("t-3"), CustomerSettings.None("c-1"))!.Message);
    }

    [Fact]
    public void A_use_case_may_import_numpy()
    {
        var file = _files.Write("with_numpy.py", """
            import numpy as np

            NAME = "WithNumpy"

            def initial_state():
                return []

            def evaluate(state, transaction, settings, context):
                amounts = state + [transaction.amount_minor]
                return amounts, f"median {int(np.median(np.array(amounts)))}"
            """);
        var useCase = PythonUseCaseFiles.Configure(file);
        var memory = useCase.NewMemory();
        useCase.Apply(memory, Transaction("t-1", amount: 100), CustomerSettings.None("c-1"));
        useCase.Apply(memory, Transaction("t-2", amount: 300), CustomerSettings.None("c-1"));
        Assert.Equal("median 300", useCase.Apply(memory, Transaction("t-3", amount: 900), CustomerSettings.None("c-1"))!.Message);
    }

    [Fact]
    public void A_file_with_a_syntax_error_or_a_failing_import_is_refused_naming_file_and_line_and_a_reload_keeps_the_old_code()
    {
        var file = _files.Write("changing.py", """
            NAME = "Changing"

            def initial_state():
                return None

            def evaluate(state, transaction, settings, context):
                return state, "old"
            """);
        var configured = PythonUseCaseFiles.Configure(file);
        var useCase = (PythonUseCase)configured.UseCase;

        File.WriteAllText(file, "NAME = \"Changing\"\n\ndef evaluate(state, transaction, settings, context)\n    return state, \"new\"\n");
        var syntax = Assert.Throws<ConfigurationError>(useCase.Reload);
        Assert.Equal($"Python use case {file}, line 3: SyntaxError: expected ':'. Fix the file; the use case was not (re)loaded.", syntax.Message);

        File.WriteAllText(file, "NAME = \"Changing\"\nimport no_such_module\n");
        var import = Assert.Throws<ConfigurationError>(useCase.Reload);
        Assert.Equal($"Python use case {file}, line 2: ModuleNotFoundError: No module named 'no_such_module'. Fix the file; the use case was not (re)loaded.", import.Message);

        Assert.Equal(0, useCase.Generation);
        Assert.Equal("old", configured.Apply(configured.NewMemory(), Transaction("t-1"), CustomerSettings.None("c-1"))!.Message);

        File.WriteAllText(file, "NAME = \"Changing\"\ndef initial_state():\n    return None\ndef evaluate(state, transaction, settings, context):\n    return state, \"new\"\n");
        useCase.Reload();
        Assert.Equal(1, useCase.Generation);
        Assert.Equal("new", configured.Apply(configured.NewMemory(), Transaction("t-2"), CustomerSettings.None("c-1"))!.Message);
    }

    [Fact]
    public void Without_the_interpreter_the_start_names_the_packages_to_install()
    {
        var file = _files.CopyShipped("duplicate_charge_py.py");
        var settings = PythonUseCaseFiles.Settings(_files.Path) with { Interpreter = "/nonexistent/python3" };
        var error = Assert.Throws<ConfigurationError>(() => PythonUseCaseFiles.Configure(file, "window = 24h", settings));
        Assert.Contains("apt-get install python3 python3-msgpack", error.Message);
        Assert.Contains("pipeline.python.interpreter", error.Message);
    }

    public void Dispose() => _files.Dispose();
}

using BenchmarkDotNet.Running;

// dotnet run -c Release --project Pipeline.Benchmarks -- --filter '*'         (add --job short for a quick run)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point of the micro-benchmarks; BenchmarkDotNet picks the benchmarks by --filter.</summary>
public partial class Program;

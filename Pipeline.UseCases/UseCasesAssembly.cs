using System.Reflection;

namespace Pipeline.UseCases;

/// <summary>The assembly holding the use cases, for <c>UseCaseRegistry.Discover(UseCasesAssembly.Assembly)</c>.</summary>
public static class UseCasesAssembly
{
    public static Assembly Assembly => typeof(UseCasesAssembly).Assembly;
}

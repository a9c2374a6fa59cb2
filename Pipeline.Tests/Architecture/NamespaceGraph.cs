using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Pipeline.Tests.Architecture;

/// <summary>
/// Which namespace of the project's assemblies uses which, read from their compiled code with Mono.Cecil: signatures,
/// base types, fields, attributes and every type, method and field a method body touches. A nested or compiler-generated
/// type counts as part of the namespace of the type it is declared in.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = [];

    private NamespaceGraph()
    {
    }

    /// <summary>The namespaces found, each with the namespaces it uses and, per use, one example "type -> type".</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Edges => _edges;

    public static NamespaceGraph Read(params System.Reflection.Assembly[] assemblies)
    {
        var graph = new NamespaceGraph();
        var names = assemblies.Select(a => a.GetName().Name!).ToHashSet();
        foreach (var assembly in assemblies)
        {
            using var module = ModuleDefinition.ReadModule(assembly.Location);
            foreach (var type in module.GetTypes())
                graph.AddUsesOf(type, names);
        }
        return graph;
    }

    /// <summary>Groups of namespaces that use each other, directly or through others (strongly connected components of two or more).</summary>
    public List<List<string>> Cycles()
    {
        var index = 0;
        var indices = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();
        void Visit(string node)
        {
            indices[node] = low[node] = index++;
            stack.Push(node);
            foreach (var next in _edges.GetValueOrDefault(node)?.Keys ?? Enumerable.Empty<string>())
            {
                if (!indices.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                    low[node] = Math.Min(low[node], indices[next]);
            }
            if (low[node] != indices[node])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                component.Add(member);
            } while (member != node);
            if (component.Count > 1)
                cycles.Add(component.Order().ToList());
        }
        foreach (var node in _edges.Keys.Order().ToList())
            if (!indices.ContainsKey(node))
                Visit(node);
        return cycles;
    }

    private void AddUsesOf(TypeDefinition type, HashSet<string> assemblies)
    {
        var from = Outermost(type);
        void Use(TypeReference? used)
        {
            switch (used)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Use(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                        Use(argument);
                    return;
                case TypeSpecification specification:
                    Use(specification.ElementType);
                    return;
                case GenericParameter:
                    return;
            }
            var scope = used.Scope switch
            {
                ModuleDefinition module => module.Assembly.Name.Name,
                AssemblyNameReference name => name.Name,
                _ => null
            };
            if (scope is null || !assemblies.Contains(scope))
                return;
            var to = OutermostReference(used);
            // Compiler-generated helpers (collection literals, regex generators) live outside the project's namespaces.
            if (to.Namespace == from.Namespace || !IsProjectNamespace(to.Namespace))
                return;
            if (!_edges.TryGetValue(from.Namespace, out var uses))
                _edges[from.Namespace] = uses = [];
            uses.TryAdd(to.Namespace, $"{from.FullName} -> {to.FullName}");
        }
        void UseMethod(MethodReference method)
        {
            Use(method.DeclaringType);
            Use(method.ReturnType);
            foreach (var parameter in method.Parameters)
                Use(parameter.ParameterType);
            if (method is GenericInstanceMethod generic)
                foreach (var argument in generic.GenericArguments)
                    Use(argument);
        }

        if (!IsProjectNamespace(from.Namespace))
            return;
        if (!_edges.ContainsKey(from.Namespace))
            _edges[from.Namespace] = [];
        Use(type.BaseType);
        foreach (var implemented in type.Interfaces)
            Use(implemented.InterfaceType);
        foreach (var attribute in type.CustomAttributes)
            Use(attribute.AttributeType);
        foreach (var field in type.Fields)
            Use(field.FieldType);
        foreach (var property in type.Properties)
            Use(property.PropertyType);
        foreach (var method in type.Methods)
        {
            UseMethod(method);
            if (!method.HasBody)
                continue;
            foreach (var variable in method.Body.Variables)
                Use(variable.VariableType);
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference used:
                        Use(used);
                        break;
                    case MethodReference called:
                        UseMethod(called);
                        break;
                    case FieldReference field:
                        Use(field.DeclaringType);
                        Use(field.FieldType);
                        break;
                }
            }
        }
    }

    private static bool IsProjectNamespace(string name) => name.StartsWith("Pipeline.", StringComparison.Ordinal);

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
            type = type.DeclaringType;
        return type;
    }

    private static TypeReference OutermostReference(TypeReference type)
    {
        while (type.DeclaringType is not null)
            type = type.DeclaringType;
        return type;
    }
}

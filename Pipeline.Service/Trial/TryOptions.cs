namespace Pipeline.Service.Trial;

/// <summary>What <c>pipeline try</c> was asked: the use case, and generated records (count, customers, seed) or a file of raw records.</summary>
internal sealed record TryOptions(string UseCase, int? Records, int? Customers, int? Seed, string? Input);

using Pipeline.Core.Schemas;
namespace Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

/// <summary>
/// A refusal of the embedded registry with Confluent's error code (e.g. 40401 subject not found,
/// 409 incompatible schema, 42201 invalid schema); the HTTP status is the code's first three digits.
/// </summary>
public sealed class RegistryError(int errorCode, string message) : Exception(message)
{
    public const int SubjectNotFound = 40401;
    public const int VersionNotFound = 40402;
    public const int SchemaNotFound = 40403;
    public const int SubjectSoftDeleted = 40404;
    public const int SubjectNotSoftDeleted = 40405;
    public const int VersionSoftDeleted = 40406;
    public const int VersionNotSoftDeleted = 40407;
    public const int SubjectCompatibilityNotConfigured = 40408;
    public const int IncompatibleSchema = 409;
    public const int InvalidSchema = 42201;
    public const int InvalidVersion = 42202;
    public const int InvalidCompatibilityLevel = 42203;
    public const int BadRequest = 400;

    /// <summary>Confluent's error code, sent as <c>error_code</c>.</summary>
    public int ErrorCode { get; } = errorCode;

    /// <summary>The HTTP status that carries this error.</summary>
    public int HttpStatus => ErrorCode >= 1000 ? ErrorCode / 100 : ErrorCode;
}

namespace Pipeline.Core.DeadLetters;

/// <summary>Either a value or the <see cref="Rejection"/> that explains why there is none.</summary>
public readonly record struct ParseResult<T> where T : class
{
    private ParseResult(T? value, Rejection? rejection)
    {
        Value = value;
        Rejection = rejection;
    }

    /// <summary>The value, when the input was accepted.</summary>
    public T? Value { get; }

    /// <summary>Why the input was refused, when it was.</summary>
    public Rejection? Rejection { get; }

    public bool IsAccepted => Value is not null;

    public static ParseResult<T> Accepted(T value) => new(value, null);

    public static ParseResult<T> Rejected(RejectionReason reason, string message) => new(null, new Rejection(reason, message));

    public static implicit operator ParseResult<T>(Rejection rejection) => new(null, rejection);
}

namespace Pipeline.Core.DeadLetters;

/// <summary>An input refused with a reason code and a message that says what is wrong and where.</summary>
public sealed record Rejection(RejectionReason Reason, string Message)
{
    public override string ToString() => $"{Reason.Code()}: {Message}";
}

namespace TicketPortal.Domain;

public enum DomainErrorKind
{
    /// <summary>Input that can never be valid: unknown names, empty or oversize text.</summary>
    Invalid,
    NotFound,
    Forbidden,
    /// <summary>The ticket changed meanwhile, or is in a state that does not allow the step.</summary>
    Conflict,
    /// <summary>A workflow requirement (comment, field, label, checklist) is missing.</summary>
    RequirementMissing,
}

/// <summary>The one way a domain rule refuses: nothing has been changed when it is thrown.</summary>
public sealed class DomainException(DomainErrorKind kind, string message, IReadOnlyList<string>? problems = null) : Exception(message)
{
    public DomainErrorKind Kind { get; } = kind;
    public IReadOnlyList<string> Problems { get; } = problems ?? [message];

    public static DomainException NotFound(string what) => new(DomainErrorKind.NotFound, $"{what} was not found.");
    public static DomainException Invalid(string message) => new(DomainErrorKind.Invalid, message);
}

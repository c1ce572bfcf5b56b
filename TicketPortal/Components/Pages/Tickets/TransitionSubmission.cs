namespace TicketPortal.Components.Pages.Tickets;

public sealed record TransitionSubmission(string Transition, string? Comment, IReadOnlyDictionary<string, string> Fields);

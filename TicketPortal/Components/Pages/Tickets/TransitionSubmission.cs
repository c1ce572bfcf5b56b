using TicketPortal.Domain.Tickets;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Components.Pages.Tickets;

public sealed record TransitionSubmission(string Transition, string? Comment, IReadOnlyDictionary<string, string> Fields);

/// <summary>A field the transition dialog asks for; People lists who a User field may name.</summary>
public sealed record DialogField(FieldDefinition Definition, bool Required, IReadOnlyList<MemberView> People);

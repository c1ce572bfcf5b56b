namespace TicketPortal.Domain.Releases;

/// <summary><c>POST /api/releases</c>: without tickets or a milestone, the project's release-ready tickets are taken.</summary>
public sealed record CreateRelease(
    string Project, string Version, string? GoLiveDate, string? Name = null, string? Intro = null, IReadOnlyList<int>? Tickets = null, string? Milestone = null);

/// <summary>Edits to a draft; whatever is null stays as it is. A note or intro of null in <see cref="Notes"/>/<see cref="ResetIntro"/> goes back to the generated text.</summary>
public sealed record UpdateRelease(
    string? Name = null,
    string? GoLiveDate = null,
    string? Intro = null,
    bool ResetIntro = false,
    IReadOnlyList<int>? Add = null,
    IReadOnlyList<int>? Remove = null,
    IReadOnlyDictionary<int, string?>? Notes = null,
    int? Revision = null);

public sealed record ReleaseEntryView(int Number, string Title, string Tracker, string Status, string Category, bool UxChange, string Note, string GeneratedNote, bool NoteEdited, string Url)
{
    public ReleaseNoteEntry ToEntry(string note) => new(Number, Title, note, Enum.Parse<ChangeCategory>(Category), UxChange, Url);
}

public sealed record ReleaseView(
    string Project,
    string ProjectName,
    string Version,
    string? Name,
    string GoLiveDate,
    string State,
    string Intro,
    string GeneratedIntro,
    bool IntroEdited,
    IReadOnlyList<ReleaseEntryView> Tickets,
    IReadOnlyList<string> Contributors,
    string Markdown,
    string? Commit,
    string? CommitUrl,
    DateTimeOffset? PublishedAt,
    string PageUrl,
    int Revision)
{
    /// <summary>The notes input with a person's pending edits (the editor's live preview); null values keep what is stored.</summary>
    public ReleaseNotesInput ToInput(string? name = null, DateOnly? goLive = null, string? intro = null, IReadOnlyDictionary<int, string>? notes = null) =>
        new(Project, ProjectName, SemanticVersion.Parse(Version), name ?? Name, goLive ?? DateOnly.ParseExact(GoLiveDate, ReleaseDate.Pattern, System.Globalization.CultureInfo.InvariantCulture),
            intro ?? Intro, Tickets.Select(t => t.ToEntry(notes?.GetValueOrDefault(t.Number) ?? t.Note)).ToList(), Contributors);
}

public sealed record ReleaseSummary(string Project, string Version, string? Name, string GoLiveDate, string State, int Tickets, DateTimeOffset? PublishedAt);

/// <summary>What a publish did: the docs commit (and whether this publish made it), the push, the tickets moved and the mails queued.</summary>
public sealed record PublishOutcome(ReleaseView Release, bool DocsCommitted, string? PushError, int TicketsMoved, int Mails);

/// <summary>A ticket that could go into a release now.</summary>
public sealed record ReleaseCandidate(int Number, string Title, string Status, string? Milestone);

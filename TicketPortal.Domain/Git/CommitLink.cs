using TicketPortal.Domain.Tickets;

namespace TicketPortal.Domain.Git;

/// <summary>What a commit did to a ticket; the ledger row that makes every re-scan, merge and cherry-pick act once.</summary>
public enum CommitLinkKind
{
    /// <summary>The reference was recorded (a journal note, or only the link on a first import).</summary>
    Reference,
    /// <summary>A closing verb reached a closing branch; the outcome says what the workflow made of it.</summary>
    Close,
    Reopen,
    /// <summary>A later commit reverted this one.</summary>
    Revert,
}

/// <summary>
/// One row of the commit ledger, unique on (commit, ticket, kind). The commit is the logical change: a cherry-pick with
/// a <c>-x</c> line counts as its source, so the same change on two branches or in two repositories acts once.
/// </summary>
public sealed class CommitLink
{
    public long Id { get; private set; }
    public string Sha { get; private set; } = "";
    public int TicketNumber { get; private set; }
    public CommitLinkKind Kind { get; private set; }
    public int RepositoryId { get; private set; }
    /// <summary>The commit as it was seen (differs from <see cref="Sha"/> for a cherry-pick).</summary>
    public string SeenSha { get; private set; } = "";
    public string Branch { get; private set; } = "";
    public string Author { get; private set; } = "";
    public string AuthorEmail { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public DateTimeOffset CommittedAt { get; private set; }
    public int? MinutesSpent { get; private set; }
    public string Outcome { get; private set; } = "";
    /// <summary>The workflow took the step (a revert of this commit may then reopen the ticket).</summary>
    public bool Applied { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    private CommitLink()
    {
    }

    public CommitLink(ScannedCommit commit, int ticketNumber, CommitLinkKind kind, int repositoryId, CommitOutcome outcome, DateTimeOffset now)
    {
        Sha = commit.LogicalSha;
        SeenSha = commit.Sha;
        TicketNumber = ticketNumber;
        Kind = kind;
        RepositoryId = repositoryId;
        Branch = commit.Branch;
        Author = Cut(commit.Author, 200);
        AuthorEmail = Cut(commit.AuthorEmail, 200);
        Subject = Cut(commit.Subject, 500);
        CommittedAt = commit.CommittedAt;
        MinutesSpent = kind == CommitLinkKind.Reference && commit.Parsed.TimeSpent is { } spent ? (int)spent.TotalMinutes : null;
        Outcome = Cut(outcome.Text, 1000);
        Applied = outcome.Applied;
        RecordedAt = now;
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using TicketPortal.Domain.Git;

namespace TicketPortal.Domain.Persistence;

/// <summary>
/// Writes ledger rows with one prepared statement inside the context's open transaction: a first import of a long
/// history links tens of thousands of commits, which change tracking would make several times slower than git itself.
/// </summary>
internal static class CommitLedgerWriter
{
    private static readonly DateTimeOffsetTicksConverter Ticks = new();

    public static void Insert(PortalDbContext db, IReadOnlyCollection<CommitLink> links)
    {
        if (links.Count == 0)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("The ledger is written inside the scan's transaction.");
        command.CommandText = """
            INSERT INTO "CommitLinks" ("Sha", "TicketNumber", "Kind", "RepositoryId", "SeenSha", "Branch", "Author", "AuthorEmail", "Subject", "CommittedAt", "MinutesSpent", "Outcome", "Applied", "RecordedAt")
            VALUES ($sha, $ticket, $kind, $repository, $seen, $branch, $author, $email, $subject, $committed, $minutes, $outcome, $applied, $recorded)
            """;
        var names = new[] { "$sha", "$ticket", "$kind", "$repository", "$seen", "$branch", "$author", "$email", "$subject", "$committed", "$minutes", "$outcome", "$applied", "$recorded" };
        var parameters = names.Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        command.Prepare();
        foreach (var link in links)
        {
            object?[] values = [link.Sha, link.TicketNumber, link.Kind.ToString(), link.RepositoryId, link.SeenSha, link.Branch, link.Author, link.AuthorEmail, link.Subject,
                Ticks.ConvertToProvider(link.CommittedAt), link.MinutesSpent, link.Outcome, link.Applied, Ticks.ConvertToProvider(link.RecordedAt)];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
        }
    }
}

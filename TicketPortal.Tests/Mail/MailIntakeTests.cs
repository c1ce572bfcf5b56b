using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using TicketPortal.Domain;
using TicketPortal.Domain.Mail;
using TicketPortal.Domain.People;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Mail;

/// <summary>Mail in, on a real SQLite file: what each message becomes, threading, de-duplication, the quarantine and the mails it sends.</summary>
public sealed class MailIntakeTests : IAsyncLifetime
{
    private const string Intake = "support@portal.example.test";
    private TestDatabase _db = default!;
    private MailIntake _intake = default!;
    private Viewer _admin = default!;
    private Viewer _support = default!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _db.Mail.Projects["SUP"] = Intake;
        _db.Mail.PortalUrl = "https://portal.example.test";
        await _db.AddProjectAsync("SUP", "support-gatekeeper", "Support", "Feature request");
        await _db.AddProjectAsync("CHG", "change-board");
        _support = await _db.AddUserAsync("sam@portal.example.test", "SUP:support");
        _admin = (await _db.AddUserAsync("admin@portal.example.test")) with { IsAdmin = true };
        _intake = new MailIntake(_db, _db.Tickets, new CustomerService(_db, TestDatabase.Catalog), _db.Mail, _db.Clock, NullLogger<MailIntake>.Instance);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Every corpus message: what intake makes of it. Auto-replies, bounces and junk never become tickets.</summary>
    [Theory]
    [InlineData("plain-single-part.eml", InboundOutcome.Ticket, null)]
    [InlineData("multipart-alternative.eml", InboundOutcome.Ticket, null)]
    [InlineData("outlook-html-only.eml", InboundOutcome.Ticket, null)]
    [InlineData("gmail-reply.eml", InboundOutcome.Ticket, null)]
    [InlineData("iso-8859-1.eml", InboundOutcome.Ticket, null)]
    [InlineData("utf8-headers-undeclared-charset.eml", InboundOutcome.Ticket, null)]
    [InlineData("windows-1252.eml", InboundOutcome.Ticket, null)]
    [InlineData("koi8-r.eml", InboundOutcome.Ticket, null)]
    [InlineData("iso-2022-jp.eml", InboundOutcome.Ticket, null)]
    [InlineData("shift_jis.eml", InboundOutcome.Ticket, null)]
    [InlineData("rfc2231-filename.eml", InboundOutcome.Ticket, null)]
    [InlineData("uuencode-in-body.eml", InboundOutcome.Ticket, null)]
    [InlineData("x-uuencode-part.eml", InboundOutcome.Ticket, null)]
    [InlineData("attached-message.eml", InboundOutcome.Ticket, null)]
    [InlineData("inline-image-cid.eml", InboundOutcome.Ticket, null)]
    [InlineData("signature-delimiter.eml", InboundOutcome.Ticket, null)]
    [InlineData("malformed-mime.eml", InboundOutcome.Ticket, null)]
    [InlineData("out-of-office-subject-by-person.eml", InboundOutcome.Ticket, null)]
    [InlineData("auto-submitted.eml", InboundOutcome.Quarantined, "auto-reply: Auto-Submitted")]
    [InlineData("vacation-x-autoreply.eml", InboundOutcome.Quarantined, "auto-reply: X-Autoreply")]
    [InlineData("newsletter-bulk.eml", InboundOutcome.Quarantined, "auto-reply: Precedence")]
    [InlineData("bounce-delivery-status.eml", InboundOutcome.Quarantined, "bounce: ")]
    [InlineData("bounce-mailer-daemon-plain.eml", InboundOutcome.Quarantined, "bounce: ")]
    [InlineData("bounce-return-path-dsn.eml", InboundOutcome.Quarantined, "bounce: ")]
    [InlineData("bounce-rfc822-headers.eml", InboundOutcome.Quarantined, "bounce: ")]
    [InlineData("junk-spam-flag.eml", InboundOutcome.Quarantined, "junk: X-Spam-Flag")]
    [InlineData("no-sender.eml", InboundOutcome.Quarantined, "no sender")]
    [InlineData("not-a-message.eml", InboundOutcome.Quarantined, "unreadable: ")]
    public async Task ACorpusMessage_BecomesWhatItShould(string file, InboundOutcome outcome, string? reason)
    {
        var raw = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Mail", "Corpus", file));

        var receipt = await _intake.ReceiveAsync(raw, null);

        Assert.Equal(outcome, receipt.Outcome);
        await using var db = _db.CreateDbContext();
        var stored = await db.Inbound.SingleAsync();
        Assert.Equal(raw, stored.Raw);
        if (outcome == InboundOutcome.Quarantined)
        {
            Assert.StartsWith(reason!, receipt.Reason, StringComparison.Ordinal);
            Assert.Equal(0, await db.Tickets.CountAsync());
            Assert.Equal(0, await db.Outbox.CountAsync());
            return;
        }
        var parsed = MailParser.Parse(raw);
        var ticket = await db.Tickets.Include(t => t.Reporter).SingleAsync(t => t.Number == receipt.TicketNumber);
        Assert.Equal(parsed.Body, ticket.Description);
        Assert.Equal(parsed.From!.Address, ticket.Reporter!.Email);
        Assert.Equal(parsed.Attachments.Select(a => (a.FileName, (long)a.Content.Length)), ticket.Attachments.Select(a => (a.FileName, a.Size)));
        foreach (var (attachment, expected) in ticket.Attachments.Zip(parsed.Attachments))
        {
            await using var content = _db.Attachments.OpenRead(attachment.StoredName);
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            Assert.Equal(expected.Content, copy.ToArray());
        }
        Assert.Equal(parsed.From.Address, (await db.Outbox.SingleAsync()).ToAddress);
    }

    [Fact]
    public async Task ANewMail_OpensATicket_ForANewCustomerOfTheOrganisation_AndConfirmsWithALinkThatOpensIt()
    {
        var receipt = await _intake.ReceiveAsync(Message("paula@acme.example", "Printer broken", "m1@acme.example", "It shows E42.", to: Intake), null);

        Assert.Equal((InboundOutcome.Ticket, false), (receipt.Outcome, receipt.Duplicate));
        await using var db = _db.CreateDbContext();
        var ticket = await db.Tickets.Include(t => t.Project).Include(t => t.Reporter).SingleAsync();
        Assert.Equal(("SUP", "Support", "Printer broken", "It shows E42.", "Paula Pieper"),
            (ticket.Project!.Key, ticket.Tracker, ticket.Title, ticket.Description, ticket.Reporter!.DisplayName));
        var customer = await db.Customers.Include(c => c.Organisation).SingleAsync();
        Assert.Equal((ticket.ReporterId, "acme.example"), (customer.UserId, customer.Organisation!.Domain));
        Assert.Equal("customer", (await db.Memberships.SingleAsync(m => m.UserId == ticket.ReporterId)).Role);
        Assert.Null(ticket.Reporter.PasswordHash);

        var mail = await db.Outbox.Include(m => m.Body).SingleAsync();
        Assert.Equal(($"[#{ticket.Number}] Printer broken", "paula@acme.example", Intake, "m1@acme.example"),
            (mail.Subject, mail.ToAddress, mail.ReplyTo, mail.InReplyTo));
        var secret = LinkSecret(mail.Body!.Text);
        var link = await db.CustomerLinks.SingleAsync();
        Assert.Equal((ApiToken.HashOf(secret), ticket.Number, ticket.ReporterId), (link.Hash, link.TicketNumber, link.UserId));
        Assert.True(secret.Length >= 43, "256 random bits, base64url");
        Assert.DoesNotContain(secret, link.Hash, StringComparison.Ordinal);
        Assert.Contains(ReplyTrimmer.ReplyMarker, mail.Body.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://portal.example.test/c/{secret}\"", mail.Body.Html, StringComparison.Ordinal);

        var grant = await new CustomerLinkService(_db, TestDatabase.Catalog, _db.TicketMail, _db.Clock).ExchangeAsync(secret);
        Assert.Equal((ticket.Number, ticket.ReporterId), (grant!.TicketNumber, grant.Customer.Id));
    }

    [Fact]
    public async Task TheSameMessageTwice_IsProcessedOnce()
    {
        var raw = Message("paula@acme.example", "Printer broken", "m1@acme.example", "It shows E42.", to: Intake);

        var first = await _intake.ReceiveAsync(raw, null);
        var again = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _intake.ReceiveAsync(raw, null)));

        Assert.All(again, r => Assert.Equal((first.Id, first.TicketNumber, true), (r.Id, r.TicketNumber, r.Duplicate)));
        await using var db = _db.CreateDbContext();
        Assert.Equal((1, 1, 1), (await db.Tickets.CountAsync(), await db.Inbound.CountAsync(), await db.Outbox.CountAsync()));
    }

    /// <summary>
    /// While the database is locked, arriving messages queue up and are then filed in one transaction. Each still
    /// becomes its own ticket with its own receipt and nobody is answered before the commit. Copies of one message
    /// among them are filed once; a message whose save fails halfway (here a trigger refuses its confirmation mail)
    /// leaves nothing behind but itself in the quarantine. Files of what was not filed are removed.
    /// </summary>
    [Fact]
    public async Task MessagesArrivingTogether_EachBecomeTheirOwnTicket_AndOneFailingUndoesOnlyItself()
    {
        await using (var db = _db.CreateDbContext())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON Outbox WHEN NEW.Subject LIKE '%Poison%' BEGIN SELECT RAISE(ABORT, 'disk says no'); END;");
        }
        var distinct = Enumerable.Range(1, 8)
            .Select(i => Message($"c{i}@acme.example", $"Problem {i}", $"t{i}@acme.example", $"Details {i}.", to: Intake, attachments: 1));
        var copy = Message("paula@acme.example", "Printer broken", "copy@acme.example", "It shows E42.", to: Intake, attachments: 2);
        var poison = Message("newbie@poison.example", "Poison", "poison@poison.example", "Boom.", to: Intake, attachments: 3);
        var reads = new CountedReads();
        var intake = new MailIntake(_db.Intercepted(reads), _db.Tickets, new CustomerService(_db, TestDatabase.Catalog), _db.Mail, _db.Clock,
            NullLogger<MailIntake>.Instance);
        var messages = distinct.Append(copy).Append(poison).Append(copy).Append(copy).ToList();
        Task<InboundReceipt[]> arriving;
        await using (var locker = _db.CreateDbContext())
        {
            await using var writeLock = await locker.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
            arriving = Task.WhenAll(messages.Select(raw => Task.Run(() => intake.ReceiveAsync(raw, null))));
            // While the database is locked, the only reads that can finish are the posters' duplicate checks: after them, each message is queued.
            await Eventually.HoldsAsync(() => Task.FromResult(reads.Count >= messages.Count), "every poster's duplicate check");
            Assert.False(arriving.IsCompleted, "no poster is answered before its message is committed");
            Assert.Empty(_db.Events.Changes);
        }
        var receipts = await arriving;

        Assert.All(receipts[..8], r => Assert.Equal((InboundOutcome.Ticket, false), (r.Outcome, r.Duplicate)));
        var copies = new[] { receipts[8], receipts[10], receipts[11] };
        Assert.Single(copies, r => !r.Duplicate);
        Assert.All(copies, r => Assert.Equal((copies[0].Id, copies[0].TicketNumber, InboundOutcome.Ticket), (r.Id, r.TicketNumber, r.Outcome)));
        Assert.Equal((InboundOutcome.Quarantined, null), (receipts[9].Outcome, receipts[9].TicketNumber));
        Assert.Contains("disk says no", receipts[9].Reason, StringComparison.Ordinal);
        var numbers = receipts[..9].Select(r => r.TicketNumber!.Value).Order().ToList();
        Assert.Equal(9, numbers.Distinct().Count());

        await using var saved = _db.CreateDbContext();
        Assert.Equal(numbers, await saved.Tickets.Select(t => t.Number).OrderBy(n => n).ToListAsync());
        Assert.Equal((10, 9), (await saved.Inbound.CountAsync(), await saved.Outbox.CountAsync()));
        Assert.False(await saved.Users.AnyAsync(u => u.Email == "newbie@poison.example"), "the failed message's sender is not kept as a customer");
        Assert.False(await saved.Organisations.AnyAsync(o => o.Domain == "poison.example"));
        Assert.Equal(numbers, _db.Events.Changes.Select(c => c.Number).Order());
        var storedNames = await saved.Tickets.SelectMany(t => t.Attachments).Select(a => a.StoredName).ToListAsync();
        Assert.Equal(10, storedNames.Count);
        Assert.Equal(storedNames.Order(), Directory.GetFiles(_db.AttachmentDirectory).Select(Path.GetFileName).Order());
    }

    /// <summary>
    /// When a batch's commit fails, its poster gets the error (so the sender delivers again), nothing of the message is
    /// kept, not even its files, and the intake goes on: the same message delivered again becomes its ticket.
    /// </summary>
    [Fact]
    public async Task ABatchWhoseCommitFails_AnswersWithTheError_KeepsNothing_AndTheIntakeGoesOn()
    {
        var commits = new FailingCommits();
        var intake = new MailIntake(_db.Intercepted(commits), _db.Tickets, new CustomerService(_db, TestDatabase.Catalog), _db.Mail, _db.Clock,
            NullLogger<MailIntake>.Instance);
        var raw = Message("paula@acme.example", "Printer broken", "m1@acme.example", "It shows E42.", to: Intake, attachments: 2);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => intake.ReceiveAsync(raw, null));

        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);
        await using (var db = _db.CreateDbContext())
        {
            Assert.Equal((0, 0, 0, 0), (await db.Inbound.CountAsync(), await db.Tickets.CountAsync(), await db.Outbox.CountAsync(), await db.Customers.CountAsync()));
        }
        Assert.Empty(Directory.GetFiles(_db.AttachmentDirectory));
        Assert.Empty(_db.Events.Changes);

        commits.Failing = false;
        var receipt = await intake.ReceiveAsync(raw, null);

        Assert.Equal((InboundOutcome.Ticket, false), (receipt.Outcome, receipt.Duplicate));
        await using var saved = _db.CreateDbContext();
        Assert.Equal(receipt.TicketNumber, (await saved.Tickets.SingleAsync()).Number);
        Assert.Equal(2, Directory.GetFiles(_db.AttachmentDirectory).Length);
        Assert.Equal(receipt.TicketNumber, Assert.Single(_db.Events.Changes).Number);
    }

    [Fact]
    public async Task AReplyToOurMail_IsANoteOnItsTicket_AndTheCustomerIsNotMailedTheirOwnWords()
    {
        var number = (await _intake.ReceiveAsync(Message("paula@acme.example", "Printer broken", "m1@acme.example", "It shows E42.", to: Intake), null)).TicketNumber!.Value;
        string confirmation;
        await using (var db = _db.CreateDbContext())
        {
            confirmation = (await db.Outbox.SingleAsync()).MessageId;
        }

        var reply = await _intake.ReceiveAsync(Message("paula@acme.example", "Re: Printer broken", "m2@acme.example",
            "Now E43 as well.\n\nOn Mon, 23 Nov 2026, TicketPortal wrote:\n> " + ReplyTrimmer.ReplyMarker + "\n> Hello", to: Intake, inReplyTo: confirmation), null);

        Assert.Equal((InboundOutcome.Note, number), (reply.Outcome, reply.TicketNumber));
        var view = await _db.Tickets.GetAsync(number, _support);
        Assert.Equal(("paula@acme.example", "Now E43 as well.", false), (view.Journal[^1].Author, view.Journal[^1].Text, view.Journal[^1].Internal));
        await using var after = _db.CreateDbContext();
        Assert.Equal(1, await after.Outbox.CountAsync());
    }

    [Fact]
    public async Task StaffAnsweringByMail_WritesAPublicNote_ThatIsMailedToTheCustomer()
    {
        var number = (await _intake.ReceiveAsync(Message("paula@acme.example", "Printer broken", "m1@acme.example", "It shows E42.", to: Intake), null)).TicketNumber!.Value;

        var answer = await _intake.ReceiveAsync(Message("sam@portal.example.test", $"Re: [#{number}] Printer broken", "s1@portal.example.test",
            "Please switch it off and on.", to: Intake), null);

        Assert.Equal(InboundOutcome.Note, answer.Outcome);
        await using var db = _db.CreateDbContext();
        var news = await db.Outbox.Include(m => m.Body).OrderBy(m => m.Id).LastAsync();
        Assert.Equal(("paula@acme.example", $"[#{number}] Printer broken", "m1@acme.example"), (news.ToAddress, news.Subject, news.InReplyTo));
        Assert.Contains("sam wrote:\n\nPlease switch it off and on.", news.Body!.Text, StringComparison.Ordinal);
        Assert.Contains("<blockquote><p>Please switch it off and on.</p>", news.Body.Html, StringComparison.Ordinal);
        Assert.False(await db.Customers.AnyAsync(c => c.User!.Email == "sam@portal.example.test"), "staff are no customer records");
    }

    [Fact]
    public async Task AStrangerUsingATicketNumberInTheSubject_IsKeptInTheQuarantine_AndTheTicketIsUntouched()
    {
        var number = (await _intake.ReceiveAsync(Message("paula@acme.example", "Printer broken", "m1@acme.example", "It shows E42.", to: Intake), null)).TicketNumber!.Value;

        var receipt = await _intake.ReceiveAsync(Message("mallory@evil.example", $"Re: [#{number}] Printer broken", "x1@evil.example", "Click here.", to: Intake), null);

        Assert.Equal(InboundOutcome.Quarantined, receipt.Outcome);
        Assert.Equal($"mallory@evil.example may not write to ticket #{number}: only its customer and its project's staff may.", receipt.Reason);
        Assert.Single((await _db.Tickets.GetAsync(number, _support)).Journal);
        await using var db = _db.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.NormalizedEmail == "MALLORY@EVIL.EXAMPLE"), "a refused sender becomes no customer");
    }

    [Fact]
    public async Task MailFromThePortalItself_IsNeverFiled_SoNoLoopCanStart()
    {
        var receipt = await _intake.ReceiveAsync(Message("ticketportal@localhost", "[#1] Printer broken", "loop@localhost", "Hello", to: Intake), null);

        Assert.Equal(InboundOutcome.Quarantined, receipt.Outcome);
        Assert.StartsWith("sent by the portal itself", receipt.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailForNoProject_IsQuarantined_AndReprocessingItIntoAProjectFilesIt_Once()
    {
        var receipt = await _intake.ReceiveAsync(Message("paula@acme.example", "Printer broken", "m1@acme.example", "It shows E42.", to: "someone@else.example"), null);
        Assert.Equal(InboundOutcome.Quarantined, receipt.Outcome);
        Assert.Contains("unknown project", receipt.Reason, StringComparison.Ordinal);
        Assert.Equal("unknown project 'NOPE'.", (await _intake.ReprocessAsync(receipt.Id, "nope", _admin)).Reason);
        await Assert.ThrowsAsync<DomainException>(() => _intake.ReprocessAsync(receipt.Id, "SUP", _support));
        Assert.Single(await _intake.QuarantineAsync(_admin));

        var filed = await _intake.ReprocessAsync(receipt.Id, "SUP", _admin);

        Assert.Equal((receipt.Id, InboundOutcome.Ticket), (filed.Id, filed.Outcome));
        Assert.Empty(await _intake.QuarantineAsync(_admin));
        var again = await Assert.ThrowsAsync<DomainException>(() => _intake.ReprocessAsync(receipt.Id, "SUP", _admin));
        Assert.Equal(DomainErrorKind.Conflict, again.Kind);
        Assert.Equal((InboundOutcome.Ticket, filed.TicketNumber), ((await _intake.ReceiveAsync(Message("paula@acme.example", "Printer broken", "m1@acme.example", "x", to: "a@b.example"), null)).Outcome, filed.TicketNumber));
    }

    [Fact]
    public async Task ProjectFallbacks_SubAddressThenQueryParameter()
    {
        var subAddressed = await _intake.ReceiveAsync(Message("ann@acme.example", "Change the VPN", "c1@acme.example", "Please.", to: "tickets+chg@portal.example.test"), null);
        var fallback = await _intake.ReceiveAsync(Message("ann@acme.example", "Other", "c2@acme.example", "Please.", to: "nobody@portal.example.test"), "sup");

        await using var db = _db.CreateDbContext();
        var projects = await db.Tickets.OrderBy(t => t.Number).Select(t => t.Project!.Key).ToListAsync();
        Assert.Equal((InboundOutcome.Ticket, InboundOutcome.Ticket), (subAddressed.Outcome, fallback.Outcome));
        Assert.Equal(["CHG", "SUP"], projects);
        Assert.Single(await db.Customers.ToListAsync());
    }

    [Fact]
    public async Task MessagesOverTheLimits_AreQuarantinedWithTheLimitNamed()
    {
        _db.Mail.MaxAttachments = 1;
        var twoFiles = Message("ann@acme.example", "Logs", "l1@acme.example", "See attached.", to: Intake, attachments: 2);
        var receipt = await _intake.ReceiveAsync(twoFiles, null);
        Assert.Equal("over limits: 2 attachments, more than 1.", receipt.Reason);

        _db.Mail.MaxMessageBytes = 100;
        Assert.StartsWith("over limits: the message has", (await _intake.ReceiveAsync(Message("ann@acme.example", "Big", "l2@acme.example", "x", to: Intake), null)).Reason,
            StringComparison.Ordinal);
        await using var db = _db.CreateDbContext();
        Assert.Equal(0, await db.Tickets.CountAsync());
    }

    [Fact]
    public async Task AKnownUser_IsMatchedByAddress_NotCreatedAgain()
    {
        var known = await _db.AddUserAsync("carla@customer.example", "SUP:customer");

        var receipt = await _intake.ReceiveAsync(Message("CARLA@customer.example", "Hello", "k1@customer.example", "Hi.", to: Intake), null);

        await using var db = _db.CreateDbContext();
        Assert.Equal(known.UserId, (await db.Tickets.SingleAsync(t => t.Number == receipt.TicketNumber)).ReporterId);
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == "CARLA@CUSTOMER.EXAMPLE"));
        Assert.Single(await db.Memberships.Where(m => m.UserId == known.UserId).ToListAsync());
    }

    [Fact]
    public async Task PublicMailDomains_MakeNoOrganisation()
    {
        await _intake.ReceiveAsync(Message("lena@gmail.com", "Hello", "g1@gmail.com", "Hi.", to: Intake), null);

        await using var db = _db.CreateDbContext();
        Assert.Null((await db.Customers.SingleAsync()).OrganisationId);
        Assert.Empty(await db.Organisations.ToListAsync());
    }

    private static string LinkSecret(string text)
    {
        var start = text.IndexOf("/c/", StringComparison.Ordinal) + 3;
        return new string(text[start..].TakeWhile(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').ToArray());
    }

    private static byte[] Message(string from, string subject, string messageId, string text, string to, string? inReplyTo = null, int attachments = 0) =>
        TestMail.Raw(new MailboxAddress(from.StartsWith("paula", StringComparison.Ordinal) ? "Paula Pieper" : "", from), to, subject, text, messageId,
            Enumerable.Range(1, attachments).Select(i => ($"log{i}.txt", Encoding.UTF8.GetBytes($"line {i}\n"))).ToList(), inReplyTo);

    /// <summary>Counts the queries that have returned their rows.</summary>
    private sealed class CountedReads : DbCommandInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override ValueTask<System.Data.Common.DbDataReader> ReaderExecutedAsync(
            System.Data.Common.DbCommand command, CommandExecutedEventData eventData, System.Data.Common.DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return base.ReaderExecutedAsync(command, eventData, result, cancellationToken);
        }
    }

    /// <summary>Makes every commit fail while <see cref="Failing"/> is set, as a full disk would.</summary>
    private sealed class FailingCommits : DbTransactionInterceptor
    {
        public bool Failing { get; set; } = true;

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(
            System.Data.Common.DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            Failing ? throw new IOException("disk full") : base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
    }
}

using System.Security.Cryptography;
using System.Text;
using MimeKit;
using TicketPortal.Domain.Mail;

namespace TicketPortal.Tests.Mail;

/// <summary>The inbound parser on the real-world-shaped messages in Mail/Corpus (one expectation row per file) and on small hand-made ones.</summary>
public sealed class MailParserTests
{
    private const string NotAMessage = "not-a-message.eml";
    private const string Support = "support@portal.example.test";

    /// <summary>What one corpus file must parse to; an attachment is "name | content type | bytes | first 12 hex digits of its SHA-256".</summary>
    private sealed record Expected(
        string? From,
        string Subject,
        string? MessageId,
        string Present,
        string? Absent = null,
        MailKind Kind = MailKind.Normal,
        string? KindReason = null,
        string[]? ThreadIds = null,
        string[]? Attachments = null,
        string[]? Bounced = null);

    private static readonly Dictionary<string, Expected> Corpus = new()
    {
        ["plain-single-part.eml"] = new("Anna.Berger@example.com", "Printer on the 3rd floor prints blank pages", "CAF7nT3p1@mail.example.com",
            "since this morning the printer next to room 3.14 only prints blank pages.\nI already replaced"),
        ["multipart-alternative.eml"] = new("jonas@example.org", "VPN drops every 10 minutes", "20250304101500.7f3a@example.org",
            "since the client update to 5.2.\nReconnecting works", Absent: "HTML-ONLY-MARKER"),
        ["outlook-html-only.eml"] = new("claire.mueller@example.com", "RE: [#31] New laptop",
            "AM9PR07MB7123A1B2C3D4E5F6A7B8C9D0E1F2@AM9PR07MB7123.eurprd07.prod.outlook.com",
            "- the docking station\n- access to the \"Finance\" share – see the share request (https://intranet.example.com/shares/finance)\nBest regards,\nClaire Müller",
            Absent: "QUOTED-OUTLOOK-TEXT", ThreadIds: ["t31.1741161720@portal.example.test"]),
        ["gmail-reply.eml"] = new("lena.vogt@gmail.com", "Re: [#44] Calendar does not sync", "CAGmailx9Q-4kZ8wq_hv3vLx1Lm+3Yw@mail.gmail.com",
            "Yes, the fix works for me now. Thank you!\n\nKind regards\nLena", Absent: "wrote:",
            ThreadIds: ["t44.1741266180@portal.example.test", "t44.1741000000@portal.example.test"]),
        ["iso-8859-1.eml"] = new("juergen.mueller@example.de", "Drucker im Büro Köln: Papierstau", "5f2a9c1e.4b8d@mail.example.de",
            "Fach 2 öffnen - schließen.\n\nGrüße aus Köln\nJürgen Müller"),
        ["utf8-headers-undeclared-charset.eml"] = new("wang.fang@example.cn", "🚨 报告无法打开 – Bericht öffnet nicht",
            "a7c3e1f0-2b4d-4e8a-9c61-0d2f3b5a7e91@example.cn", "附件的报告无法打开。 Das Öffnen schlägt fehl 😞"),
        ["windows-1252.eml"] = new("zoe@example.net", "Invoice amount differs from quote", "000001db8f7e$2a1b3c40$7e51b4c0$@example.net",
            "the invoice says “€ 1.250,00” but the quote was “€ 1.150,00” – could you check?\nAlso the PDF’s footer is cut off…\n\nBest,\nZoë"),
        ["koi8-r.eml"] = new("dmitry@example.ru", "Не работает вход", "1741600000.123456@mail.example.ru",
            "Не работает вход в личный кабинет: после ввода пароля страница"),
        ["iso-2022-jp.eml"] = new("yamada@example.jp", "プリンターの故障", "20250311093000.A1B2@example.jp", "プリンターが動きません。確認をお願いします。"),
        ["shift_jis.eml"] = new("sato@example.jp", "パスワード再設定", "20250311101500.C3D4@example.jp", "パスワードの再設定メールが届きません。"),
        ["rfc2231-filename.eml"] = new("eva.lang@example.at", "Reports for the audit", "9d8c7b6a@example.at",
            "Both reports attached", Attachments:
            [
                "Prüfbericht Geschäftsjahr 2024 – final.pdf | application/pdf | 125 | 79370862C6CB",
                "Kosten.xlsx | application/vnd.openxmlformats-officedocument.spreadsheetml.sheet | 768 | F3A25AA93AA2",
            ]),
        ["uuencode-in-body.eml"] = new("admin@host.example.com", "spooler log", "Pine.LNX.4.64.2503130812.uu1@host.example.com",
            "Here is the spooler log from this morning.\n\nPlease forward it to the print team.", Absent: "begin 644",
            Attachments: ["spooler.log | text/plain | 100 | 0EA82B96C462"]),
        ["x-uuencode-part.eml"] = new("admin@host.example.com", "spooler log as a part", "uu2.20250313@host.example.com",
            "The log is attached as a uuencoded part.", Attachments: ["spooler.log | application/octet-stream | 100 | 0EA82B96C462"]),
        ["attached-message.eml"] = new("max.keller@example.com", "Fwd: Suspicious mail from \"the bank\"", "fwd.77a1@example.com",
            "I received the attached mail, is this phishing?", Absent: "Click here",
            Attachments: ["Your account is locked.eml | message/rfc822 | 312 | 1C418344B2C1"]),
        ["inline-image-cid.eml"] = new("nina.roth@example.com", "Error dialog when saving", "inline.5c1e@example.com",
            "When I save the document this dialog appears:\n\nNina", Absent: "cid:", Attachments: ["attachment-1.png | image/png | 73 | 21391377D875"]),
        ["auto-submitted.eml"] = new("noreply@example.com", "Your request has been received", "auto.20250316@example.com",
            "This is an automated confirmation.", Kind: MailKind.AutoReply, KindReason: "Auto-Submitted: auto-replied"),
        ["vacation-x-autoreply.eml"] = new("paul.sommer@example.com", "Out of office: [#52] Monitor flickers", "vac.8812@example.com",
            "I am on vacation until 24 March", Kind: MailKind.AutoReply, KindReason: "X-Autoreply: yes", ThreadIds: ["t52.1742194800@portal.example.test"]),
        ["newsletter-bulk.eml"] = new("news@news.example.com", "March release: 12 new features", "nl-2025-03.4711@news.example.com",
            "This month: 12 new features", Kind: MailKind.AutoReply, KindReason: "Precedence: bulk"),
        ["out-of-office-subject-by-person.eml"] = new("claire.mueller@example.com", "Out of office next week - who covers the backup job?",
            "DB9PR07MB1234ABCD@DB9PR07MB1234.eurprd07.prod.outlook.com", "Who checks the nightly backup job while I am gone?\n\nClaire",
            Absent: "OUTLOOK-PLAIN-QUOTE"),
        ["bounce-delivery-status.eml"] = new("MAILER-DAEMON@mx.example.org", "Undelivered Mail Returned to Sender",
            "20250319090005.4X9aBc1DeFz9sT@mx.example.org", "Recipient address rejected", Kind: MailKind.Bounce,
            KindReason: "Content-Type: multipart/report; report-type=delivery-status",
            Attachments: ["attachment-1.eml | message/rfc822 | 281 | DD3A4591489B"], Bounced: ["abc123@localhost"]),
        ["bounce-rfc822-headers.eml"] = new("mailer-daemon@googlemail.com", "Delivery Status Notification (Failure)", "67dab1c8.050a0220.dsn@mx.google.com",
            "Your message wasn't delivered to nobody@example.net", Absent: "Reporting-MTA", Kind: MailKind.Bounce,
            KindReason: "Content-Type: multipart/report; report-type=delivery-status", Bounced: ["def456@localhost"]),
        ["bounce-mailer-daemon-plain.eml"] = new("MAILER-DAEMON@mail.example.info", "failure notice", "qmail.20250320080000.1234@mail.example.info",
            "Sorry, no mailbox here by that name.", Kind: MailKind.Bounce, KindReason: "From: MAILER-DAEMON@mail.example.info"),
        ["bounce-return-path-dsn.eml"] = new("exchange@relay.example.biz", "Notification", "dsn-mixed.1@relay.example.biz",
            "Your message to lost@example.biz could not be delivered.", Kind: MailKind.Bounce, KindReason: "Return-Path: <>",
            Attachments: ["attachment-1.eml | message/rfc822 | 174 | 0F2B07C53D0D"], Bounced: ["jkl012@localhost"]),
        ["junk-spam-flag.eml"] = new("promo@cheap-meds.example", "You have won!!!", "0.0.1.2A3.1DB9ABCDEF01234.0@cheap-meds.example",
            "Claim your prize now.", Kind: MailKind.Junk, KindReason: "X-Spam-Flag: YES"),
        ["malformed-mime.eml"] = new("broken@example.com", "Scanner sends empty files", "broken.1@example.com",
            "The scanner on the 2nd floor sends empty files.\nCan you help?", Attachments: ["scan.bin | application/octet-stream | 12 | FFF3A9BCDD37"]),
        ["no-sender.eml"] = new(null, "Form submission", "nosender.1@relay.example.com", "Problem: The website contact form does not send a confirmation."),
        ["reply-ticket-marker.eml"] = new("anna.berger@example.com", "Re: [#12] Printer on the 3rd floor prints blank pages", "reply.20250324@example.com",
            "It prints again, you can close the ticket.", Absent: "MARKER-QUOTED-TEXT",
            ThreadIds: ["t12.n3@portal.example.test", "t12.n2@portal.example.test", "CAF7nT3p1@mail.example.com"]),
        ["signature-delimiter.eml"] = new("ralf.brandt@example.com", "Need a second monitor", "sig.1@example.com",
            "could I get a second monitor for my desk (room 2.07)?\n\nRalf", Absent: "SIGNATURE-TEXT"),
    };

    public static TheoryData<string> CorpusFiles => [.. Corpus.Keys];

    private static byte[] Read(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Mail", "Corpus", file));

    private static string Describe(MailAttachment a) =>
        $"{a.FileName} | {a.ContentType} | {a.Content.Length} | {Convert.ToHexString(SHA256.HashData(a.Content))[..12]}";

    private static ParsedMail Parse(string raw) => MailParser.Parse(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")));

    private static string Message(string headers, string body = "Hello.") =>
        $"{headers}\nSubject: Test\nMessage-ID: <m1@example.com>\nContent-Type: text/plain; charset=utf-8\n\n{body}\n";

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Parse_CorpusFile_GivesTheExpectedMail(string file)
    {
        var expected = Corpus[file];

        var mail = MailParser.Parse(Read(file));

        Assert.Equal(expected.From, mail.From?.Address);
        Assert.Equal(expected.Subject, mail.Subject);
        Assert.Equal(expected.MessageId, mail.MessageId);
        Assert.Equal(expected.ThreadIds ?? [], mail.ThreadIds);
        Assert.Contains(expected.Present, mail.Body, StringComparison.Ordinal);
        if (expected.Absent is not null)
        {
            Assert.DoesNotContain(expected.Absent, mail.Body, StringComparison.Ordinal);
        }
        Assert.Equal((expected.Kind, expected.KindReason), (mail.Kind, mail.KindReason));
        Assert.Equal(expected.Attachments ?? [], mail.Attachments.Select(Describe));
        Assert.Equal(expected.Bounced ?? [], mail.BouncedMessageIds);
        Assert.DoesNotContain('\r', mail.Body);
        Assert.Equal(mail.Body.Trim(), mail.Body);
    }

    [Fact]
    public void Corpus_EveryFileHasAnExpectation()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Mail", "Corpus"), "*.eml").Select(Path.GetFileName);

        Assert.Equal(Corpus.Keys.Append(NotAMessage).Order(), files.Order());
    }

    [Fact]
    public void Parse_TextThatIsNoMessage_IsUnreadable()
    {
        var error = Assert.Throws<MailUnreadableException>(() => MailParser.Parse(Read(NotAMessage)));

        Assert.Contains("Not a mail message", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "The message is empty.")]
    [InlineData("\r\n\r\nJust a body.\r\n", "The message has no headers.")]
    [InlineData("{\"ticket\": 12, \"state\": [\"open\"]}", "The message has no sender (From or Sender) and no body.")]
    [InlineData("Subject: nothing here\r\nX-Mailer: script\r\n\r\n", "The message has no sender (From or Sender) and no body.")]
    public void Parse_BytesWithoutAMessage_AreUnreadable(string raw, string reason)
    {
        var error = Assert.Throws<MailUnreadableException>(() => MailParser.Parse(Encoding.UTF8.GetBytes(raw)));

        Assert.Equal(reason, error.Message);
    }

    [Fact]
    public void Parse_Recipients_AreLowerCasedAndDistinct_FromToCcAndTheEnvelopeHeaders()
    {
        var raw = Message("""
            From: anna@example.com
            To: "Support" <Support@Portal.Example.Test>, Team: Max <max@example.com>, eva@example.com;
            Cc: anna@example.com
            Delivered-To: support@portal.example.test
            X-Original-To: helpdesk@portal.example.test
            Envelope-To: Intake@Portal.Example.Test
            """);

        var mail = Parse(raw);

        Assert.Equal(
            [Support, "max@example.com", "eva@example.com", "anna@example.com", "helpdesk@portal.example.test", "intake@portal.example.test"],
            mail.Recipients);
    }

    [Theory]
    [InlineData("Sender: robot@example.com\nReply-To: reply@example.com", "robot@example.com")]
    [InlineData("Reply-To: Reply Desk <reply@example.com>", "reply@example.com")]
    [InlineData("From: first@example.com, second@example.com\nSender: robot@example.com", "first@example.com")]
    public void Parse_From_FallsBackToSenderThenReplyTo(string headers, string from)
    {
        var mail = Parse(Message(headers));

        Assert.Equal(from, mail.From?.Address);
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-generated", MailKind.AutoReply, "Auto-Submitted: auto-generated")]
    [InlineData("Auto-Submitted: no", MailKind.Normal, null)]
    [InlineData("X-Autorespond: on", MailKind.AutoReply, "X-Autorespond: on")]
    [InlineData("Precedence: list", MailKind.AutoReply, "Precedence: list")]
    [InlineData("Precedence: junk", MailKind.AutoReply, "Precedence: junk")]
    [InlineData("Precedence: auto_reply", MailKind.AutoReply, "Precedence: auto_reply")]
    [InlineData("Precedence: first-class", MailKind.Normal, null)]
    [InlineData("X-Auto-Response-Suppress: All\nSubject: Automatic reply: on leave", MailKind.Normal, null)]
    [InlineData("X-Spam-Status: Yes, score=9.1 required=5.0", MailKind.Junk, "X-Spam-Status: Yes, score=9.1 required=5.0")]
    [InlineData("X-Spam-Status: No, score=0.3 required=5.0", MailKind.Normal, null)]
    [InlineData("X-Spam-Flag: NO", MailKind.Normal, null)]
    [InlineData("X-Spam-Flag: YES\nAuto-Submitted: auto-replied", MailKind.Junk, "X-Spam-Flag: YES")]
    [InlineData("Return-Path: <>", MailKind.Normal, null)]
    public void Parse_Kind_ComesFromTheHeadersMailSystemsSet(string headers, MailKind kind, string? reason)
    {
        var mail = Parse(Message("From: someone@example.com\n" + headers));

        Assert.Equal((kind, reason), (mail.Kind, mail.KindReason));
    }

    [Theory]
    [InlineData("postmaster@example.org", "Mail delivery failed: returning message to sender", MailKind.Bounce)]
    [InlineData("MAILER-DAEMON@example.org", "Unzustellbar: Ihre Anfrage", MailKind.Bounce)]
    [InlineData("postmaster@example.org", "Question about our domain", MailKind.Normal)]
    [InlineData("anna@example.org", "Undeliverable: [#12] Printer", MailKind.Normal)]
    public void Parse_MailerDaemonOrPostmaster_IsABounceOnlyWithADeliveryFailureSubject(string from, string subject, MailKind kind)
    {
        var mail = Parse($"From: {from}\nSubject: {subject}\n\nThe message could not be delivered.\n");

        Assert.Equal(kind, mail.Kind);
    }

    [Fact]
    public void Parse_UuencodedBlockInTheBody_BecomesTheDecodedFile()
    {
        var mail = MailParser.Parse(Read("uuencode-in-body.eml"));

        var log = Assert.Single(mail.Attachments);
        Assert.Equal(
            "2025-03-13 07:59:58 ERROR spooler: job 4711 failed (0x80070005)\n2025-03-13 08:00:02 WARN  retry 1/3\n",
            Encoding.ASCII.GetString(log.Content));
    }

    [Fact]
    public void Parse_TextPartInXUuencode_IsAFileNotTheBody()
    {
        var raw = """
            From: admin@example.com
            Subject: log
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            The log follows.
            --b
            Content-Type: text/plain; name="hello.txt"
            Content-Transfer-Encoding: x-uuencode

            begin 644 hello.txt
            +:&5L;&\@=V]R;&0*
            `
            end
            --b--
            """;

        var mail = Parse(raw);

        Assert.Equal("The log follows.", mail.Body);
        Assert.Equal(("hello.txt", "hello world"), (Assert.Single(mail.Attachments).FileName, Encoding.ASCII.GetString(mail.Attachments[0].Content)));
    }

    [Fact]
    public void Parse_AttachedMessage_IsKeptWholeAsEml()
    {
        var mail = MailParser.Parse(Read("attached-message.eml"));

        using var content = new MemoryStream(Assert.Single(mail.Attachments).Content);
        var attached = MimeMessage.Load(content);
        Assert.Equal(("phish.1@bank.example.net", "Your account is locked"), (attached.MessageId, attached.Subject));
        Assert.Contains("Click here to unlock your account", attached.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AttachmentNames_AreDecodedAndKeepOnlyTheLastPathSegment()
    {
        var raw = """
            From: anna@example.com
            Subject: files
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            Two files.
            --b
            Content-Type: text/csv; name="../../etc/cron.d/evil.csv"
            Content-Disposition: attachment; filename="../../etc/cron.d/evil.csv"

            a,b
            --b
            Content-Type: application/x-scanner-raw
            Content-Disposition: attachment; filename="reports/"

            x
            --b
            Content-Type: application/pdf; name="=?UTF-8?B?w5xiZXJzaWNodC5wZGY=?="

            %PDF-1.4
            --b--
            """;

        var mail = Parse(raw);

        Assert.Equal(["evil.csv", "attachment-2.bin", "Übersicht.pdf"], mail.Attachments.Select(a => a.FileName));
    }

    [Fact]
    public void Parse_WithoutSubjectAndMessageId_GivesAnEmptySubjectAndNoId()
    {
        var mail = Parse("From: anna@example.com\n\nHello.\n");

        Assert.Equal(("", null), (mail.Subject, mail.MessageId));
    }

    [Fact]
    public void Parse_PlainTextThatIsOnlyAQuote_KeepsTheQuote()
    {
        var mail = Parse(Message("From: anna@example.com", "> Your ticket #12 was closed.\n> Reply to reopen it."));

        Assert.Equal("> Your ticket #12 was closed.\n> Reply to reopen it.", mail.Body);
    }
}

using System.Globalization;
using TicketPortal.Domain;
using TicketPortal.Domain.Releases;

namespace TicketPortal.Tests.Domain.Releases;

public class ReleaseMailTests
{
    private static readonly ReleaseNotesInput Release = new("CHG", "Change board", SemanticVersion.Parse("1.4.0"), null, new DateOnly(2026, 12, 1),
        "Two changes.",
        [
            new ReleaseNoteEntry(12, "New report", "Monthly, as PDF.", ChangeCategory.Added, false, "https://portal.example.test/tickets/12"),
            new ReleaseNoteEntry(14, "The menu moves", "It is on the left now.", ChangeCategory.Fixed, true, "https://portal.example.test/tickets/14"),
        ],
        []);

    private static ReleaseMail Mail() => new(new MarkdownRenderer(), new DocsSettings { PortalUrl = "https://portal.example.test/" }, new TicketPortal.Domain.Mail.MailSettings());

    [Fact]
    public void Compose_WritesOneMailPerRecipient_WithTheUserExperienceChangesFirst()
    {
        var mails = Mail().Compose(Release, [("a@example.test", "Ann"), ("b@example.test", "Ben")], DateTimeOffset.UnixEpoch);

        Assert.Equal(["a@example.test", "b@example.test"], mails.Select(m => m.ToAddress));
        var text = mails[0].Body!.Text;
        Assert.Equal(
            "Change board 1.4.0 is live on 2026-12-01.\n\nTwo changes.\n\n" +
            "WHAT YOU WILL SEE DIFFERENTLY (the user guide is updated):\n- #14 The menu moves: It is on the left now.\n\n" +
            "ADDED:\n- #12 New report: Monthly, as PDF.\n\n" +
            "FIXED:\n- #14 The menu moves: It is on the left now.\n\n" +
            "The release notes: https://portal.example.test/release-notes/1.4.0\n",
            text);
        Assert.Contains("<div class=\"hint hint-warning\" role=\"note\">", mails[0].Body!.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    public void Compose_WritesTheGregorianDateInTheSubject_WhateverTheCurrentCulture(string culture)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var mail = Mail().Compose(Release, [("a@example.test", "Ann")], DateTimeOffset.UnixEpoch).Single();

            Assert.Equal("[CHG] Release 1.4.0 is live on 2026-12-01", mail.Subject);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}

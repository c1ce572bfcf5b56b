using TicketPortal.Domain.Mail;

namespace TicketPortal.Tests.Mail;

public sealed class ReplyTrimmerTests
{
    private const string Reply = "Thanks, that fixed it.";

    private static string Lines(params string[] lines) => string.Join('\n', lines);

    [Theory]
    [InlineData("-- Reply above this line --")]
    [InlineData("> -- Reply above this line --")]
    [InlineData("On Mon, 3 Mar 2025 at 10:15, IT Support <support@portal.example.test> wrote:")]
    [InlineData("On 03/03/2025 10:15, Anna Berger wrote:")]
    [InlineData("Am 03.03.2025 um 10:15 schrieb Anna Berger <anna@example.com>:")]
    [InlineData("Le lun. 3 mars 2025 à 10:15, Anna Berger <anna@example.com> a écrit :")]
    [InlineData("-----Original Message-----")]
    [InlineData("----- Original Message -----")]
    [InlineData("-----Ursprüngliche Nachricht-----")]
    public void Trim_CutsAtTheQuoteStart(string quoteStart)
    {
        var text = Lines(Reply, "", quoteStart, "> Old text", "Old text without a marker");

        Assert.Equal(Reply, ReplyTrimmer.Trim(text));
    }

    [Fact]
    public void Trim_AttributionWrappedOverTwoLines_IsCutAtItsFirstLine()
    {
        var text = Lines(Reply, "", "On Thu, 6 Mar 2025 at 14:03, IT Support via Portal <", "support@portal.example.test> wrote:", "", "> Old text");

        Assert.Equal(Reply, ReplyTrimmer.Trim(text));
    }

    [Fact]
    public void Trim_OutlookUnderscoresFollowedByFrom_AreCut()
    {
        var text = Lines(Reply, "", "________________________________", "", "From: IT Support <support@portal.example.test>", "Old text");

        Assert.Equal(Reply, ReplyTrimmer.Trim(text));
    }

    [Theory]
    [InlineData("From: IT Support <support@portal.example.test>", "Sent: Monday, March 3, 2025 10:15 AM")]
    [InlineData("Von: IT Support <support@portal.example.test>", "Gesendet: Montag, 3. März 2025 10:15")]
    public void Trim_HeaderBlockOfAQuotedMessage_IsCut(string from, string sent)
    {
        var text = Lines(Reply, "", from, sent, "To: Anna", "Subject: [#12] Printer", "", "Old text");

        Assert.Equal(Reply, ReplyTrimmer.Trim(text));
    }

    [Fact]
    public void Trim_TrailingQuotedLinesGo_InterleavedOnesStay()
    {
        var text = Lines("> Is it the printer on floor 3?", "Yes, that one.", "", "> Old text", ">", "> More old text");

        Assert.Equal(Lines("> Is it the printer on floor 3?", "Yes, that one."), ReplyTrimmer.Trim(text));
    }

    [Theory]
    [InlineData("-- ")]
    [InlineData("--")]
    public void Trim_SignatureDelimiter_CutsTheSignature(string delimiter)
    {
        var text = Lines(Reply, "", delimiter, "Anna Berger | Controlling", "Phone 123");

        Assert.Equal(Reply, ReplyTrimmer.Trim(text));
    }

    [Theory]
    [InlineData("Sent from my iPhone")]
    [InlineData("Sent from Outlook for Android")]
    [InlineData("Get Outlook for iOS")]
    [InlineData("Von meinem iPhone gesendet")]
    [InlineData("Envoyé de mon iPad")]
    public void Trim_MobileFooterAtTheEnd_Goes(string footer)
    {
        Assert.Equal(Reply, ReplyTrimmer.Trim(Lines(Reply, "", footer, "")));
    }

    [Theory]
    [InlineData("On the ticket page, someone wrote:\nthe printer is broken.\nOn Monday it was fine.")]
    [InlineData("Sign here:\n________________________________\nName and date")]
    [InlineData("The error says:\nFrom: unknown sender\nThen it crashes.")]
    [InlineData("The mail said:\nSent from my iPhone\nThen the app crashed.")]
    public void Trim_LinesThatOnlyLookLikeAQuoteOrFooter_AreKept(string text)
    {
        Assert.Equal(text, ReplyTrimmer.Trim(text));
    }

    [Fact]
    public void Trim_NormalisesLineEndingsAndSurroundingWhitespace()
    {
        Assert.Equal("First\nSecond\n\nThird", ReplyTrimmer.Trim("\r\n  \r\nFirst\r\nSecond\r\rThird\r\n\r\n"));
    }

    [Fact]
    public void Trim_TextThatIsOnlyAQuote_IsKeptUntrimmed()
    {
        var text = Lines("On Mon, 3 Mar 2025 at 10:15, Anna wrote:", "> Please close the ticket.");

        Assert.Equal(text, ReplyTrimmer.Trim(text + "\r\n"));
    }
}

using TicketPortal.Domain.Mail;

namespace TicketPortal.Tests.Mail;

public sealed class HtmlTextTests
{
    [Fact]
    public void ToPlainText_ParagraphsDivsAndBreaks_BecomeLines()
    {
        var html = "<p>Hello,</p><p>the printer<br>is broken.</p><div>First</div><div>Second</div>";

        Assert.Equal("Hello,\n\nthe printer\nis broken.\n\nFirst\nSecond", HtmlText.ToPlainText(html));
    }

    [Fact]
    public void ToPlainText_ListItems_BecomeDashLines()
    {
        var html = "<p>Missing:</p><ul><li>docking station</li><li>mouse</li></ul><ol><li>first</li></ol>";

        Assert.Equal("Missing:\n\n- docking station\n- mouse\n- first", HtmlText.ToPlainText(html));
    }

    [Theory]
    [InlineData("<a href=\"https://example.com/kb/12\">the article</a>", "the article (https://example.com/kb/12)")]
    [InlineData("<a href=\"https://example.com/kb/12\">https://example.com/kb/12</a>", "https://example.com/kb/12")]
    [InlineData("<a href=\"mailto:anna@example.com\">anna@example.com</a>", "anna@example.com")]
    [InlineData("<a href=\"mailto:anna@example.com\">Anna</a>", "Anna (mailto:anna@example.com)")]
    [InlineData("<a name=\"top\">Top</a>", "Top")]
    public void ToPlainText_Links_ShowTheirUrlWhenTheTextDiffers(string html, string text)
    {
        Assert.Equal(text, HtmlText.ToPlainText(html));
    }

    [Fact]
    public void ToPlainText_EntitiesAndWhitespace_AreDecodedAndCollapsed()
    {
        var html = "<p>  Fish&nbsp;&amp;\n  chips &lt;3 &euro;&#8201;5  </p><table><tr><td>A</td><td>B</td></tr></table>";

        Assert.Equal("Fish & chips <3 € 5\n\nA B", HtmlText.ToPlainText(html));
    }

    [Fact]
    public void ToPlainText_HeadStyleAndScript_AreDropped()
    {
        var html = "<html><head><title>TITLE</title><style>p { color: red }</style><script>var a = 'SCRIPT';</script></head>"
            + "<body><style>.x{}</style><p>Body</p><script>alert('SCRIPT')</script><noscript>NOSCRIPT</noscript></body></html>";

        Assert.Equal("Body", HtmlText.ToPlainText(html));
    }

    [Theory]
    [InlineData("<img src=x onerror=\"alert('xss')\"><p>Text</p>")]
    [InlineData("<p onclick=\"alert('xss')\">Text</p>")]
    [InlineData("<p>Text</p><iframe src=\"javascript:alert('xss')\"></iframe>")]
    [InlineData("<svg><script>alert('xss')</script></svg><p>Text</p>")]
    [InlineData("<a href=\"javascript:alert('xss')\">Text</a>")]
    [InlineData("<a href=\" JaVaScRiPt:alert('xss')\">Text</a>")]
    [InlineData("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzJyk8L3NjcmlwdD4=\">Text</a>")]
    public void ToPlainText_ActiveContent_LeavesOnlyTheText(string html)
    {
        Assert.Equal("Text", HtmlText.ToPlainText(html));
    }

    [Fact]
    public void ToPlainText_EscapedMarkup_StaysPlainText()
    {
        var html = "<p>The page showed &lt;script&gt;alert(1)&lt;/script&gt; and onerror=steal()</p>";

        Assert.Equal("The page showed <script>alert(1)</script> and onerror=steal()", HtmlText.ToPlainText(html));
    }

    [Theory]
    [InlineData("<p>New</p><blockquote type=\"cite\"><p>QUOTE</p></blockquote>")]
    [InlineData("<div dir=\"ltr\">New</div><div class=\"gmail_quote\"><div class=\"gmail_attr\">On Mon, 3 Mar 2025, A wrote:</div><blockquote class=\"gmail_quote\">QUOTE</blockquote></div>")]
    [InlineData("<div>New</div><div class=\"gmail_signature\">QUOTE | Controlling</div>")]
    [InlineData("<p>New</p><div class=\"moz-cite-prefix\">On 03.03.25 10:15, A wrote:<br></div><blockquote type=\"cite\">QUOTE</blockquote>")]
    [InlineData("<div>New</div><div id=\"appendonsend\"></div><hr><div id=\"divRplyFwdMsg\"><b>From:</b> A</div><div>QUOTE</div>")]
    [InlineData("<div><div>New</div><div id=\"divRplyFwdMsg\"><b>From:</b> A</div></div><div>QUOTE</div><p>QUOTE again</p>")]
    public void ToPlainText_QuotesMarkedByMailClients_AreRemoved(string html)
    {
        Assert.Equal("New", HtmlText.ToPlainText(html));
    }
}

using TicketPortal.Domain;

namespace TicketPortal.Tests.Domain;

public class MarkdownRendererTests
{
    private readonly MarkdownRenderer _renderer = new();

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img")]
    [InlineData("[x](javascript:alert(1))", "href=\"#\"")]
    [InlineData("[x](JaVaScRiPt:alert(1))", "href=\"#\"")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)", "href=\"#\"")]
    [InlineData("<javascript:alert(1)>", "href=\"#\"")]
    public void UnsafeInput_IsEscapedOrNeutralised(string markdown, string expected)
    {
        var html = _renderer.ToHtml(markdown);

        Assert.Contains(expected, html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("[docs](https://example.org/a)", "href=\"https://example.org/a\"")]
    [InlineData("[mail](mailto:help@example.org)", "href=\"mailto:help@example.org\"")]
    [InlineData("[ticket](/tickets/12)", "href=\"/tickets/12\"")]
    [InlineData("**bold** and `code`", "<strong>bold</strong> and <code>code</code>")]
    public void SafeMarkdown_IsRendered(string markdown, string expected) =>
        Assert.Contains(expected, _renderer.ToHtml(markdown));
}

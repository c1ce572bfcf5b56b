using TicketPortal.Domain;

namespace TicketPortal.Tests.Domain;

/// <summary>GitBook pages (release notes) through the one Markdown pipeline: front matter dropped, hint blocks as callouts.</summary>
public class MarkdownRendererGitBookTests
{
    private readonly MarkdownRenderer _renderer = new();

    [Fact]
    public void GitBookToHtml_DropsTheFrontMatter()
    {
        var page = "---\ndescription: \"Secret summary\"\nproject: \"CHG\"\n---\n\n# 1.4.0 (2026-12-01)\n";

        var html = _renderer.GitBookToHtml(page);

        Assert.Equal("<h1>1.4.0 (2026-12-01)</h1>\n", html);
    }

    [Fact]
    public void GitBookToHtml_WithWindowsLineEndings_StillDropsTheFrontMatter()
    {
        var page = "---\r\ndescription: \"x\"\r\n---\r\n\r\nBody\r\n";

        var html = _renderer.GitBookToHtml(page);

        Assert.Equal("<p>Body</p>\n", html);
    }

    [Fact]
    public void GitBookToHtml_KeepsARuleThatIsNotFrontMatter()
    {
        var page = "Intro\n\n---\n\nAfter the rule\n";

        var html = _renderer.GitBookToHtml(page);

        Assert.Equal("<p>Intro</p>\n<hr />\n<p>After the rule</p>\n", html);
    }

    [Theory]
    [InlineData("info")]
    [InlineData("success")]
    [InlineData("warning")]
    [InlineData("danger")]
    public void GitBookToHtml_RendersAHintAsACalloutWithItsStyle(string style)
    {
        var page = $"Before\n\n{{% hint style=\"{style}\" %}}\n**Heads up.** Two items:\n\n* one\n* two\n{{% endhint %}}\n\nAfter\n";

        var html = _renderer.GitBookToHtml(page);

        Assert.Equal(
            $"<p>Before</p>\n<div class=\"hint hint-{style}\" role=\"note\"><p><strong>Heads up.</strong> Two items:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n</div>\n<p>After</p>\n",
            html);
    }

    [Theory]
    [InlineData("tip")]
    [InlineData("dangerous")]
    public void GitBookToHtml_AnUnknownHintStyle_BecomesInfo(string style)
    {
        var page = $"{{% hint style=\"{style}\" %}}\nNote\n{{% endhint %}}\n";

        var html = _renderer.GitBookToHtml(page);

        Assert.Equal("<div class=\"hint hint-info\" role=\"note\"><p>Note</p>\n</div>\n", html);
    }

    [Fact]
    public void GitBookToHtml_RendersTwoHintsApart()
    {
        var page = "{% hint style=\"warning\" %}\nFirst\n{% endhint %}\n\nBetween\n\n{% hint style=\"success\" %}\nSecond\n{% endhint %}\n";

        var html = _renderer.GitBookToHtml(page);

        Assert.Equal(
            "<div class=\"hint hint-warning\" role=\"note\"><p>First</p>\n</div>\n<p>Between</p>\n<div class=\"hint hint-success\" role=\"note\"><p>Second</p>\n</div>\n",
            html);
    }

    [Fact]
    public void GitBookToHtml_RawHtmlInAHint_IsStillEscaped()
    {
        var page = "{% hint style=\"danger\" %}\n<script>alert(1)</script> and <img src=x onerror=alert(1)>\n{% endhint %}\n";

        var html = _renderer.GitBookToHtml(page);

        Assert.StartsWith("<div class=\"hint hint-danger\" role=\"note\">", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JAVASCRIPT:alert(1))")]
    [InlineData("<javascript:alert(1)>")]
    public void GitBookToHtml_AJavascriptLink_IsNeutralised_InsideAndOutsideAHint(string link)
    {
        var page = $"{link}\n\n{{% hint style=\"info\" %}}\n{link}\n{{% endhint %}}\n";

        var html = _renderer.GitBookToHtml(page);

        Assert.Equal(2, html.Split("href=\"#\"").Length - 1);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GitBookToHtml_AHintStyleCannotInjectAttributes()
    {
        var page = "{% hint style=\"info\\\" onclick=\\\"x\" %}\nText\n{% endhint %}\n";

        var html = _renderer.GitBookToHtml(page);

        Assert.DoesNotContain("onclick=\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<div", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GitBookToHtml_AnEscapedTemplateTag_IsText_NotAHint()
    {
        var page = "{\\% hint style=\"warning\" %}\nnot a hint\n{\\% endhint %}\n";

        var html = _renderer.GitBookToHtml(page);

        Assert.DoesNotContain("<div", html, StringComparison.Ordinal);
        Assert.Contains("{% hint style=&quot;warning&quot; %}", html, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.RegularExpressions;

namespace TicketPortal.Domain.Mail;

/// <summary>The mails the portal sends, one template per event, each as plain text and HTML.</summary>
public enum MailTemplate
{
    TicketCreated,
    TicketNew,
    TicketUpdated,
    CustomerLink,
    SlaBreached,
    ReleasePublished,
}

/// <summary>
/// Fills the templates in <c>Mail/Templates</c> (<c>ticket-created.txt</c> and <c>.html</c>, ...): <c>{{name}}</c> is the
/// value as text (HTML-encoded in the HTML part), <c>{{{name}}}</c> inserts HTML the caller made safe, in the HTML part only.
/// </summary>
public static partial class MailTemplates
{
    private static readonly Dictionary<(MailTemplate, string), string> Sources = Enum.GetValues<MailTemplate>()
        .SelectMany(t => new[] { "txt", "html" }.Select(ext => (Key: (t, ext), Text: Load(t, ext))))
        .ToDictionary(x => x.Key, x => x.Text);

    public static MailBody Render(MailTemplate template, IReadOnlyDictionary<string, string> values) =>
        new(Fill(Sources[(template, "txt")], values, html: false), Fill(Sources[(template, "html")], values, html: true));

    public static string FileName(MailTemplate template) => Kebab().Replace(template.ToString(), "$1-$2").ToLowerInvariant();

    private static string Fill(string source, IReadOnlyDictionary<string, string> values, bool html) =>
        Placeholder().Replace(source, m =>
        {
            var raw = m.Groups["raw"].Success;
            var name = raw ? m.Groups["raw"].Value : m.Groups["text"].Value;
            if (!values.TryGetValue(name, out var value))
            {
                throw new InvalidOperationException($"Mail template value '{name}' was not given.");
            }
            if (raw && !html)
            {
                throw new InvalidOperationException($"The text template uses '{{{{{{{name}}}}}}}', which is for HTML only.");
            }
            return raw || !html ? value : WebUtility.HtmlEncode(value);
        });

    private static string Load(MailTemplate template, string extension)
    {
        var name = $"TicketPortal.Domain.Mail.Templates.{FileName(template)}.{extension}";
        using var stream = typeof(MailTemplates).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The mail template {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    [GeneratedRegex(@"\{\{\{(?<raw>\w+)\}\}\}|\{\{(?<text>\w+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex Kebab();
}

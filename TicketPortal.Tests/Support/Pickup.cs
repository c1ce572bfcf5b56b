using System.Text.RegularExpressions;
using MimeKit;

namespace TicketPortal.Tests.Support;

/// <summary>The portal's outgoing mail as .eml files in its pickup directory, read the way a mail client would.</summary>
public static partial class Pickup
{
    public static IReadOnlyList<(string File, MimeMessage Message)> Read(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.eml").Select(f => (f, MimeMessage.Load(f))).ToList()
            : [];

    /// <summary>The sent messages addressed to this person.</summary>
    public static IReadOnlyList<(string File, MimeMessage Message)> To(string directory, string address) =>
        Read(directory).Where(m => m.Message.To.Mailboxes.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Waits for the outbox job to write a matching message.</summary>
    public static async Task<MimeMessage> WaitForAsync(string directory, Func<string, MimeMessage, bool> match, string what, int seconds = 20)
    {
        MimeMessage? found = null;
        await Eventually.HoldsAsync(() =>
        {
            found = Read(directory).Where(m => match(m.File, m.Message)).Select(m => m.Message).FirstOrDefault();
            return Task.FromResult(found is not null);
        }, $"{what} written to {directory}", seconds,
            () => "Sent were:\n" + string.Join("\n", Read(directory).Select(m =>
                $"{m.Message.To} \"{m.Message.Subject}\" in reply to {m.Message.InReplyTo}:\n{m.Message.TextBody}")));
        return found!;
    }

    /// <summary>The mail that answers the customer's message (In-Reply-To), e.g. the confirmation of a new ticket.</summary>
    public static Task<MimeMessage> AnswerToAsync(string directory, string messageId) =>
        WaitForAsync(directory, (_, m) => m.InReplyTo == messageId, $"The answer to <{messageId}>");

    /// <summary>The customer link in a mail's text: {PublicUrl}/c/{secret}.</summary>
    public static Uri CustomerLinkIn(MimeMessage message) =>
        CustomerLink().Match(message.TextBody ?? "") is { Success: true } m
            ? new Uri(m.Value)
            : throw new Xunit.Sdk.XunitException($"No customer link in the mail \"{message.Subject}\":\n{message.TextBody}");

    [GeneratedRegex(@"https?://[^\s/]+/c/[A-Za-z0-9_-]+")]
    private static partial Regex CustomerLink();
}

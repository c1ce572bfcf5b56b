using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Encodings;

namespace TicketPortal.Domain.Mail;

/// <summary>
/// Collects every file a message carries: MIME attachments, inline images, attached messages and the
/// uuencoded blocks old clients still put into the body text.
/// </summary>
internal static partial class MailAttachments
{
    public static List<MailAttachment> FromParts(MimeMessage message)
    {
        var attachments = new List<MailAttachment>();
        foreach (var entity in message.BodyParts)
        {
            switch (entity)
            {
                case MessagePart { Message: { } attached } part when part.ContentType.IsMimeType("message", "rfc822"):
                    attachments.Add(Named(part.ContentDisposition?.FileName ?? part.ContentType.Name, "message/rfc822", Encode(attached), attachments.Count));
                    break;
                case MimePart part when IsFile(part):
                    attachments.Add(Named(part.FileName, part.ContentType.MimeType, Decode(part), attachments.Count));
                    break;
            }
        }
        return attachments;
    }

    /// <summary>The body text without its uuencoded blocks; each block is added to <paramref name="attachments"/>.</summary>
    public static string TakeUuencoded(string text, List<MailAttachment> attachments) =>
        UuencodedBlock().Replace(text, block =>
        {
            var encoded = Encoding.ASCII.GetBytes(block.Value);
            var decoder = new UUDecoder();
            var decoded = new byte[decoder.EstimateOutputLength(encoded.Length)];
            var length = decoder.Decode(encoded, 0, encoded.Length, decoded);
            var name = block.Groups["name"].Value.Trim();
            attachments.Add(Named(name, MimeTypes.GetMimeType(name), decoded[..length], attachments.Count));
            return "";
        });

    // Body alternatives are text without a disposition; everything else that is not a report part is a file.
    private static bool IsFile(MimePart part) =>
        part.IsAttachment
        || part.ContentTransferEncoding == ContentEncoding.UUEncode
        || !(part.ContentType.IsMimeType("text", "*") || part.ContentType.IsMimeType("message", "*"));

    private static MailAttachment Named(string? fileName, string contentType, byte[] content, int index)
    {
        var name = LastPathSegment(fileName);
        if (name.Length == 0)
        {
            name = $"attachment-{index + 1}{(MimeTypes.TryGetExtension(contentType, out var extension) ? extension : ".bin")}";
        }
        return new MailAttachment(name, contentType, content);
    }

    private static string LastPathSegment(string? fileName) =>
        fileName is null ? "" : fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..].Trim();

    private static byte[] Decode(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content?.DecodeTo(content);
        return content.ToArray();
    }

    private static byte[] Encode(MimeMessage message)
    {
        using var content = new MemoryStream();
        message.WriteTo(content);
        return content.ToArray();
    }

    [GeneratedRegex(@"^begin [0-7]{3,4} (?<name>[^\n]+)\n.*?^end[ \t]*$\n*", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex UuencodedBlock();
}

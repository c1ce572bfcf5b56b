namespace TicketPortal.Domain.Persistence;

/// <summary>
/// Files the database refers to (attachments, delivered mail) are on disk before the database says they exist: a power
/// loss must not leave a committed row naming a file that is empty or gone.
/// </summary>
internal static class DurableFile
{
    /// <summary>Writes the content to <paramref name="path"/>, replacing what was there, and flushes it to disk.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.Write(content);
        file.Flush(flushToDisk: true);
    }
}

using TicketPortal.Domain.Persistence;

namespace TicketPortal.Domain.Tickets;

/// <summary>
/// Attachment files in the data directory, named by a fresh id so user file names never reach the file system. Each
/// file is on disk (fsync) before it is returned, because the ticket that names it is committed after (<see cref="DurableFile"/>).
/// </summary>
public sealed class AttachmentStore(string directory)
{
    /// <summary>Copies the content into a new file; refuses and removes it past <paramref name="maxSize"/> bytes.</summary>
    public async Task<(string StoredName, long Size)> SaveAsync(Stream content, long maxSize, CancellationToken ct)
    {
        var (storedName, path) = NewFile();
        long size = 0;
        try
        {
            await using var file = File.Create(path);
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                size += read;
                if (size > maxSize)
                {
                    throw DomainException.Invalid($"file: attachments may be at most {maxSize / (1024 * 1024)} MB.");
                }
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            file.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return (storedName, size);
    }

    /// <summary>
    /// Writes content already in memory and checked against the limits (a mail's attachment) into a new file, at once:
    /// intake calls this while it holds the database's write lock.
    /// </summary>
    public string Save(byte[] content)
    {
        var (storedName, path) = NewFile();
        DurableFile.Write(path, content);
        return storedName;
    }

    private (string StoredName, string Path) NewFile()
    {
        Directory.CreateDirectory(directory);
        var storedName = Guid.NewGuid().ToString("N");
        return (storedName, Path.Combine(directory, storedName));
    }

    public Stream OpenRead(string storedName) => File.OpenRead(Path.Combine(directory, storedName));

    public void Delete(string storedName) => File.Delete(Path.Combine(directory, storedName));
}

using System.Runtime.InteropServices;

namespace TicketPortal.Domain.Persistence;

/// <summary>
/// Files the database refers to (attachments, delivered mail) are on disk before the database says they exist: a power
/// loss must not leave a committed row naming a file that is empty or gone.
/// </summary>
internal static class DurableFile
{
    /// <summary>Writes the content to <paramref name="path"/>, replacing what was there, and flushes it to disk.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content) => Write(path, content, flushToDisk: true);

    private static void Write(string path, ReadOnlySpan<byte> content, bool flushToDisk)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.Write(content);
        file.Flush(flushToDisk);
    }

    /// <summary>
    /// Writes each file under its temporary name, and moves it to its name only once every one is on disk, so a file is
    /// whole or absent even after a power loss; the moves are on disk too when this returns. On Linux one flush of the
    /// file system serves all the files and one all the moves, however many there are; elsewhere each file is flushed
    /// as it is written, and the moves are left to the file system.
    /// </summary>
    public static void ReplaceAll(IReadOnlyList<(string Temporary, string Path, ReadOnlyMemory<byte> Content)> files)
    {
        if (files.Count == 0)
        {
            return;
        }
        var together = OperatingSystem.IsLinux();
        try
        {
            foreach (var (temporary, _, content) in files)
            {
                Write(temporary, content.Span, flushToDisk: !together);
            }
        }
        catch
        {
            // Nothing was moved into place: leave no half-written temporaries behind either.
            foreach (var (temporary, _, _) in files.Where(f => File.Exists(f.Temporary)))
            {
                File.Delete(temporary);
            }
            throw;
        }
        if (together)
        {
            FlushFileSystemOf(files[0].Temporary);
        }
        foreach (var (temporary, path, _) in files)
        {
            File.Move(temporary, path, overwrite: true);
        }
        if (together)
        {
            FlushFileSystemOf(files[0].Path);
        }
    }

    /// <summary>Everything written to the file system that holds <paramref name="path"/> is on disk when this returns.</summary>
    private static void FlushFileSystemOf(string path)
    {
        using var handle = File.OpenHandle(path);
        if (SyncFileSystem((int)handle.DangerousGetHandle()) != 0)
        {
            throw new IOException($"Could not flush the file system of {path} to disk: error {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SyncFileSystem(int fileDescriptor);
}

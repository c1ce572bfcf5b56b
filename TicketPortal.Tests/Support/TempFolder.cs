namespace TicketPortal.Tests.Support;

/// <summary>An empty temporary folder, deleted with everything in it (git's read-only object files included).</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("tp-temp-").FullName;

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Safe to call twice.</summary>
    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }
        Directory.Delete(Path, recursive: true);
    }
}

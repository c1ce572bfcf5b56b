using System.Text.Json;
using TicketPortal.Domain.Releases;

namespace TicketPortal.Tests.Domain.Releases;

/// <summary>
/// TicketPortal's own release notes (release-notes/) are a GitBook space written by the portal's writer from
/// release-notes/source/*.json. After editing a source, write the pages with
/// <c>WRITE_RELEASE_NOTES=1 dotnet test --filter ReleaseNotesFolder</c>.
/// </summary>
public sealed class ReleaseNotesFolderTests
{
    private const string Title = "TicketPortal release notes";

    private sealed record Source(string Version, string? Name, string GoLiveDate, string Intro, IReadOnlyList<SourceEntry> Entries, IReadOnlyList<string> Contributors);

    private sealed record SourceEntry(int Number, string Title, string Note, ChangeCategory Category, bool UxChange, string Url);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private static string Folder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TicketPortal.sln")))
            {
                return Path.Combine(directory.FullName, "release-notes");
            }
        }
        throw new DirectoryNotFoundException("No TicketPortal.sln above the test's folder.");
    }

    /// <summary>Every file the space should hold, by relative path, as the writer and the docs-space edits make them.</summary>
    private static Dictionary<string, string> Expected(string folder)
    {
        var files = new Dictionary<string, string>(DocsSpace.InitialFiles(Title));
        var releases = Directory.GetFiles(Path.Combine(folder, "source"), "*.json")
            .Select(f => JsonSerializer.Deserialize<Source>(File.ReadAllText(f), Json)!)
            .Select(s => new ReleaseNotesInput("TP", "TicketPortal", SemanticVersion.Parse(s.Version), s.Name, DateOnly.Parse(s.GoLiveDate, System.Globalization.CultureInfo.InvariantCulture),
                s.Intro, [.. s.Entries.Select(e => new ReleaseNoteEntry(e.Number, e.Title, e.Note, e.Category, e.UxChange, e.Url))], s.Contributors))
            .OrderBy(r => r.Version)
            .ToList();
        foreach (var release in releases)
        {
            files[DocsSpace.PagePath(release.Version)] = ReleaseNotesWriter.Write(release);
            files[DocsSpace.Summary] = DocsSpace.WithRelease(files[DocsSpace.Summary], release.Version);
            files[DocsSpace.Readme] = DocsSpace.WithLatest(files[DocsSpace.Readme], release.Version, "TicketPortal", release.GoLiveDate);
        }
        return files;
    }

    [Fact]
    public void TheRepositorysReleaseNotes_AreWhatTheWriterMakesOfTheirSources()
    {
        var folder = Folder();
        var expected = Expected(folder);
        if (Environment.GetEnvironmentVariable("WRITE_RELEASE_NOTES") == "1")
        {
            foreach (var (path, text) in expected)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
                File.WriteAllText(Path.Combine(folder, path), text);
            }
        }

        Assert.True(expected.Count > 4, "release-notes/source holds no releases.");
        foreach (var (path, text) in expected)
        {
            var file = Path.Combine(folder, path);
            Assert.True(File.Exists(file), $"release-notes/{path} is missing; write it with WRITE_RELEASE_NOTES=1.");
            Assert.Equal(text, File.ReadAllText(file));
        }
        var pages = Directory.GetFiles(Path.Combine(folder, DocsSpace.ReleasesFolder)).Select(f => $"{DocsSpace.ReleasesFolder}/{Path.GetFileName(f)}");
        Assert.Empty(pages.Except(expected.Keys));
    }
}

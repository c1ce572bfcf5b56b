using System.Text;
using TicketPortal.Domain.Persistence;
using TicketPortal.Tests.Support;

namespace TicketPortal.Tests.Domain;

public sealed class DurableFileTests
{
    [Fact]
    public void ReplaceAll_WritesEveryFile_ReplacesWhatWasThere_AndLeavesNoTemporaries()
    {
        using var folder = new TempFolder();
        var old = Path.Combine(folder.Path, "a.eml");
        File.WriteAllText(old, "an earlier delivery of the same message");

        DurableFile.ReplaceAll([Planned(folder, "a.eml", "first"), Planned(folder, "b.eml", "second")]);

        Assert.Equal(["a.eml", "b.eml"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
        Assert.Equal("first", File.ReadAllText(old));
        Assert.Equal("second", File.ReadAllText(Path.Combine(folder.Path, "b.eml")));
    }

    [Fact]
    public void AWriteThatFails_MovesNothingIntoPlace_AndRemovesTheTemporariesItWrote()
    {
        using var folder = new TempFolder();
        var unwritable = (Path.Combine(folder.Path, "missing", ".b.tmp"), Path.Combine(folder.Path, "b.eml"), Encoding.UTF8.GetBytes("second").AsMemory());

        Assert.Throws<DirectoryNotFoundException>(() => DurableFile.ReplaceAll([Planned(folder, "a.eml", "first"), unwritable]));

        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    private static (string Temporary, string Path, ReadOnlyMemory<byte> Content) Planned(TempFolder folder, string name, string content) =>
        (Path.Combine(folder.Path, "." + name + ".tmp"), Path.Combine(folder.Path, name), Encoding.UTF8.GetBytes(content));
}

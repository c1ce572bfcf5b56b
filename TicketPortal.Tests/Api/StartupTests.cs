using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using TicketPortal.Domain.Workflows;

namespace TicketPortal.Tests.Api;

public sealed class StartupTests : IDisposable
{
    private readonly string _workflows = Directory.CreateTempSubdirectory("ticketportal-workflows").FullName;

    public void Dispose() => Directory.Delete(_workflows, recursive: true);

    private sealed class WithWorkflows(string directory) : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Portal:WorkflowDirectory", directory);
        }
    }

    [Theory]
    [InlineData("\"to\": \"Approved\"", "\"to\": \"Aproved\"", "unknown status 'Aproved'")]
    [InlineData("\"roles\": [\"it-director\"], \"requires\": { \"labelFrom\"", "\"roles\": [\"cto\"], \"requires\": { \"labelFrom\"", "unknown role 'cto'")]
    [InlineData("\"id\": \"resume\"", "\"id\": \"approve\"", "declared twice")]
    public async Task APresetFileWithAnError_StopsThePortalFromStarting(string replace, string with, string reason)
    {
        var preset = await File.ReadAllTextAsync(PresetPath("change-board.json"));
        var broken = preset.Replace(replace, with, StringComparison.Ordinal);
        Assert.NotEqual(preset, broken);
        var file = Path.Combine(_workflows, "change-board.json");
        await File.WriteAllTextAsync(file, broken);
        using var portal = new WithWorkflows(_workflows);

        var error = Assert.Throws<WorkflowDefinitionException>(() => portal.CreateClient());

        Assert.Equal(file, error.File);
        Assert.StartsWith("$.transitions[", error.JsonPath);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public async Task AValidPresetFile_ReplacesTheShippedOne()
    {
        var preset = await File.ReadAllTextAsync(PresetPath("timer-review.json"));
        await File.WriteAllTextAsync(Path.Combine(_workflows, "timer-review.json"), preset.Replace("Three-day timer", "Two-day timer", StringComparison.Ordinal));
        using var portal = new WithWorkflows(_workflows);

        var response = await portal.Admin().GetAsync("/api/projects");

        response.EnsureSuccessStatusCode();
        Assert.Equal("Two-day timer with peer review", portal.Services.GetRequiredService<WorkflowCatalog>().Presets["timer-review"].Name);
    }

    [Fact]
    public async Task ThePortalsMethodsAreCompiledOptimisedAtTheirFirstCall()
    {
        // Without the quick tier, mail intake runs at full speed from its first message (docs/benchmarks.md, "Mail in and out").
        var file = Path.ChangeExtension(typeof(Program).Assembly.Location, ".runtimeconfig.json");

        var config = JsonNode.Parse(await File.ReadAllTextAsync(file))!;

        Assert.False(config["runtimeOptions"]!["configProperties"]!["System.Runtime.TieredCompilation.QuickJit"]!.GetValue<bool>());
    }

    private static string PresetPath(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TicketPortal.sln")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory!.FullName, "TicketPortal.Domain", "Workflows", "Presets", name);
    }
}

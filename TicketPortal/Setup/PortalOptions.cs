namespace TicketPortal.Setup;

/// <summary>The <c>Portal__*</c> settings of the external contract.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    public string DataDirectory { get; set; } = "";
    public bool SeedDemoData { get; set; } = true;
    public string? BootstrapAdminToken { get; set; }
    public string? PublicUrl { get; set; }
    /// <summary>Extra or replacement workflow definitions (*.json); an invalid one stops the start.</summary>
    public string? WorkflowDirectory { get; set; }
    /// <summary>Chosen so every demo password is the same; the README lists it.</summary>
    public string DemoPassword { get; set; } = "Demo-pass-1";
}

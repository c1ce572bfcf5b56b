namespace TicketPortal.Domain.People;

/// <summary>One role a user holds in one project (Redmine style: a user may hold several).</summary>
public sealed class Membership
{
    public int Id { get; private set; }
    public int ProjectId { get; private set; }
    public string UserId { get; private set; } = "";
    public string Role { get; private set; } = "";
    public PortalUser? User { get; private set; }

    private Membership()
    {
    }

    public Membership(int projectId, string userId, string role)
    {
        ProjectId = projectId;
        UserId = userId;
        Role = role;
    }
}

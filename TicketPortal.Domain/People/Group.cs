namespace TicketPortal.Domain.People;

/// <summary>A team queue tickets can be assigned to, e.g. "IT Digital".</summary>
public sealed class Group
{
    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public List<string> MemberIds { get; private set; } = [];

    private Group()
    {
    }

    public Group(string name, IEnumerable<string> memberIds)
    {
        Name = name;
        MemberIds = [.. memberIds];
    }
}

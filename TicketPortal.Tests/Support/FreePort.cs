using System.Net;
using System.Net.Sockets;

namespace TicketPortal.Tests.Support;

public static class FreePort
{
    /// <summary>A loopback port nobody listens on now (the system's pick, released at once).</summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

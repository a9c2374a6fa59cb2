using System.Net;
using System.Net.Sockets;

namespace Pipeline.Service.Bench;

/// <summary>Ports for cluster members on loopback that must be known before the member starts (a seed's port).</summary>
internal static class LoopbackPorts
{
    /// <summary>A TCP port on loopback that was free a moment ago.</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

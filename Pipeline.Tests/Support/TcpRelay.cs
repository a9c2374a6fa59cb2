using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Pipeline.Tests.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a real server, which a test can take down to cut one client off the way a
/// stopped server would, without stopping a server other tests share: while down, every relayed connection is reset
/// and new connections are reset as soon as they are accepted. Brought up again, new connections go through.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    // Every open socket, and whether it is a client's end (true) or the server's (false).
    private readonly ConcurrentDictionary<Socket, bool> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _down;
    private int _cut;
    private int _refused;

    private TcpRelay(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port clients connect to instead of the server's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Relayed connections reset when the relay went down.</summary>
    public int Cut => Volatile.Read(ref _cut);

    /// <summary>Connections reset as soon as they were accepted, while the relay was down.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public static TcpRelay Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    /// <summary>Resets every relayed connection and refuses new ones until the result is disposed.</summary>
    public IAsyncDisposable TakeDown()
    {
        _down = true;
        foreach (var (socket, isClient) in _open)
        {
            if (isClient)
                Interlocked.Increment(ref _cut);
            Abort(socket);
        }
        return new Outage(this);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _open.Keys)
            Abort(socket);
        try { await _accepting; }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            // Registered before the check, so a relay going down at this moment either sees it or is seen by it.
            _open[client] = true;
            if (_down)
            {
                Interlocked.Increment(ref _refused);
                Abort(client);
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _open[server] = false;
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            if (_down)
                return;
            // Either direction ending (or failing) ends the connection: the other is closed with it.
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Abort(client);
            Abort(server);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                    return;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    // A reset (linger 0) rather than a clean close: what a client sees when the server's host goes away.
    private void Abort(Socket socket)
    {
        _open.TryRemove(socket, out _);
        try { socket.LingerState = new LingerOption(true, 0); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        socket.Dispose();
    }

    private sealed class Outage(TcpRelay relay) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            relay._down = false;
            return ValueTask.CompletedTask;
        }
    }
}

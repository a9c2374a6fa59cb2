using System.Runtime.InteropServices;

namespace Pipeline.Service.Commands;

/// <summary>Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation, so commands stop gracefully instead of being killed.</summary>
internal sealed partial class ShutdownSignal : IDisposable
{
    private const int SigInt = 2;
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        // A process started as a background job inherits SIGINT as ignored, and .NET then never sees it;
        // supervisors and scripts still use SIGINT to ask for a graceful stop, so take it back.
        if (OperatingSystem.IsLinux())
            _ = signal(SigInt, IntPtr.Zero /* SIG_DFL */);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)
        ];
    }

    public CancellationToken Token => _cts.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _cts.Cancel();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr signal(int signum, IntPtr handler);

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _cts.Dispose();
    }
}

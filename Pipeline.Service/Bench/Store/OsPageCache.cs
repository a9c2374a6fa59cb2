namespace Pipeline.Service.Bench.Store;

/// <summary>
/// Empties the kernel's page cache so a read goes to disk. Needs root; PostgreSQL's own shared buffers stay, which is why the
/// cold reads also read customers never read before (their pages are in neither cache).
/// </summary>
internal static class OsPageCache
{
    /// <summary>Drops the page cache; false (and nothing done) when not allowed.</summary>
    public static bool TryDrop()
    {
        try
        {
            using (var sync = System.Diagnostics.Process.Start("sync"))
                sync?.WaitForExit();
            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

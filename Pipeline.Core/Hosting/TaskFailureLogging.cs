namespace Pipeline.Core.Hosting;

/// <summary>
/// For the steps of a drain or a shutdown, whose failure (or overrun) must not stop the steps after them: the failure is
/// logged, never dropped.
/// </summary>
public static class TaskFailureLogging
{
    /// <summary>
    /// Awaits <paramref name="task"/> for at most <paramref name="timeout"/>; a failure or a timeout goes to
    /// <paramref name="log"/> with <paramref name="step"/> naming what did not finish.
    /// </summary>
    public static async Task LogFailure(this Task task, TimeSpan timeout, string step, Action<string> log)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            log($"{step} did not finish within {timeout.TotalSeconds:0.#} s; going on without it.");
        }
        catch (Exception e)
        {
            log($"{step} failed: {e.GetType().Name}: {e.GetBaseException().Message}");
        }
    }
}

using System.Runtime;

namespace ReviewBot.Cli.Scanning;

/// <summary>
/// Holds off garbage collections while a large file is analyzed. Everything the engine builds for a file (its lines,
/// instructions, stages) lives until the file's report is made, so a collection in the middle finds it all alive and
/// copies it: the CLI's young generation is kept small for the many small files of a tree (see ReviewBot.Cli.csproj),
/// and a 4 MiB file went through 35 collections, 45% of its time. The pause is process-wide and counted: it starts
/// with the first large file analyzed (the runtime collects once then, to set the allowance aside) and ends with the
/// last. Garbage is not collected during it either, so a file that makes much of it touches more fresh memory (each
/// page a fault, 2 MiB at a time where Linux gives huge pages: <see cref="HugePages"/>): the COPY shapes allocated
/// 105 MB of paths per 4 MiB until ApplicationFiles stopped copying them.
/// </summary>
internal static class LargeFilePause
{
    /// <summary>Files from this size on are analyzed without collections; no real Dockerfile comes near it (the corpus's largest is 15 KB).</summary>
    public const int MinBytes = 512 * 1024;

    /// <summary>
    /// The allowance per byte of the file: what a file whose model is nearly all kept allocates (19-31 bytes a byte for
    /// the 4 MiB shapes of tools/README.md: the text as UTF-16, the instructions, the stages). At 24, the shapes near 31
    /// ran out of allowance late and had their collections copy the model: a FROM of one 4 MiB word took 0.23 s instead
    /// of 0.13, 100,000 stages of <c>FROM ${IMAGE} AS sN</c> and <c>USER ${UN}</c> 0.41 s instead of 0.22 (before
    /// <c>DockerfileModel.MaxStages</c>). A file that makes more garbage than that (4 MiB of RUN and COPY heredocs: 40)
    /// gets its collections back when the allowance runs out, so the fresh memory the pause costs stays bounded.
    /// </summary>
    private const long AllocatedPerByte = 32;

    /// <summary>
    /// At most this much is allocated without a collection: a file that allocates more gets its collections back
    /// (the runtime ends the pause itself), so the memory held stays bounded whatever the file.
    /// </summary>
    private const long MaxPauseBytes = 192L * 1024 * 1024;

    private static readonly Lock Gate = new();
    private static int _holders;

    /// <summary>Starts the pause for a file of <paramref name="bytes"/>; false (and nothing to end) for a small file.</summary>
    public static bool Begin(int bytes)
    {
        if (bytes < MinBytes)
        {
            return false;
        }

        lock (Gate)
        {
            if (_holders++ == 0)
            {
                // Before the allowance is set aside: the pages it will touch are then faulted 2 MiB at a time.
                HugePages.AdviseHeap();
                try
                {
                    // A refusal (not enough memory to set aside, a pause already begun elsewhere) leaves collections on.
                    GC.TryStartNoGCRegion(Math.Min(bytes * AllocatedPerByte, MaxPauseBytes));
                }
                catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException)
                {
                }
            }
        }

        return true;
    }

    /// <summary>Ends a pause <see cref="Begin"/> started, once no other large file is being analyzed.</summary>
    public static void End()
    {
        lock (Gate)
        {
            if (--_holders == 0 && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                try
                {
                    GC.EndNoGCRegion();
                }
                catch (InvalidOperationException)
                {
                    // The allowance ran out (or something collected): the runtime has already resumed collections.
                }
            }
        }
    }
}

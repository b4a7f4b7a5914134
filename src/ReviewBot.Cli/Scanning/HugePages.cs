using System.Globalization;
using System.Runtime.InteropServices;

namespace ReviewBot.Cli.Scanning;

/// <summary>
/// Asks Linux to back the collector's heap with transparent huge pages, once a large file is to be analyzed. A 4 MiB
/// file is analyzed without collections (<see cref="LargeFilePause"/>), so each 4 KiB page it allocates is touched
/// fresh: a page fault each, 25,000-34,000 of them, 40% of the time of the slowest shapes of tools/README.md. A 2 MiB
/// page is one fault for 512 of them. Linux gives huge pages to memory that asks for them (madvise) on most systems
/// (<c>/sys/kernel/mm/transparent_hugepage/enabled</c>: <c>madvise</c>), to all memory on some (<c>always</c>, then
/// this changes nothing) and to none on others (<c>never</c>, likewise): it is advice, never a requirement.
/// </summary>
/// <remarks>
/// The collector reserves its heap as one range up front and commits pieces of it as it grows; the advice is given to
/// the mappings from the one holding a live object upward, while they run on without a gap and belong to no file: the
/// rest of the reservation, where the heap grows. Small files are left alone: the corpus scan's heap is a few MB that
/// the collector reuses, and it ran no faster with huge pages.
/// </remarks>
internal static class HugePages
{
    /// <summary>MADV_HUGEPAGE, from Linux's include/uapi/asm-generic/mman-common.h.</summary>
    private const int AdviseHugePages = 14;

    private static int _advised;

    /// <summary>Advises huge pages for the rest of the heap's range, once per process; false when it did not (not Linux, done already, refused).</summary>
    public static bool AdviseHeap()
    {
        return OperatingSystem.IsLinux() && Interlocked.Exchange(ref _advised, 1) == 0 && AdviseFrom(AddressOfHeapObject());
    }

    /// <summary>Advises huge pages for the anonymous mappings from the one holding <paramref name="address"/> upward (<see cref="HeapRange"/>).</summary>
    internal static bool AdviseFrom(nint address)
    {
        try
        {
            if (HeapRange(File.ReadAllText("/proc/self/maps"), address) is not var (start, end))
            {
                return false;
            }

            return Advise((nint)start, (nuint)(end - start), AdviseHugePages) == 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            // No /proc, or no C library by that name: the scan is as fast as it was.
            return false;
        }
    }

    /// <summary>Where a live object of the heap is.</summary>
    internal static nint AddressOfHeapObject()
    {
        var probe = new byte[64];
        var handle = GCHandle.Alloc(probe, GCHandleType.Pinned);
        try
        {
            return handle.AddrOfPinnedObject();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>
    /// In a <c>/proc/self/maps</c> listing, the mappings from the one holding <paramref name="address"/> upward while
    /// each begins where the last ends and none maps a file or names itself (<c>[stack]</c>); null when no anonymous
    /// mapping holds the address.
    /// </summary>
    internal static (long Start, long End)? HeapRange(string maps, long address)
    {
        long start = -1;
        long end = -1;
        foreach (var line in maps.AsSpan().EnumerateLines())
        {
            if (!TryParse(line, out long from, out long to, out bool anonymous))
            {
                continue;
            }

            if (start < 0)
            {
                if (from <= address && address < to && anonymous)
                {
                    start = from;
                    end = to;
                }
            }
            else if (from == end && anonymous)
            {
                end = to;
            }
            else
            {
                break;
            }
        }

        return start < 0 ? null : (start, end);
    }

    /// <summary>One line: <c>start-end perms offset dev inode [path]</c>, addresses in hexadecimal.</summary>
    private static bool TryParse(ReadOnlySpan<char> line, out long from, out long to, out bool anonymous)
    {
        from = to = 0;
        anonymous = false;
        Span<Range> fields = stackalloc Range[7];
        int count = line.SplitAny(fields, " \t", StringSplitOptions.RemoveEmptyEntries);
        if (count < 5)
        {
            return false;
        }

        var range = line[fields[0]];
        int dash = range.IndexOf('-');
        if (dash < 0
            || !long.TryParse(range[..dash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out from)
            || !long.TryParse(range[(dash + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out to))
        {
            return false;
        }

        // Anonymous: no inode and no path ("[heap]", "[stack]" and files are left alone).
        anonymous = line[fields[4]] is "0" && count == 5;
        return true;
    }

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static extern int Advise(nint address, nuint length, int advice);
}

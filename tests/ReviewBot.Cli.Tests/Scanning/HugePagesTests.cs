using ReviewBot.Cli.Scanning;
using Xunit.Abstractions;

namespace ReviewBot.Cli.Tests.Scanning;

public class HugePagesTests(ITestOutputHelper output)
{
    /// <summary>A listing as Linux writes it: a heap reservation in pieces (committed, reserved), then a file, a stack.</summary>
    private const string Maps = """
        00400000-00c00000 r-xp 00000000 08:01 1234                               /usr/bin/reviewbot
        7f0000000000-7f0000200000 rw-p 00000000 00:00 0
        7f0000200000-7f0000400000 rw-p 00000000 00:00 0
        7f0000400000-7f0100000000 ---p 00000000 00:00 0
        7f0100000000-7f0100001000 rw-p 00000000 00:00 0
        7f0100002000-7f0100003000 rw-p 00000000 00:00 0
        7f0200000000-7f0200100000 rw-p 00000000 00:00 0
        7f0200100000-7f0200200000 r--p 00000000 08:01 99                         /usr/lib/x86_64-linux-gnu/libc.so.6
        7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]
        """;

    [Fact]
    public void The_heap_range_runs_from_the_objects_mapping_up_to_the_first_gap()
    {
        Assert.Equal((0x7f0000200000, 0x7f0100001000), HugePages.HeapRange(Maps, 0x7f0000300000));
    }

    [Fact]
    public void The_heap_range_stops_at_a_file_or_a_named_mapping()
    {
        Assert.Equal((0x7f0200000000, 0x7f0200100000), HugePages.HeapRange(Maps, 0x7f0200000010));
        Assert.Null(HugePages.HeapRange(Maps, 0x7ffc00000100));
    }

    [Fact]
    public void An_address_outside_every_anonymous_mapping_has_no_heap_range()
    {
        Assert.Null(HugePages.HeapRange(Maps, 0x500000));
        Assert.Null(HugePages.HeapRange(Maps, 0x7f0100001800));
        Assert.Null(HugePages.HeapRange("not a listing\n\n", 0x7f0000300000));
    }

    [Fact]
    public void The_kernel_marks_the_heap_for_huge_pages()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/sys/kernel/mm/transparent_hugepage"))
        {
            output.WriteLine("skipped: this kernel has no transparent huge pages");
            return;
        }

        nint address = HugePages.AddressOfHeapObject();
        Assert.True(HugePages.AdviseFrom(address));

        // "hg" in a mapping's VmFlags: huge pages were advised for it (Documentation/filesystems/proc.rst).
        Assert.Contains("hg", FlagsOfMappingHolding(address));
    }

    private static string[] FlagsOfMappingHolding(nint address)
    {
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && long.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.AllowHexSpecifier, null, out long from)
                && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.AllowHexSpecifier, null, out long to))
            {
                inside = from <= address && address < to;
            }
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        return [];
    }
}

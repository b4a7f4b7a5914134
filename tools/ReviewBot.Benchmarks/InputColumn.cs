using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ReviewBot.Benchmarks;

/// <summary>Summary columns derived from the mean time and the input size: MB/s, KB of input, µs per file.</summary>
public sealed class InputColumn : IColumn
{
    private readonly Func<(long Bytes, int Files), double, double> _value;
    private readonly string _format;

    private InputColumn(string name, string legend, string format, Func<(long Bytes, int Files), double, double> value)
    {
        ColumnName = name;
        Legend = legend;
        _format = format;
        _value = value;
    }

    public static InputColumn Throughput { get; } = new(
        "MB/s", "Input bytes / mean time (10^6 bytes per second), single-threaded", "0.0", (input, meanNs) => input.Bytes / InputSize.BytesPerMegabyte / (meanNs / 1e9));

    public static InputColumn Kilobytes { get; } = new(
        "Input KB", "Bytes read by one operation / 1000", "0.0", (input, _) => input.Bytes / 1000.0);

    public static InputColumn PerFile { get; } = new(
        "µs/file", "Mean time / number of files in one operation", "0.0", (input, meanNs) => meanNs / 1000.0 / input.Files);

    public string Id => nameof(InputColumn) + "." + ColumnName;

    public string ColumnName { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend { get; }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is { } ns && InputSize.Of(benchmarkCase) is { } input
            ? _value(input, ns).ToString(_format, CultureInfo.InvariantCulture)
            : "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}

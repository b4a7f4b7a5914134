using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Output;

/// <summary>
/// The JSON shape, version 1. Edit lines refer to the file as it was analyzed (after --fix, the
/// rewritten file). Extra fields beyond the contract: per file <c>diagnostics</c>, <c>error</c>, <c>fixedEdits</c>, <c>omitted</c>.
/// </summary>
public static class JsonFormatter
{
    public const int FormatVersion = 1;

    public static void Write(ScanReport report, TextWriter output)
    {
        var document = new JsonReport(FormatVersion, [.. report.Files.Select(ToJson)]);
        if (output is StreamWriter { Encoding: UTF8Encoding { Preamble.Length: 0 } } writer)
        {
            // Straight into the stream as UTF-8: the same bytes without the whole report as a string first.
            writer.Flush();
            JsonSerializer.Serialize(writer.BaseStream, document, ReportJsonContext.Default.JsonReport);
            writer.WriteLine();
            return;
        }

        output.WriteLine(JsonSerializer.Serialize(document, ReportJsonContext.Default.JsonReport));
    }

    private static JsonFile ToJson(FileReport file) => new(
        file.Path,
        [.. file.Findings.Select(f => new JsonFinding(
            f.RuleId,
            TextFormatter.SeverityName(f.Severity),
            f.Range.Start,
            f.Range.End,
            f.Message,
            f.Fix is null ? null : new JsonFix(f.Fix.Description, [.. f.Fix.Edits.Select(e => new JsonEdit(e.StartLine, e.EndLine, e.NewText))])))],
        [.. file.Diagnostics.Select(d => new JsonDiagnostic(d.Line, d.Message))],
        file.ReadError,
        file.FixedEdits == 0 ? null : file.FixedEdits,
        file.Omitted.IsEmpty ? null : [.. file.Omitted.Select(o => new JsonOmitted(o.RuleId, o.Count))]);
}

public sealed record JsonReport(int Version, IReadOnlyList<JsonFile> Files);

public sealed record JsonFile(string Path, IReadOnlyList<JsonFinding> Findings, IReadOnlyList<JsonDiagnostic> Diagnostics, string? Error, int? FixedEdits, IReadOnlyList<JsonOmitted>? Omitted = null);

/// <summary>Findings of one rule left out over the per-file limit.</summary>
public sealed record JsonOmitted(string RuleId, int Count);

public sealed record JsonFinding(string RuleId, string Severity, int StartLine, int EndLine, string Message, JsonFix? Fix);

public sealed record JsonFix(string Description, IReadOnlyList<JsonEdit> Edits);

public sealed record JsonEdit(int StartLine, int EndLine, string NewText);

public sealed record JsonDiagnostic(int Line, string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

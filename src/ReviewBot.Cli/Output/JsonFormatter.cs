using System.Buffers;
using System.Text;
using System.Text.Json;
using ReviewBot.Cli.Scanning;

namespace ReviewBot.Cli.Output;

/// <summary>
/// The JSON shape, version 1. Edit lines refer to the file as it was analyzed (after --fix, the
/// rewritten file). Extra fields beyond the contract: per file <c>diagnostics</c>, <c>error</c>, <c>fixedEdits</c>, <c>omitted</c>;
/// per finding <c>messageText</c> (the message as plain text, the way the terminal, annotations and SARIF show it) and
/// <c>advice</c> (what to do where no fix says it). <c>message</c>, <c>advice</c> and a fix's <c>description</c> quote code in
/// backticks, as Markdown.
/// </summary>
/// <remarks>
/// Written field by field with a <see cref="Utf8JsonWriter"/> (not a serializer over records): a report can then be
/// written a file at a time while later files are still being analyzed (<see cref="JsonReportWriter"/>), and no
/// serializer metadata is built at start-up (a tenth of a Native AOT scan's start-up was that). Null fields are left
/// out; strings are escaped by the writer's default encoder, as the serializer did.
/// </remarks>
public static class JsonFormatter
{
    public const int FormatVersion = 1;

    public static void Write(ScanReport report, TextWriter output)
    {
        using var writer = JsonReportWriter.Create(output);
        foreach (var file in report.Files)
        {
            writer.Write(file);
        }

        writer.Finish();
    }

    /// <summary><c>messageText</c>, written from a pooled buffer: a string of it for every finding was nearly all that writing a corpus scan's report allocated (1.5 MB).</summary>
    private static void WritePlainSentence(Utf8JsonWriter json, string message)
    {
        var buffer = ArrayPool<char>.Shared.Rent(message.Length);
        try
        {
            json.WriteString("messageText", buffer.AsSpan(0, Analysis.Wording.PlainSentence(message, buffer)));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    internal static void WriteFile(Utf8JsonWriter json, FileReport file)
    {
        json.WriteStartObject();
        json.WriteString("path", file.Path);
        json.WriteStartArray("findings");
        foreach (var finding in file.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", finding.RuleId);
            json.WriteString("severity", TextFormatter.SeverityName(finding.Severity));
            json.WriteNumber("startLine", finding.Range.Start);
            json.WriteNumber("endLine", finding.Range.End);
            json.WriteString("message", finding.Message);
            WritePlainSentence(json, finding.Message);
            if (finding.Advice is { } advice)
            {
                json.WriteString("advice", advice);
            }

            if (finding.Fix is { } fix)
            {
                json.WriteStartObject("fix");
                json.WriteString("description", fix.Description);
                json.WriteStartArray("edits");
                foreach (var edit in fix.Edits)
                {
                    json.WriteStartObject();
                    json.WriteNumber("startLine", edit.StartLine);
                    json.WriteNumber("endLine", edit.EndLine);
                    json.WriteString("newText", edit.NewText);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("diagnostics");
        foreach (var diagnostic in file.Diagnostics)
        {
            json.WriteStartObject();
            json.WriteNumber("line", diagnostic.Line);
            json.WriteString("message", diagnostic.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (file.ReadError is not null)
        {
            json.WriteString("error", file.ReadError);
        }

        if (file.FixedEdits != 0)
        {
            json.WriteNumber("fixedEdits", file.FixedEdits);
        }

        if (!file.Omitted.IsEmpty)
        {
            json.WriteStartArray("omitted");
            foreach (var omitted in file.Omitted)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", omitted.RuleId);
                json.WriteNumber("count", omitted.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }
}

/// <summary>
/// One JSON report written a file at a time, in the order given: <c>{"version":1,"files":[…]}</c> and a newline.
/// Into a UTF-8 stream straight, or, for any other <see cref="TextWriter"/> (a test's, or the guard under GitHub Actions), as text.
/// </summary>
public sealed class JsonReportWriter : IDisposable
{
    /// <summary>Written out whenever this much is buffered, so a large report is never held whole.</summary>
    private const int FlushThreshold = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter _json;
    private readonly Stream? _stream;
    private readonly TextWriter? _text;

    private JsonReportWriter(Stream? stream, TextWriter? text)
    {
        _stream = stream;
        _text = text;
        _json = new Utf8JsonWriter(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber("version", JsonFormatter.FormatVersion);
        _json.WriteStartArray("files");
    }

    /// <summary>Straight into the stream as UTF-8 when the writer is a BOM-less UTF-8 stream writer (the console's): the same bytes without the report as a string first.</summary>
    public static JsonReportWriter Create(TextWriter output)
    {
        if (output is StreamWriter { Encoding: UTF8Encoding { Preamble.Length: 0 } } writer)
        {
            writer.Flush();
            return new JsonReportWriter(writer.BaseStream, null);
        }

        return new JsonReportWriter(null, output);
    }

    public void Write(FileReport file)
    {
        JsonFormatter.WriteFile(_json, file);
        _json.Flush();
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            // Whole files only, so never half of a UTF-8 sequence.
            WriteBuffer();
        }
    }

    private void WriteBuffer()
    {
        if (_stream is not null)
        {
            _stream.Write(_buffer.WrittenSpan);
        }
        else
        {
            _text!.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        }

        _buffer.ResetWrittenCount();
    }

    public void Finish()
    {
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        WriteBuffer();
        if (_stream is not null)
        {
            _stream.Write(Encoding.UTF8.GetBytes(Environment.NewLine));
            _stream.Flush();
        }
        else
        {
            _text!.WriteLine();
        }
    }

    public void Dispose() => _json.Dispose();
}

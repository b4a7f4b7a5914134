using System.Text;

namespace ReviewBot.Cli.Scanning;

/// <summary>Turns a file's bytes into the text the engine reads, or says why it cannot.</summary>
public static class SourceText
{
    /// <summary>Strict: invalid bytes are an error, never replaced, so --fix can never write back a corrupted file.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>How far we look for a NUL byte to call a file binary (Git's heuristic uses the first 8000 bytes).</summary>
    private const int BinarySniffLength = 8000;

    /// <summary>
    /// Decodes UTF-8. A UTF-8 BOM stays in the text as U+FEFF, as the engine expects, and is written back with it.
    /// Returns null with <paramref name="error"/> for binary files, UTF-16/32 and invalid UTF-8.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, out string? error)
    {
        error = null;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            error = "the file is UTF-16 or UTF-32 encoded; Docker reads Dockerfiles as UTF-8";
            return null;
        }

        if (bytes[..Math.Min(bytes.Length, BinarySniffLength)].Contains((byte)0))
        {
            error = "binary file (it contains NUL bytes); not a Dockerfile";
            return null;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            error = $"not valid UTF-8 text (bad byte at offset {ex.Index}); Docker reads Dockerfiles as UTF-8";
            return null;
        }
    }

    public static byte[] Encode(string text) => StrictUtf8.GetBytes(text);
}

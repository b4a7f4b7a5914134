namespace ReviewBot.TestSupport;

/// <summary>
/// A stream that never ends, of Dockerfile comment lines, counting what it served: for what must stop reading past a
/// bound (standard input piped to the CLI, a response body without a length).
/// </summary>
public sealed class EndlessStream : Stream
{
    public long Served { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Served; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (Served + i) % 64 == 63 ? (byte)'\n' : (byte)'#';
        }

        Served += buffer.Length;
        return buffer.Length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

using System.Text;

namespace ServerlessFargate.Aws;

/// <summary>
/// Writes to another writer with every character <see cref="TerminalText"/> escapes written
/// visibly. The CLI puts one around standard output and standard error of each command that
/// prints what AWS or a container said, so no code path between AWS and the terminal can forget
/// to escape. Our own messages hold no control characters, so escaping whole writers changes
/// nothing else; text we mean as control (colour) goes through <see cref="WriteTrusted"/>.
/// The writer it wraps stays open and is flushed, never closed, by this one.
/// </summary>
public sealed class EscapingWriter : TextWriter
{
    private readonly TextWriter _inner;

    public EscapingWriter(TextWriter inner) : base(inner.FormatProvider)
    {
        _inner = inner;
        // The line end is the inner writer's own: written through, not escaped (CR LF on Windows).
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    /// <summary>
    /// Writes <paramref name="text"/> as it is, bypassing the escaping when <paramref name="writer"/>
    /// is an <see cref="EscapingWriter"/>: for control sequences we write ourselves (colour, on a
    /// terminal), never for text that came from outside.
    /// </summary>
    public static void WriteTrusted(TextWriter writer, string text)
    {
        if (writer is EscapingWriter escaping)
        {
            escaping._inner.Write(text);
        }
        else
        {
            writer.Write(text);
        }
    }

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value)
    {
        if (TerminalText.IsEscaped(value))
        {
            _inner.Write(TerminalText.Visible(value));
        }
        else
        {
            _inner.Write(value);
        }
    }

    public override void Write(string? value)
    {
        if (value is not null)
        {
            _inner.Write(TerminalText.Escape(value));
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        var escaped = new StringBuilder(buffer.Length);
        TerminalText.Append(escaped, buffer);
        _inner.Write(escaped.ToString());
    }

    public override void WriteLine() => _inner.WriteLine();

    public override void WriteLine(string? value)
    {
        Write(value);
        _inner.WriteLine();
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        Write(buffer);
        _inner.WriteLine();
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync() => _inner.FlushAsync();
}

namespace ServerlessFargate.Diagnostics;

/// <summary>The text of one input file, kept so diagnostics can quote the offending line.</summary>
public sealed class SourceFile
{
    private readonly int[] _lineStarts;

    public SourceFile(string displayPath, string text)
    {
        DisplayPath = displayPath;
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }
        _lineStarts = [.. starts];
    }

    /// <summary>
    /// True for a file read through <c>${file()}</c>: it may hold secrets, so diagnostics in it
    /// give the position but never quote its lines.
    /// </summary>
    public bool Confidential { get; init; }

    /// <summary>The path as diagnostics print it (relative to the working folder when possible).</summary>
    public string DisplayPath { get; }

    public string Text { get; }

    public int LineCount => _lineStarts.Length;

    /// <summary>The text of a 1-based line, without its line break.</summary>
    public string GetLine(int line)
    {
        if (line < 1 || line > _lineStarts.Length)
        {
            return "";
        }
        var start = _lineStarts[line - 1];
        var end = line < _lineStarts.Length ? _lineStarts[line] : Text.Length;
        return Text[start..end].TrimEnd('\n', '\r');
    }

    /// <summary>The span of the whole file's first character, for problems that belong to no node.</summary>
    public SourceSpan Start => new(this, 1, 1, 1, 2);

    /// <summary>
    /// A one-character span at a 1-based line and column, moved inside the file: parsers report
    /// the end of a file without a final newline as the start of a line that does not exist.
    /// </summary>
    public SourceSpan SpanAt(int line, int column)
    {
        if (line > LineCount)
        {
            line = LineCount;
            column = GetLine(line).Length + 1;
        }
        line = Math.Max(1, line);
        column = Math.Clamp(column, 1, GetLine(line).Length + 1);
        return new SourceSpan(this, line, column, line, column + 1);
    }

    public SourceSpan SpanAtOffset(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        var index = Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        var column = offset - _lineStarts[line] + 1;
        return new SourceSpan(this, line + 1, column, line + 1, column + 1);
    }
}

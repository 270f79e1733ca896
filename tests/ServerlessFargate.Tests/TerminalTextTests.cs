using System.Text.Json.Nodes;
using CsCheck;
using ServerlessFargate.Aws;

namespace ServerlessFargate.Tests;

/// <summary>
/// Text from AWS or a container as the AWS commands print it: control characters written
/// visibly, so a log line cannot drive the terminal that shows it.
/// </summary>
public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("plain text, tabs\tand\nnewlines", "plain text, tabs\tand\nnewlines")]
    [InlineData("\u001b]0;pwned\u0007", "\\x1b]0;pwned\\x07")]
    [InlineData("\u001b]52;c;aGk=\u0007", "\\x1b]52;c;aGk=\\x07")]
    [InlineData("done\u001b[2K", "done\\x1b[2K")]
    [InlineData("100%\rfake prompt$ ", "100%\\rfake prompt$ ")]
    [InlineData("nul\0 bs\b ff\f vt\v us\u001f", "nul\\x00 bs\\x08 ff\\x0c vt\\x0b us\\x1f")]
    [InlineData("del\u007f", "del\\x7f")]
    [InlineData("c1 \u0080 csi\u009b2K \u0085 \u009f", "c1 \\x80 csi\\x9b2K \\x85 \\x9f")]
    [InlineData("if (admin\u202e \u2066) {", "if (admin\\u202e \\u2066) {")]
    [InlineData("\u202a\u202b\u202c\u202d\u2067\u2068\u2069", "\\u202a\\u202b\\u202c\\u202d\\u2067\\u2068\\u2069")]
    [InlineData("caf\u00e9 \u00a0 \u200e \u2029 \u2070 \ud83d\ude00 C:\\x1b", "caf\u00e9 \u00a0 \u200e \u2029 \u2070 \ud83d\ude00 C:\\x1b")]
    [InlineData("", "")]
    public void Control_characters_are_written_visibly_and_the_rest_as_it_is(string text, string printed) =>
        Assert.Equal(printed, TerminalText.Escape(text));

    [Fact]
    public void No_text_escapes_to_anything_a_terminal_obeys()
    {
        Gen.String.Sample(text =>
        {
            var printed = TerminalText.Escape(text);
            Assert.DoesNotContain(printed, TerminalText.IsEscaped);
            // Text without control characters is left alone.
            if (!text.Any(TerminalText.IsEscaped))
            {
                Assert.Same(text, printed);
            }
        });
    }

    [Fact]
    public void The_writer_escapes_every_way_text_reaches_it_and_keeps_its_line_ends()
    {
        var inner = new StringWriter { NewLine = "\r\n" };
        var writer = new EscapingWriter(inner);

        writer.Write('\u001b');
        writer.Write("[2K");
        writer.Write("a\rb".ToCharArray(), 0, 3);
        writer.Write("\u0007".AsSpan());
        writer.WriteLine("\u202e");
        writer.WriteLine($"{"\u009b"}{42}");
        writer.WriteLine("tab\tkept".AsSpan());
        writer.WriteLine(new System.Text.StringBuilder("\u001b]0;t\u0007"));
        writer.Write(true);
        writer.WriteLine();
        writer.Flush();

        Assert.Equal("\\x1b[2Ka\\rb\\x07\\u202e\r\n\\x9b42\r\ntab\tkept\r\n\\x1b]0;t\\x07\r\nTrue\r\n", inner.ToString());
    }

    [Fact]
    public void Trusted_text_passes_the_writer_unescaped_and_other_writers_take_it_as_it_is()
    {
        // Colour is the one control we mean to send; only code that writes it itself may.
        var inner = new StringWriter();
        var writer = new EscapingWriter(inner);

        EscapingWriter.WriteTrusted(writer, "\u001b[31m");
        writer.Write("\u001b[0m");
        var plain = new StringWriter();
        EscapingWriter.WriteTrusted(plain, "\u001b[31m");

        Assert.Equal("\u001b[31m\\x1b[0m", inner.ToString());
        Assert.Equal("\u001b[31m", plain.ToString());
    }

    [Fact]
    public void Escaped_json_is_the_same_json()
    {
        // status --format json goes through the writer too. The JSON writer escapes C0, DEL and
        // C1 itself, but not the bidi controls; the writer's \u202e is a JSON escape of the same
        // character, so the document stays valid and means the same.
        var text = "\u001b]0;t\u0007\r\u007f\u0085\u202e\u2066 \\x1b \"quoted\"";
        var json = Diagnostics.JsonText.Write(new JsonObject { ["failure"] = text });

        var printed = TerminalText.Escape(json);

        Assert.DoesNotContain(printed, TerminalText.IsEscaped);
        Assert.Equal(text, JsonNode.Parse(printed)!["failure"]!.GetValue<string>());
    }
}

using System.Text;
using System.Text.RegularExpressions;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.Tests;

/// <summary>
/// docs/diagnostics.md is written from the descriptors. Each id's section opens with two generated
/// paragraphs: its title, default severity and AWS source, then its description; anything after
/// them is written by hand and kept. The prose before the first id is kept too. After changing a
/// descriptor, <c>UPDATE_DOCS=1 dotnet test --filter DiagnosticsDocTests</c> rewrites the file
/// (and fails on purpose); read <c>git diff docs</c>, then run the test again without it.
/// </summary>
public sealed partial class DiagnosticsDocTests
{
    private const int Width = 100;

    private static string DocPath => Path.Combine(RepositoryPaths.Root, "docs", "diagnostics.md");

    [Fact]
    public void Docs_diagnostics_md_says_what_the_descriptors_say()
    {
        var current = File.ReadAllText(DocPath).ReplaceLineEndings("\n");

        var expected = Render(current);

        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(DocPath, expected);
            Assert.Fail("UPDATE_DOCS is set: docs/diagnostics.md was rewritten; read `git diff docs`, then run the test again without UPDATE_DOCS");
        }
        Assert.True(expected == current, $"docs/diagnostics.md differs from the descriptors {FirstDifference(expected, current)}; run UPDATE_DOCS=1 dotnet test --filter DiagnosticsDocTests");
    }

    [Fact]
    public void Every_section_of_the_doc_is_an_id_the_catalog_knows()
    {
        var known = DiagnosticCatalog.Descriptors.Select(d => d.Id).Concat(DiagnosticCatalog.Retired.Select(r => r.Id)).ToHashSet();

        var sections = Sections(File.ReadAllText(DocPath).ReplaceLineEndings("\n")).Sections.Keys;

        var undeclared = sections.Where(id => !known.Contains(id)).ToList();
        var undocumented = known.Where(id => !sections.Contains(id)).ToList();
        Assert.True(undeclared.Count == 0, $"docs/diagnostics.md explains {string.Join(", ", undeclared)}, which no descriptor declares");
        Assert.True(undocumented.Count == 0, $"docs/diagnostics.md does not explain {string.Join(", ", undocumented)}");
    }

    [Fact]
    public void A_section_keeps_its_hand_written_text_and_gets_its_descriptor_back()
    {
        // Given a section whose generated paragraphs are stale, with a note written by hand after them
        var doc = "# Diagnostics\n\nIntro.\n\n## FG0002\n**old title** · warning\n\nOld description.\n\nA note by hand.\n";

        // When the doc is rendered again
        var rendered = Render(doc);

        // Then the generated paragraphs are the descriptor's and the note follows them
        Assert.Contains("## FG0002\n**tab character in indentation** · error\n\nA tab character in indentation.", rendered, StringComparison.Ordinal);
        Assert.Contains("the caret is on the tab.\n\nA note by hand.\n\n## FG0003\n", rendered, StringComparison.Ordinal);
        Assert.StartsWith("# Diagnostics\n\nIntro.\n\n## FG0001\n", rendered, StringComparison.Ordinal);
    }

    /// <summary>The doc as the descriptors give it, keeping <paramref name="current"/>'s hand-written text.</summary>
    internal static string Render(string current)
    {
        var (preamble, sections) = Sections(current);
        var retired = DiagnosticCatalog.Retired.ToDictionary(r => r.Id);
        var descriptors = DiagnosticCatalog.Descriptors.ToDictionary(d => d.Id);
        var unknown = sections.Keys.Where(id => !descriptors.ContainsKey(id) && !retired.ContainsKey(id)).ToList();
        Assert.True(unknown.Count == 0, $"docs/diagnostics.md has sections for {string.Join(", ", unknown)}, which no descriptor declares; move their text, or retire the id in DiagnosticCatalog.Retired");

        var text = new StringBuilder(preamble);
        foreach (var id in descriptors.Keys.Concat(retired.Keys).Order(StringComparer.Ordinal))
        {
            text.Append("## ").Append(id).Append('\n');
            if (descriptors.TryGetValue(id, out var descriptor))
            {
                text.Append("**").Append(descriptor.Title).Append("** · ").Append(descriptor.DefaultSeverity.Name());
                if (descriptor.Source is not null)
                {
                    text.Append(" · source: <").Append(descriptor.Source).Append('>');
                }
                text.Append("\n\n").Append(Wrap(descriptor.Description)).Append('\n');
            }
            else
            {
                text.Append(Wrap($"*Retired:* {retired[id].Reason}. The id is not reused.")).Append('\n');
            }
            if (sections.TryGetValue(id, out var section) && HandWritten(id, section, generated: descriptor is null ? 1 : 2) is { Length: > 0 } prose)
            {
                text.Append('\n').Append(prose).Append('\n');
            }
            text.Append('\n');
        }
        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>The text before the first id, and each id's section (the lines after its heading).</summary>
    private static (string Preamble, Dictionary<string, string> Sections) Sections(string doc)
    {
        var parts = doc.Split("\n## ");
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var newline = part.IndexOf('\n', StringComparison.Ordinal);
            var id = newline < 0 ? part : part[..newline];
            Assert.True(sections.TryAdd(id, newline < 0 ? "" : part[(newline + 1)..]), $"docs/diagnostics.md has two sections for {id}");
        }
        return (parts[0].TrimEnd('\n') + "\n\n", sections);
    }

    /// <summary>A section without its first <paramref name="generated"/> paragraphs.</summary>
    private static string HandWritten(string id, string section, int generated)
    {
        var paragraphs = section.Split("\n\n").Select(p => p.Trim('\n')).Where(p => p.Length > 0).ToList();
        Assert.True(paragraphs.Count >= generated && (generated == 1 || paragraphs[0].StartsWith("**", StringComparison.Ordinal)),
            $"the section of {id} in docs/diagnostics.md does not open with its generated paragraphs");
        return string.Join("\n\n", paragraphs.Skip(generated));
    }

    /// <summary>Words in lines of at most <see cref="Width"/> characters, as the doc's prose is written.</summary>
    private static string Wrap(string text)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // A line that began with `-`, `*`, `>`, `#` or `1.` would be a list, quote or heading.
            if (line.Length > 0 && line.Length + 1 + word.Length > Width && !StartsBlock().IsMatch(word))
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            line.Append(line.Length > 0 ? " " : "").Append(word);
        }
        lines.Add(line.ToString());
        return string.Join("\n", lines);
    }

    [GeneratedRegex(@"^([-+*>#|]|[0-9]+[.)])$")]
    private static partial Regex StartsBlock();

    private static string FirstDifference(string expected, string actual)
    {
        var want = expected.Split('\n');
        var have = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Max(want.Length, have.Length))
            .FirstOrDefault(i => i >= want.Length || i >= have.Length || want[i] != have[i], -1);
        if (line < 0)
        {
            return $"in line endings or bytes ({expected.Length} characters expected, {actual.Length} found)";
        }
        return $"at line {line + 1}: expected `{(line < want.Length ? want[line] : "(end of file)")}`, found `{(line < have.Length ? have[line] : "(end of file)")}`";
    }
}

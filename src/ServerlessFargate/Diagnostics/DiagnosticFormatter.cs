using System.Text;
using System.Text.Json;

namespace ServerlessFargate.Diagnostics;

/// <summary>Writes diagnostics as compiler-style text, as JSON, or as SARIF 2.1.0 for code-scanning tools.</summary>
public static class DiagnosticFormatter
{
    /// <summary>
    /// What commands that write a template print (<c>package</c>, <c>deploy</c>, the plugin): every
    /// finding except notices meant for `validate` only (the roles the template creates); a
    /// notice that speaks of cost (a generated network) is printed.
    /// </summary>
    public static string PackageText(IEnumerable<Diagnostic> diagnostics) =>
        Text(diagnostics.Where(d => d.Severity != Severity.Notice || !d.Descriptor.QuietInPackage));

    /// <summary>
    /// <c>serverless.yml:12:7: error FG1003: fargate.tasks.worker.cpu: ...</c>, then the source
    /// line and a caret under the offending text, the format editors and CI annotate.
    /// </summary>
    public static string Text(IEnumerable<Diagnostic> diagnostics)
    {
        var text = new StringBuilder();
        foreach (var d in diagnostics)
        {
            var severity = d.SeverityName;
            var path = d.Path is null ? "" : d.Path + ": ";
            text.Append(d.Span.ToString()).Append(": ").Append(severity).Append(' ').Append(d.Id).Append(": ")
                .Append(path).Append(d.Message).Append('\n');
            // A notice tells, it does not point at a mistake: no source line under it.
            var line = d.Severity == Severity.Notice || d.Span.File.Confidential ? "" : d.Span.File.GetLine(d.Span.Line);
            if (line.Length == 0)
            {
                continue;
            }
            var number = d.Span.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var gutter = new string(' ', number.Length);
            var start = Math.Clamp(d.Span.Column - 1, 0, line.Length);
            var end = d.Span.EndLine == d.Span.Line ? Math.Clamp(d.Span.EndColumn - 1, start + 1, Math.Max(line.Length, start + 1)) : line.Length;
            var caretPad = new StringBuilder();
            for (var i = 0; i < start; i++)
            {
                caretPad.Append(line[i] == '\t' ? '\t' : ' ');
            }
            text.Append(' ').Append(number).Append(" | ").Append(line).Append('\n');
            text.Append(' ').Append(gutter).Append(" | ").Append(caretPad).Append('^', Math.Max(1, end - start)).Append('\n');
        }
        return text.ToString();
    }

    /// <param name="more">Writes properties after the diagnostics (validate's per-task roles).</param>
    public static string Json(IEnumerable<Diagnostic> diagnostics, Action<Utf8JsonWriter>? more = null) => JsonText.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", 1);
        writer.WriteStartArray("diagnostics");
        foreach (var d in diagnostics)
        {
            writer.WriteStartObject();
            writer.WriteString("id", d.Id);
            writer.WriteString("severity", d.SeverityName);
            writer.WriteString("file", d.Span.File.DisplayPath);
            writer.WriteNumber("line", d.Span.Line);
            writer.WriteNumber("column", d.Span.Column);
            writer.WriteNumber("endLine", d.Span.EndLine);
            writer.WriteNumber("endColumn", d.Span.EndColumn);
            if (d.Path is not null)
            {
                writer.WriteString("path", d.Path);
            }
            writer.WriteString("message", d.Message);
            writer.WriteString("title", d.Descriptor.Title);
            writer.WriteString("help", d.Descriptor.Help);
            if (d.Suggestion is not null)
            {
                writer.WriteString("suggestion", d.Suggestion);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        more?.Invoke(writer);
        writer.WriteEndObject();
    });

    public static string Sarif(IEnumerable<Diagnostic> diagnostics, string toolVersion) => JsonText.Write(writer =>
    {
        var list = diagnostics.ToList();
        var rules = list.Select(d => d.Descriptor).DistinctBy(d => d.Id).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        writer.WriteStartObject();
        writer.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        writer.WriteString("version", "2.1.0");
        writer.WriteStartArray("runs");
        writer.WriteStartObject();
        writer.WriteStartObject("tool");
        writer.WriteStartObject("driver");
        writer.WriteString("name", "sls-fargate");
        writer.WriteString("version", toolVersion);
        writer.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            writer.WriteStartObject();
            writer.WriteString("id", rule.Id);
            writer.WriteStartObject("shortDescription");
            writer.WriteString("text", rule.Title);
            writer.WriteEndObject();
            writer.WriteStartObject("fullDescription");
            writer.WriteString("text", rule.Description);
            writer.WriteEndObject();
            writer.WriteStartObject("defaultConfiguration");
            writer.WriteString("level", SarifLevel(rule.DefaultSeverity));
            writer.WriteEndObject();
            // Our page for every id (it explains the rule and links its source); the AWS page,
            // where the rule encodes an AWS fact, beside it.
            writer.WriteString("helpUri", rule.Help);
            if (rule.Source is not null)
            {
                writer.WriteStartObject("properties");
                writer.WriteString("source", rule.Source);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartArray("results");
        foreach (var d in list)
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", d.Id);
            writer.WriteNumber("ruleIndex", rules.FindIndex(r => r.Id == d.Id));
            writer.WriteString("level", SarifLevel(d.Severity));
            writer.WriteStartObject("message");
            writer.WriteString("text", d.Path is null ? d.Message : $"{d.Path}: {d.Message}");
            writer.WriteEndObject();
            writer.WriteStartArray("locations");
            writer.WriteStartObject();
            writer.WriteStartObject("physicalLocation");
            writer.WriteStartObject("artifactLocation");
            writer.WriteString("uri", d.Span.File.DisplayPath.Replace('\\', '/'));
            writer.WriteEndObject();
            writer.WriteStartObject("region");
            writer.WriteNumber("startLine", d.Span.Line);
            writer.WriteNumber("startColumn", d.Span.Column);
            writer.WriteNumber("endLine", d.Span.EndLine);
            writer.WriteNumber("endColumn", d.Span.EndColumn);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static string SarifLevel(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };
}

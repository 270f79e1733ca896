using System.Text.Json.Nodes;
using ServerlessFargate.Diagnostics;

namespace ServerlessFargate.CloudFormation;

/// <summary>Writes templates deterministically: the same tree always gives the same bytes.</summary>
public static class TemplateWriter
{
    public static string Write(JsonNode json) => JsonText.Write(json);
}

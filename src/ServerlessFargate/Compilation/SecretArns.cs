using System.Text.Json.Nodes;

namespace ServerlessFargate.Compilation;

/// <summary>What a secret's <c>valueFrom</c> is, and the ARN an IAM policy must name to read it.</summary>
public static class SecretArns
{
    /// <summary>
    /// <c>arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::</c> is read
    /// with a policy on <c>arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf</c>: the
    /// first seven colon-separated parts. Functions (<c>!Ref MySecret</c>, the ssm: short form) are
    /// kept as they are; a <c>Fn::Sub</c> of ssm: reads a parameter.
    /// </summary>
    public static (JsonNode Arn, bool IsParameter) ForPolicy(JsonNode valueFrom)
    {
        if (valueFrom is JsonValue value && value.TryGetValue<string>(out var text))
        {
            var parts = text.Split(':');
            var isParameter = parts.Length > 2 && parts[2] == "ssm";
            var arn = !isParameter && parts.Length > 7 ? string.Join(':', parts[..7]) : text;
            return (JsonValue.Create(arn), isParameter);
        }
        var isSsmSub = valueFrom is JsonObject sub && sub["Fn::Sub"] is JsonValue template
            && template.TryGetValue<string>(out var subText) && subText.Contains(":ssm:", StringComparison.Ordinal);
        return (valueFrom.DeepClone(), isSsmSub);
    }
}

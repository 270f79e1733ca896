using System.Text.Json.Nodes;

namespace ServerlessFargate.CloudFormation;

/// <summary>CloudFormation intrinsic functions as JSON.</summary>
public static class Fn
{
    public static JsonObject Ref(string logicalId) => new() { ["Ref"] = logicalId };

    public static JsonObject GetAtt(string logicalId, string attribute) =>
        new() { ["Fn::GetAtt"] = new JsonArray(logicalId, attribute) };

    public static JsonObject Sub(string text) => new() { ["Fn::Sub"] = text };

    /// <summary>An ARN in the stack's partition: <c>arn:aws:...</c>, <c>arn:aws-cn:...</c> in China.</summary>
    public static JsonObject PartitionArn(string rest) => Sub("arn:${AWS::Partition}:" + rest);

    /// <summary>Whether <paramref name="node"/> is one function: <c>{"Ref": ...}</c> or <c>{"Fn::...": ...}</c>.</summary>
    public static bool IsFunction(JsonObject node) =>
        node.Count == 1 && Yaml.YNodeJson.IsFunctionKey(node.First().Key);
}

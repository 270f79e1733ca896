using ServerlessFargate.Diagnostics;
using ServerlessFargate.Model;

namespace ServerlessFargate.Rules;

/// <summary>
/// FG3051: <c>subnetIds: [!Ref PrivateSubnets]</c>, where <c>PrivateSubnets</c> is a
/// <c>List&lt;AWS::EC2::Subnet::Id&gt;</c> or <c>CommaDelimitedList</c> parameter. The parameter is
/// the whole list, so in brackets it becomes a list inside a list, which CloudFormation refuses
/// only when the stack is deployed ("Value of property Subnets must be of type List of String").
/// </summary>
internal sealed class ListParameterInListRule() : Rule(new("FG3051", "a list parameter inside a list", Severity.Error,
    "A `!Ref` to a list parameter (`List<…>`, `CommaDelimitedList`) is written as an item of `subnetIds`, `securityGroupIds` or `publicSubnetIds`. The parameter is the whole list by itself; inside brackets it becomes a list in a list, which CloudFormation refuses at deploy time.",
    Source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html"))
{
    public override void Check(RuleContext context, DiagnosticBag diagnostics)
    {
        var found = new List<(string Setting, Located<string> Item, string Task)>();
        foreach (var task in context.Tasks)
        {
            found.AddRange(task.Network.SubnetIds.ListsInside.Select(item => ("subnetIds", item, task.Key)));
            found.AddRange(task.Network.SecurityGroupIds.ListsInside.Select(item => ("securityGroupIds", item, task.Key)));
        }
        found.AddRange(context.Model.LoadBalancer.PublicSubnetIds.ListsInside.Select(item => ("publicSubnetIds", item, "")));

        // A list written at the fargate level reaches every task: report it once, where it is written.
        foreach (var group in found.GroupBy(f => (f.Setting, f.Item.Span)))
        {
            var (setting, item, task) = group.First();
            var path = setting == "publicSubnetIds" || group.Count() > 1 ? $"fargate.vpc.{setting}" : $"fargate.tasks.{task}.vpc.{setting}";
            diagnostics.Error(Descriptor, item.Span,
                $"`!Ref {item.Value}` is a list parameter, which is the whole list by itself; in brackets it becomes a list inside the list, which CloudFormation refuses. " +
                $"Write `{setting}: !Ref {item.Value}` without brackets, and put any other items in the parameter's value",
                path);
        }
    }
}

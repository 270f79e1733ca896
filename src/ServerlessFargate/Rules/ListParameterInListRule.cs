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
        var lists = context.Tasks.SelectMany(t => new[] { t.Network.SubnetIds, t.Network.SecurityGroupIds }).Append(context.Model.LoadBalancer.PublicSubnetIds);
        // A list written at the fargate or provider level reaches every task: report it once.
        var reported = new HashSet<SourceSpan>();
        foreach (var list in lists)
        {
            foreach (var item in list.ListsInside.Where(i => reported.Add(i.Span)))
            {
                var setting = list.WrittenAt?[(list.WrittenAt.LastIndexOf('.') + 1)..] ?? "subnetIds";
                diagnostics.Error(Descriptor, item.Span,
                    $"`!Ref {item.Value}` is a list parameter, which is the whole list by itself; in brackets it becomes a list inside the list, which CloudFormation refuses. " +
                    $"Write `{setting}: !Ref {item.Value}` without brackets, and put any other items in the parameter's value",
                    list.WrittenAt);
            }
        }
    }
}

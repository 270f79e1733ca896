using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessFargate.CloudFormation;
using ServerlessFargate.Model;

namespace ServerlessFargate.Compilation;

/// <summary>
/// The network generated for tasks that name no subnets (the wish the seed blog post ends on):
/// a VPC, two public subnets in the region's first two availability zones, an internet gateway
/// and the route to it, and a security group for the tasks that admits nothing inbound. Tasks
/// get public IPs to reach ECR and CloudWatch Logs, so no NAT gateway is needed (or paid for).
/// </summary>
internal static class NetworkCompiler
{
    public static void Add(CompiledTemplate template, GeneratedNetwork network, IReadOnlyList<KeyValuePair<string, JsonNode>> tags)
    {
        var (vpcCidr, halves) = Split(network.Cidr.Value);
        template.Add(LogicalIds.Vpc, Properties.Tagged("AWS::EC2::VPC", tags, new JsonObject
        {
            ["CidrBlock"] = vpcCidr,
            ["EnableDnsHostnames"] = true,
            ["EnableDnsSupport"] = true,
        }));
        template.Add(LogicalIds.InternetGateway, Properties.Tagged("AWS::EC2::InternetGateway", tags, []));
        template.Add(LogicalIds.GatewayAttachment, new Resource("AWS::EC2::VPCGatewayAttachment", new JsonObject
        {
            ["VpcId"] = Fn.Ref(LogicalIds.Vpc),
            ["InternetGatewayId"] = Fn.Ref(LogicalIds.InternetGateway),
        }));
        template.Add(LogicalIds.RouteTable, Properties.Tagged("AWS::EC2::RouteTable", tags, new JsonObject { ["VpcId"] = Fn.Ref(LogicalIds.Vpc) }));
        // The route needs the gateway attached first; CloudFormation cannot see that from the properties.
        template.Add(LogicalIds.DefaultRoute, new Resource("AWS::EC2::Route", new JsonObject
        {
            ["RouteTableId"] = Fn.Ref(LogicalIds.RouteTable),
            ["DestinationCidrBlock"] = "0.0.0.0/0",
            ["GatewayId"] = Fn.Ref(LogicalIds.InternetGateway),
        }, [LogicalIds.GatewayAttachment]));

        for (var number = 1; number <= 2; number++)
        {
            template.Add(LogicalIds.PublicSubnet(number), Properties.Tagged("AWS::EC2::Subnet", tags, new JsonObject
            {
                ["VpcId"] = Fn.Ref(LogicalIds.Vpc),
                ["AvailabilityZone"] = Select(number - 1, new JsonObject { ["Fn::GetAZs"] = "" }),
                ["CidrBlock"] = halves[number - 1],
            }));
            template.Add(LogicalIds.PublicSubnetRoute(number), new Resource("AWS::EC2::SubnetRouteTableAssociation", new JsonObject
            {
                ["SubnetId"] = Fn.Ref(LogicalIds.PublicSubnet(number)),
                ["RouteTableId"] = Fn.Ref(LogicalIds.RouteTable),
            }));
        }

        template.Add(LogicalIds.TasksSecurityGroup, Properties.Tagged("AWS::EC2::SecurityGroup", tags, new JsonObject
        {
            ["GroupDescription"] = "Fargate tasks: no inbound traffic, any outbound",
            ["VpcId"] = Fn.Ref(LogicalIds.Vpc),
            ["SecurityGroupEgress"] = new JsonArray(new JsonObject
            {
                ["IpProtocol"] = "-1",
                ["CidrIp"] = "0.0.0.0/0",
                ["Description"] = "image pulls, logs and the tasks' own calls",
            }),
        }));
        template.Add(LogicalIds.VpcIdOutput, new Output(Fn.Ref(LogicalIds.Vpc)));
    }

    /// <summary>The awsvpc settings of a task on the generated network.</summary>
    public static JsonObject TaskNetwork() => new()
    {
        ["AssignPublicIp"] = "ENABLED",
        ["SecurityGroups"] = new JsonArray(Fn.Ref(LogicalIds.TasksSecurityGroup)),
        ["Subnets"] = new JsonArray(Fn.Ref(LogicalIds.PublicSubnet(1)), Fn.Ref(LogicalIds.PublicSubnet(2))),
    };

    /// <summary>
    /// The range as a network address, and its two halves, computed here rather than with
    /// Fn::Cidr so the template reads plainly: 10.0.0.0/16 gives 10.0.0.0/17 and 10.0.128.0/17.
    /// (The schema admits /16 to /27, so each half is at least the /28 a subnet needs.)
    /// </summary>
    private static (string Network, string[] Halves) Split(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var prefix = int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture);
        var bytes = System.Net.IPAddress.Parse(cidr[..slash]).GetAddressBytes();
        var address = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
        var network = address & (uint.MaxValue << (32 - prefix));
        var half = 1u << (32 - prefix - 1);
        return (Format(network, prefix), [Format(network, prefix + 1), Format(network + half, prefix + 1)]);
    }

    private static string Format(uint address, int prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}/{prefix}");

    private static JsonObject Select(int index, JsonNode list) => new() { ["Fn::Select"] = new JsonArray(index, list) };
}

#!/usr/bin/env python3
"""Writes src/ServerlessFargate.Aws/Planning/resource-replacement.json, the data behind `sls-fargate plan`.

Usage: python3 scripts/generate-replacement-data.py [--date YYYY-MM-DD] [--out FILE]

Reads the CloudFormation resource provider schemas bundled with cfn-lint (us-east-1) and records,
per resource type, which property changes make CloudFormation replace the resource, and which
property gives it a custom physical name. Beside that, hand-curated lists (below, one reason each):
types that lose data when deleted, types whose replacement interrupts traffic, and types whose
replacement is the ordinary way a change rolls out.

The output is deterministic for a given cfn-lint version and --date (default: today);
ChangePlanReplacementDataTests runs this script with the checked-in file's date and compares bytes.
"""

import argparse
import datetime
import json
import re
import sys

from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
from cfnlint.version import __version__ as CFN_LINT_VERSION

REGION = "us-east-1"
GENERATOR = "scripts/generate-replacement-data.py"
DEFAULT_OUT = "src/ServerlessFargate.Aws/Planning/resource-replacement.json"

# cfn-lint also lists "Module", its stand-in for CloudFormation modules; that is not a resource type.
RESOURCE_TYPE = re.compile(r"^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$")

DELETION_POLICY_DOC = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html"
UPDATE_BEHAVIOURS_DOC = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html"


def cli(service, operation):
    """The AWS CLI reference page of the API call CloudFormation makes; it states what the call deletes."""
    return f"https://docs.aws.amazon.com/cli/latest/reference/{service}/{operation}.html"


# Data is gone when CloudFormation deletes the resource: on removal (unless DeletionPolicy keeps
# it) and on replacement (unless UpdateReplacePolicy keeps the old one). A third element names a
# property that, when set, means the resource keeps no data of its own.
STATEFUL = {
    "AWS::DynamoDB::Table": ("its items are deleted with the table", cli("dynamodb", "delete-table")),
    "AWS::DynamoDB::GlobalTable": ("its items are deleted with the table, in every replica Region", cli("dynamodb", "delete-table")),
    "AWS::S3::Bucket": ("its objects go with it (CloudFormation deletes only an empty bucket; a non-empty one fails to delete and is left behind)", cli("s3api", "delete-bucket")),
    "AWS::S3Express::DirectoryBucket": ("its objects go with it", cli("s3api", "delete-bucket")),
    # An Aurora instance (one with DBClusterIdentifier) keeps its data in the cluster.
    "AWS::RDS::DBInstance": ("its databases are deleted with the instance (unless a final snapshot is taken)", cli("rds", "delete-db-instance"), "DBClusterIdentifier"),
    "AWS::RDS::DBCluster": ("an Aurora or Multi-AZ cluster's databases are deleted with it (unless a final snapshot is taken)", cli("rds", "delete-db-cluster")),
    "AWS::DocDB::DBCluster": ("its documents are deleted with the cluster (unless a final snapshot is taken)", cli("docdb", "delete-db-cluster")),
    "AWS::DocDBElastic::Cluster": ("its documents are deleted with the cluster", cli("docdb-elastic", "delete-cluster")),
    "AWS::Neptune::DBCluster": ("its graph is deleted with the cluster (unless a final snapshot is taken)", cli("neptune", "delete-db-cluster")),
    "AWS::NeptuneGraph::Graph": ("its graph data is deleted with it", cli("neptune-graph", "delete-graph")),
    "AWS::EFS::FileSystem": ("its files are deleted with the file system", cli("efs", "delete-file-system")),
    "AWS::FSx::FileSystem": ("its files are deleted with the file system (unless a final backup is taken)", cli("fsx", "delete-file-system")),
    "AWS::FSx::Volume": ("its files are deleted with the volume", cli("fsx", "delete-volume")),
    "AWS::SQS::Queue": ("messages waiting in the queue are deleted with it", cli("sqs", "delete-queue")),
    "AWS::Kinesis::Stream": ("records in the stream are deleted with it", cli("kinesis", "delete-stream")),
    "AWS::MSK::Cluster": ("its topics and their messages are deleted with the cluster", cli("kafka", "delete-cluster")),
    "AWS::Logs::LogGroup": ("its log events are deleted with it", cli("logs", "delete-log-group")),
    "AWS::KMS::Key": ("once the key is deleted (after a 7 to 30 day wait) everything it encrypted is unreadable", cli("kms", "schedule-key-deletion")),
    "AWS::KMS::ReplicaKey": ("once the key is deleted (after a 7 to 30 day wait) everything it encrypted in its Region is unreadable", cli("kms", "schedule-key-deletion")),
    "AWS::SecretsManager::Secret": ("the secret's value is deleted with it", cli("secretsmanager", "delete-secret")),
    "AWS::SSM::Parameter": ("the parameter's value and history are deleted with it", cli("ssm", "delete-parameter")),
    "AWS::ElastiCache::CacheCluster": ("its cached data is deleted with it (unless a final snapshot is taken)", cli("elasticache", "delete-cache-cluster")),
    "AWS::ElastiCache::ReplicationGroup": ("its data is deleted with it (unless a final snapshot is taken)", cli("elasticache", "delete-replication-group")),
    "AWS::ElastiCache::ServerlessCache": ("its data is deleted with it (unless a final snapshot is taken)", cli("elasticache", "delete-serverless-cache")),
    "AWS::MemoryDB::Cluster": ("its data is deleted with it (unless a final snapshot is taken)", cli("memorydb", "delete-cluster")),
    "AWS::OpenSearchService::Domain": ("its indices are deleted with the domain", cli("opensearch", "delete-domain")),
    "AWS::Elasticsearch::Domain": ("its indices are deleted with the domain", cli("es", "delete-elasticsearch-domain")),
    "AWS::OpenSearchServerless::Collection": ("its indices are deleted with the collection", cli("opensearchserverless", "delete-collection")),
    "AWS::Redshift::Cluster": ("its databases are deleted with the cluster (unless a final snapshot is taken)", cli("redshift", "delete-cluster")),
    "AWS::RedshiftServerless::Namespace": ("its databases are deleted with the namespace (unless a final snapshot is taken)", cli("redshift-serverless", "delete-namespace")),
    "AWS::Timestream::Table": ("its records are deleted with the table", cli("timestream-write", "delete-table")),
    "AWS::Cassandra::Table": ("its rows are deleted with the table", cli("keyspaces", "delete-table")),
    "AWS::Cognito::UserPool": ("its users, and their passwords, are deleted with the pool", cli("cognito-idp", "delete-user-pool")),
    "AWS::ECR::Repository": ("its images go with it (a repository that holds images fails to delete unless EmptyOnDelete is true)", cli("ecr", "delete-repository")),
    "AWS::EC2::Volume": ("the data on the volume is deleted with it (unless a snapshot is taken)", cli("ec2", "delete-volume")),
    "AWS::Backup::BackupVault": ("its recovery points, the backups themselves, must go first; a vault that holds any fails to delete", cli("backup", "delete-backup-vault")),
}

# Where no DeletionPolicy is given, CloudFormation snapshots these instead of deleting outright
# (for a DBInstance, one without DBClusterIdentifier: the stateful entry's exception).
DEFAULT_DELETION_POLICY = {
    "AWS::RDS::DBCluster": {"policy": "Snapshot", "source": DELETION_POLICY_DOC},
    "AWS::RDS::DBInstance": {"policy": "Snapshot", "source": DELETION_POLICY_DOC},
}

# Replacing these interrupts traffic or running work: CloudFormation creates the new resource,
# moves references over, then deletes the old one, and what depended on the old one's identity
# (an address, running tasks, a listener's port) does not carry over.
DOWNTIME = {
    "AWS::ECS::Service": ("the old service's tasks are stopped and a new service starts its own; until those run and pass health checks, fewer tasks serve", cli("ecs", "delete-service")),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("a new load balancer has a new DNS name; clients and DNS records that point at the old one fail when it is deleted", cli("elbv2", "delete-load-balancer")),
    "AWS::ElasticLoadBalancingV2::Listener": ("while the old listener is deleted and the new one created, the port does not accept connections", cli("elbv2", "delete-listener")),
    "AWS::ElasticLoadBalancingV2::TargetGroup": ("a new target group starts empty: its targets register and pass health checks before they get traffic", cli("elbv2", "delete-target-group")),
    "AWS::ElasticLoadBalancing::LoadBalancer": ("a new load balancer has a new DNS name; clients that point at the old one fail when it is deleted", cli("elb", "delete-load-balancer")),
    "AWS::EC2::Instance": ("the old instance is terminated: whatever ran on it stops, and its addresses change", cli("ec2", "terminate-instances")),
    "AWS::EC2::NatGateway": ("private subnets lose outbound traffic while routes move, and the public address changes", cli("ec2", "delete-nat-gateway")),
    "AWS::AutoScaling::AutoScalingGroup": ("the old group's instances are terminated once the new group exists", cli("autoscaling", "delete-auto-scaling-group")),
    "AWS::ApiGateway::RestApi": ("a new API has a new ID, so its execute-api URL changes", cli("apigateway", "delete-rest-api")),
    "AWS::ApiGatewayV2::Api": ("a new API has a new ID, so its execute-api URL changes", cli("apigatewayv2", "delete-api")),
    "AWS::CloudFront::Distribution": ("a new distribution has a new domain name and takes minutes to deploy to the edge", cli("cloudfront", "delete-distribution")),
}

# Replacing these is how a change is meant to roll out: no risk.
BENIGN = {
    "AWS::ECS::TaskDefinition": ("a new task definition revision: how ECS rolls out a change", cli("ecs", "register-task-definition")),
    "AWS::Lambda::Version": ("a new version of the function is published; the old one stays until CloudFormation deletes it", cli("lambda", "publish-version")),
}

# Types whose create-only name does not make a replacement fail. A task definition's Family is
# not a unique name: a replacement registers the next revision of the same family.
NO_NAME_PROPERTY = {"AWS::ECS::TaskDefinition"}

PROPERTIES_PREFIX = "/properties/"


def paths(schema, key):
    """JSON pointers under /properties/ as 'A/B' paths; '*' (any array item) kept."""
    result = set()
    for pointer in schema.get(key) or []:
        if not pointer.startswith(PROPERTIES_PREFIX):
            raise SystemExit(f"{schema.get('typeName')}: {key} has {pointer!r}, outside /properties/")
        result.add(pointer[len(PROPERTIES_PREFIX):])
    return result


def without_covered(candidates, covering):
    """Drops paths that an ancestor in `covering` already decides: a change under
    ConnectPeerConfiguration is a replacement whether or not its PeerAddress changed."""
    return sorted(p for p in candidates if not any(p != c and p.startswith(c + "/") for c in covering))


def is_string(schema, prop):
    node = schema.get("properties", {}).get(prop, {})
    ref = node.get("$ref", "")
    if ref.startswith("#/definitions/"):
        node = {**schema.get("definitions", {}).get(ref[len("#/definitions/"):], {}), **{k: v for k, v in node.items() if k != "$ref"}}
    kind = node.get("type")
    return kind == "string" or (isinstance(kind, list) and kind == ["string"])


def name_property(type_name, schema, create_only):
    """The property that gives the resource a custom physical name, or None.

    CloudFormation cannot replace a resource whose custom name stays the same: the new resource
    would need the name the old one still holds. A property counts when it is a top-level string
    the template writes (not read-only), create-only (a new name means a new resource), and
    either the type's sole primaryIdentifier (AWS::Logs::LogGroup's LogGroupName, AWS::RDS::
    DBInstance's DBInstanceIdentifier), or named `Name` (AWS::SSM::Parameter, AWS::Events::Rule),
    `<TypeSuffix>Name` (AWS::DynamoDB::Table's TableName, AWS::SQS::Queue's QueueName),
    `<TypeSuffix>Identifier` (AWS::DocDB::DBCluster's DBClusterIdentifier) or `<LastWord>Name`
    (AWS::EC2::SecurityGroup's GroupName, AWS::Logs::SubscriptionFilter's FilterName).
    Checked by hand on DynamoDB tables, S3 buckets, SQS queues, log groups, ECS services and
    clusters, IAM roles, Lambda functions (and versions: none), ELBv2 load balancers, target
    groups (and listeners: none), SNS topics, Secrets Manager secrets, SSM parameters, ECR
    repositories, RDS instances, DocumentDB clusters and security groups: the last two needed the
    last two forms. Some names are unique only within a parent (an inline IAM policy within its
    role, a service within its cluster); the planner still warns when such a name stays the same.
    """
    if type_name in NO_NAME_PROPERTY:
        return None
    read_only = paths(schema, "readOnlyProperties")
    suffix = type_name.rsplit("::", 1)[1]
    primary = [p[len(PROPERTIES_PREFIX):] for p in schema.get("primaryIdentifier") or [] if p.startswith(PROPERTIES_PREFIX)]
    candidates = [p for p in sorted(create_only) if "/" not in p and p not in read_only and is_string(schema, p)]
    last_word = re.findall(r"[A-Z][a-z0-9]*", suffix)[-1:] or [suffix]
    wanted_names = ([primary[0]] if len(primary) == 1 else []) + ["Name", suffix + "Name", suffix + "Identifier", last_word[0] + "Name"]
    for wanted in wanted_names:
        if wanted in candidates:
            return wanted
    return None


def curated(table, types):
    section = {}
    for type_name, (reason, source, *unless_set) in sorted(table.items()):
        if type_name not in types:
            raise SystemExit(f"{type_name} is curated here but cfn-lint {CFN_LINT_VERSION} has no schema for it")
        section[type_name] = {"reason": reason, "source": source, **({"unlessSet": unless_set[0]} if unless_set else {})}
    return section


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", default=datetime.date.today().isoformat(), help="the date to record (default: today)")
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()

    types = {}
    for type_name in sorted(PROVIDER_SCHEMA_MANAGER.get_resource_types(REGION)):
        if not RESOURCE_TYPE.match(type_name):
            continue
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(REGION, type_name).schema
        create_only = paths(schema, "createOnlyProperties")
        conditional = paths(schema, "conditionalCreateOnlyProperties") - create_only
        entry = {}
        if create_only:
            entry["createOnly"] = without_covered(create_only, create_only)
        if conditional:
            entry["conditionalCreateOnly"] = without_covered(conditional, create_only | conditional)
        name = name_property(type_name, schema, create_only)
        if name:
            entry["nameProperty"] = name
        types[type_name] = entry

    for type_name in DEFAULT_DELETION_POLICY:
        if type_name not in STATEFUL:
            raise SystemExit(f"{type_name} has a default deletion policy but is not in STATEFUL")
    document = {
        "source": f"cfn-lint {CFN_LINT_VERSION} bundled CloudFormation resource schemas, region {REGION}",
        "generator": GENERATOR,
        "generated": args.date,
        "replacementDocs": UPDATE_BEHAVIOURS_DOC,
        "stateful": curated(STATEFUL, types),
        "defaultDeletionPolicy": {k: DEFAULT_DELETION_POLICY[k] for k in sorted(DEFAULT_DELETION_POLICY)},
        "downtime": curated(DOWNTIME, types),
        "benign": curated(BENIGN, types),
        "types": types,
    }
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write(render(document))


def render(document):
    """Top-level keys in the order above; one line per curated or resource type (compact, and a
    schema update shows as a diff of the types that changed)."""
    compact = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False}
    lines = ["{"]
    keys = list(document)
    for i, key in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        value = document[key]
        if isinstance(value, dict):
            lines.append(f"  {json.dumps(key)}: {{")
            inner = list(value)
            for j, name in enumerate(inner):
                lines.append(f"    {json.dumps(name)}: {json.dumps(value[name], **compact)}" + ("," if j < len(inner) - 1 else ""))
            lines.append("  }" + comma)
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, **compact)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())

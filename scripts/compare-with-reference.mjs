// Compares the Fargate part of the reference plugin's template with sls-fargate's for the same
// configuration. Called by compare-with-reference.sh: node compare-with-reference.mjs REFERENCE_DIR CLI EXAMPLE...
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';

const [referenceDir, cli, ...examples] = process.argv.slice(2);
const require = createRequire(join(referenceDir, 'node_modules', 'noop.js'));
const yaml = require('js-yaml');
const cloudformationSchema = require('@serverless/utils/cloudformation-schema');

// The differences we make on purpose; each is in the README's migration section.
const INTENDED = {
  roleArn: 'task definitions reference generated roles by ARN (Fn::GetAtt), not by name (Fn::Sub)',
  executionRoleTrust: 'the execution role trusts only ecs-tasks.amazonaws.com and has only the task execution policy (partition-aware)',
  eventsRole: 'scheduled tasks start through FargateIamEventsRole, scoped to RunTask on their task definitions and PassRole on their roles',
  emptyLists: 'empty EntryPoint, Command, Environment, Tags, Policies and ManagedPolicyArns are left out',
  cpuString: 'Cpu is written as a string, the type the resource schema declares',
  circuitBreaker: 'services have the deployment circuit breaker with rollback on (circuitBreaker: false turns it off)',
  spotStopTimeout: 'containers of Spot tasks get StopTimeout 120, the whole of Spot\'s two-minute warning',
  trustConditions: 'generated roles may be assumed for this account\'s resources only (aws:SourceAccount, aws:SourceArn)',
};

let failures = 0;
for (const example of examples) {
  const name = basename(example.replace(/\/+$/, ''));
  const work = mkdtempSync(join(tmpdir(), `compare-${name}-`));
  try {
    cpSync(example, work, { recursive: true, filter: source => !/(node_modules|\.serverless)/.test(source) });
    const config = rewriteForReference(readFileSync(join(work, 'serverless.yml'), 'utf8'));
    writeFileSync(join(work, 'serverless.yml'), yaml.dump(config, { noRefs: true, lineWidth: -1 }));

    const reference = runReference(work);
    const ours = runOurs(work);
    const userIds = new Set(Object.keys(config.resources?.Resources ?? {}));
    failures += compare(name, reference, ours, userIds);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
process.exit(failures === 0 ? 0 : 1);

/** The same service in the form the reference reads: images as digest URIs, newer key names, lists. */
function rewriteForReference(text) {
  const config = yaml.load(text, { schema: cloudformationSchema });
  config.plugins = ['serverless-fargate'];
  const region = config.provider.region ?? 'us-east-1';
  for (const [image, settings] of Object.entries(config.provider.ecr?.images ?? {})) {
    if (settings.path) {
      const digest = createHash('sha256').update(image).digest('hex');
      config.provider.ecr.images[image] = { uri: `123456789012.dkr.ecr.${region}.amazonaws.com/${config.service}@sha256:${digest}` };
    }
  }
  const fargate = config.fargate;
  for (const level of [fargate, ...Object.values(fargate.tasks ?? {})]) {
    if (level.vpc && typeof level.vpc === 'object') {
      for (const [old, current] of [['subnets', 'subnetIds'], ['securityGroups', 'securityGroupIds']]) {
        if (old in level.vpc) {
          level.vpc[current] = level.vpc[old];
          delete level.vpc[old];
        }
      }
      for (const key of ['subnetIds', 'securityGroupIds']) {
        if (typeof level.vpc[key] === 'string') level.vpc[key] = [level.vpc[key]];
      }
    }
    for (const key of ['command', 'entryPoint', 'dependsOn']) {
      if (typeof level[key] === 'string') level[key] = [level[key]];
      if (Array.isArray(level[key])) level[key] = level[key].map(String);
    }
    if (typeof level.memory === 'number') level.memory = String(level.memory);
  }
  return config;
}

function runReference(work) {
  const home = join(work, '.home');
  execFileSync(join(referenceDir, 'node_modules', '.bin', 'serverless'), ['package', '--stage', 'dev'], {
    cwd: work,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      HOME: home,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      NODE_PATH: join(referenceDir, 'node_modules'),
    },
  });
  return JSON.parse(readFileSync(join(work, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'));
}

function runOurs(work) {
  const out = execFileSync(cli, ['package', work, '--stage', 'dev', '--out', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.toString('utf8'));
}

function compare(name, reference, ours, userIds) {
  const isFargateId = id => !userIds.has(id) && (/^Fargate/.test(id) || /(Task|Service|ScheduledTask)$/.test(id));
  const ids = [...new Set([...Object.keys(reference.Resources), ...Object.keys(ours.Resources)])].filter(isFargateId).sort();
  const notes = new Set();
  const problems = [];

  for (const id of ids) {
    const theirs = reference.Resources[id];
    const mine = ours.Resources[id];
    if (!theirs) {
      if (id === 'FargateIamEventsRole') notes.add(INTENDED.eventsRole);
      else problems.push(`${id}: only sls-fargate has it`);
      continue;
    }
    if (!mine) {
      problems.push(`${id}: only the reference has it`);
      continue;
    }
    if (theirs.Type !== mine.Type) problems.push(`${id}: type ${theirs.Type} vs ${mine.Type}`);
    const left = normalize(structuredClone(theirs), notes);
    const right = normalize(structuredClone(mine), notes);
    if (theirs.Type === 'AWS::IAM::Role') {
      // The trust conditions are ours alone; the statement they sit in is otherwise compared.
      for (const statement of right.Properties.AssumeRolePolicyDocument?.Statement ?? []) {
        if (statement.Condition?.StringEquals?.['aws:SourceAccount']) {
          delete statement.Condition;
          notes.add(INTENDED.trustConditions);
        }
      }
    }
    if (id === 'FargateIamExecutionRole') {
      // Only the intended differences are taken out: EventBridge may not assume our execution
      // role (it has its own), so its trust and its events policy go; our managed policy ARN is
      // partition-aware, the reference's is the aws partition's literal. The rest is compared.
      const trust = left.Properties.AssumeRolePolicyDocument.Statement[0].Principal;
      trust.Service = trust.Service.filter(service => service !== 'events.amazonaws.com');
      left.Properties.ManagedPolicyArns = left.Properties.ManagedPolicyArns.filter(arn => !arn.endsWith('/AmazonEC2ContainerServiceEventsRole'));
      right.Properties.ManagedPolicyArns = right.Properties.ManagedPolicyArns.map(arn =>
        typeof arn === 'object' && typeof arn['Fn::Sub'] === 'string' ? arn['Fn::Sub'].replace('${AWS::Partition}', 'aws') : arn);
      notes.add(INTENDED.executionRoleTrust);
    }
    if (theirs.Type === 'AWS::ECS::TaskDefinition') {
      const [mine0, theirs0] = [right.Properties.ContainerDefinitions[0], left.Properties.ContainerDefinitions[0]];
      if (mine0.StopTimeout === 120 && theirs0.StopTimeout === undefined) {
        delete mine0.StopTimeout;
        notes.add(INTENDED.spotStopTimeout);
      }
    }
    if (theirs.Type === 'AWS::ECS::Service' && right.Properties.DeploymentConfiguration?.DeploymentCircuitBreaker) {
      delete right.Properties.DeploymentConfiguration.DeploymentCircuitBreaker;
      notes.add(INTENDED.circuitBreaker);
    }
    if (theirs.Type === 'AWS::Events::Rule') {
      for (const target of left.Properties.Targets) {
        if (JSON.stringify(target.RoleArn) === JSON.stringify({ 'Fn::GetAtt': ['FargateIamExecutionRole', 'Arn'] })) {
          target.RoleArn = { 'Fn::GetAtt': ['FargateIamEventsRole', 'Arn'] };
          notes.add(INTENDED.eventsRole);
        }
      }
    }
    const difference = firstDifference(left, right, id);
    if (difference) problems.push(difference);
  }

  // The framework adds an export name to every output when it finalizes its template; the
  // reference's outputs get one there. sls-fargate adds the same names when it merges into
  // that template (--merge-into, and the plugin); a standalone template has no framework exports.
  for (const output of Object.values(reference.Outputs ?? {})) delete output.Export;

  const outputIds = [...new Set([...Object.keys(reference.Outputs ?? {}), ...Object.keys(ours.Outputs ?? {})])]
    .filter(id => /(TaskArn|ServiceArn|ScheduledTaskArn)$/.test(id) && !userIds.has(id)).sort();
  for (const id of outputIds) {
    const difference = firstDifference(normalize(reference.Outputs?.[id], notes), normalize(ours.Outputs?.[id], notes), `Outputs.${id}`);
    if (difference) problems.push(difference);
  }

  console.log(`${name}: ${ids.length} resources and ${outputIds.length} outputs compared, ${problems.length} unexpected differences`);
  for (const note of [...notes].sort()) console.log(`  intended: ${note}`);
  for (const problem of problems) console.log(`  UNEXPECTED: ${problem}`);
  return problems.length;
}

/** Rewrites both sides into one vocabulary, recording which intended differences were seen. */
function normalize(node, notes, key) {
  if (Array.isArray(node)) {
    return node.map(item => normalize(item, notes));
  }
  if (node === null || typeof node !== 'object') {
    if (key === 'Cpu' && typeof node === 'number') {
      notes.add(INTENDED.cpuString);
      return String(node);
    }
    return node;
  }
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'Fn::Sub' && typeof node['Fn::Sub'] === 'string') {
    const match = /^\$\{([A-Za-z0-9:]+)\}$/.exec(node['Fn::Sub']);
    if (match) {
      if (/^FargateIam(Execution|Task)Role$/.test(match[1])) notes.add(INTENDED.roleArn);
      return { Ref: match[1] };
    }
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && /^FargateIam(Execution|Task)Role$/.test(node['Fn::GetAtt'][0])
      && node['Fn::GetAtt'][1] === 'Arn' && (key === 'ExecutionRoleArn' || key === 'TaskRoleArn')) {
    return { Ref: node['Fn::GetAtt'][0] };
  }
  const result = {};
  for (const [k, value] of Object.entries(node)) {
    if (Array.isArray(value) && value.length === 0
        && ['EntryPoint', 'Command', 'Environment', 'Tags', 'Policies', 'ManagedPolicyArns'].includes(k)) {
      notes.add(INTENDED.emptyLists);
      continue;
    }
    result[k] = normalize(value, notes, k);
  }
  return result;
}

/** Key order does not matter to CloudFormation; list order does. */
function canonical(node) {
  if (Array.isArray(node)) return node.map(canonical);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.keys(node).sort().map(k => [k, canonical(node[k])]));
}

function firstDifference(left, right, path) {
  if (JSON.stringify(canonical(left)) === JSON.stringify(canonical(right))) return null;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null
      || Array.isArray(left) !== Array.isArray(right)) {
    return `${path}: reference ${JSON.stringify(left)} vs ours ${JSON.stringify(right)}`;
  }
  for (const k of new Set([...Object.keys(left), ...Object.keys(right)])) {
    const difference = firstDifference(left[k], right[k], `${path}.${k}`);
    if (difference) return difference;
  }
  return null;
}

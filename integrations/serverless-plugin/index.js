'use strict';

// A thin shim: it hands the resolved `fargate` block to the sls-fargate engine and merges what
// the engine returns into the framework's template. All validation and compilation happen in the
// engine (the same code as `sls-fargate package`); see docs/plugin-contract.md for the exchange.

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const CONTRACT_VERSION = 1;
const TASK_OPTION = { usage: 'The task (its key under fargate.tasks)', shortcut: 't', required: true, type: 'string' };
const RAW_OPTION = { usage: 'Print what AWS and the containers said byte for byte (default: control characters escaped)', type: 'boolean' };
// The `serverless fargate` commands. Each option is passed on as the engine's option of the same
// name (`--name`), and `task` (when a command takes one) as the engine's first argument;
// PluginCommandTests holds this table against the engine's own commands.
const FARGATE_COMMANDS = {
  run: {
    usage: 'Run a task once: print its log lines, wait for it to stop, exit with its exit code (125: run itself failed)',
    task: true,
    options: {
      command: { usage: 'The command instead of the task\'s own', type: 'string' },
      env: { usage: 'NAME=VALUE for this run, or NAME for its value here (repeat for more)', shortcut: 'e', type: 'multiple' },
      'env-file': { usage: 'Variables for this run from a dotenv file (before --env)', type: 'multiple' },
      detach: { usage: 'Print the task ARN once started and do not wait', type: 'boolean' },
      timeout: { usage: 'Stop waiting after this long (90s, 10m, 2h)', type: 'string' },
      'stop-on-interrupt': { usage: 'On Ctrl-C, stop the task too', type: 'boolean' },
      raw: RAW_OPTION,
    },
  },
  logs: {
    usage: 'Print a task\'s log lines, all its runs merged in time order',
    task: true,
    options: {
      follow: { usage: 'Keep printing new lines until Ctrl-C', shortcut: 'f', type: 'boolean' },
      since: { usage: 'From when: 10m, 2h, 1d or an ISO-8601 time (default 10m)', type: 'string' },
      filter: { usage: 'A CloudWatch Logs filter pattern', type: 'string' },
      'task-id': { usage: 'Only this task\'s lines', type: 'string' },
      raw: RAW_OPTION,
    },
  },
  status: {
    usage: 'Show every task: counts, deployments, schedules, last runs, failures',
    options: {
      format: { usage: 'text or json', type: 'string' },
      raw: RAW_OPTION,
    },
  },
  plan: {
    usage: 'Package, then show what deploy would change in the stack (functions included), with the risks: data-loss, downtime, update-fails',
    options: {
      format: { usage: 'text or json', type: 'string' },
      raw: RAW_OPTION,
    },
  },
  cost: {
    usage: 'Estimate what the tasks cost a month, with every assumption stated (no AWS call unless --measured)',
    options: {
      format: { usage: 'text or json', type: 'string' },
      duration: { usage: 'TASK=D: how long one run of a scheduled task takes (30m, 1h30m); repeat for more tasks', type: 'multiple' },
      runs: { usage: 'TASK=N: how many runs a month a task\'s events start; repeat for more tasks', type: 'multiple' },
      measured: { usage: 'Take scheduled tasks\' durations from their last runs in the deployed stack', type: 'boolean' },
      raw: RAW_OPTION,
    },
  },
  exec: {
    usage: 'Open a command in a running task through ECS Exec (default /bin/sh)',
    task: true,
    options: {
      'task-id': { usage: 'Which running task (default: the newest)', type: 'string' },
      container: { usage: 'Which container (default: the task\'s own)', type: 'string' },
      command: { usage: 'The command (default /bin/sh)', type: 'string' },
      raw: RAW_OPTION,
    },
  },
};
// The framework's test for an ECR image URI (tag or digest); such URIs are resolved to digests by the framework.
const ECR_URI = /^\d+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[^@:]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/;

class ServerlessFargateDotnet {
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options || {};
    this.log = (utils && utils.log) || null;
    serverless.configSchemaHandler.defineTopLevelProperty('fargate', loadSchema((serverless.processedInput || {}).commands || []));
    this.commands = {
      fargate: {
        usage: 'Run, watch and reach the Fargate tasks of the deployed service',
        commands: Object.fromEntries(Object.entries(FARGATE_COMMANDS).map(([name, command]) => [name, {
          usage: command.usage,
          lifecycleEvents: [name],
          options: { ...(command.task ? { task: TASK_OPTION } : {}), ...command.options },
        }])),
      },
    };
    this.hooks = {
      'package:compileFunctions': () => this.compileTasks(),
      ...Object.fromEntries(Object.keys(FARGATE_COMMANDS).map(name => [`fargate:${name}:${name}`, () => this.fargate(name)])),
      'after:info:info': () => this.showInfo(),
    };
  }

  // `serverless fargate NAME`: the engine's command of that name, the task as its first argument,
  // each option the user gave as the engine's option of the same name. `plan` first has the
  // framework package the whole stack (functions, resources and our tasks) and plans that
  // template, so a `serverless deploy` that would replace a table or a load balancer is seen
  // before it runs.
  async fargate(name) {
    const command = FARGATE_COMMANDS[name];
    const positional = command.task ? [this.options.task] : [];
    if (name === 'plan') {
      await this.serverless.pluginManager.spawn('package');
      const packageFolder = path.resolve(this.serviceDir(), this.options.package || '.serverless');
      positional.push('--template', path.join(packageFolder, 'cloudformation-template-update-stack.json'));
    }
    return this.operate(name, positional, Object.keys(command.options));
  }

  // The operations run in the engine, with the configuration the framework resolved (on stdin)
  // and the credentials and region it resolved (in the environment), so profiles, MFA and roles
  // set up for the framework work unchanged. The engine's output goes straight to the terminal.
  async operate(verb, positional, options, capture = false) {
    const aws = this.serverless.getProvider('aws');
    const request = this.exchangeRequest();
    request.stackName = aws.naming.getStackName();
    // The region reaches the engine one way: the request's `region` (the framework's getRegion()).
    const args = [verb, ...positional, '--stdin', '--stage', aws.getStage()];
    for (const option of options) {
      const value = this.options[option];
      if (value === undefined || value === false) {
        continue;
      }
      for (const item of Array.isArray(value) ? value : [value]) {
        args.push(...(item === true ? [`--${option}`] : [`--${option}`, String(item)]));
      }
    }
    const engine = locateEngine(this.serviceDir());
    if (!engine) {
      throw this.error(missingEngineMessage());
    }
    const env = { ...process.env, ...(await this.credentialsEnvironment(aws)) };
    return new Promise((resolve, reject) => {
      const child = spawn(engine.command, [...engine.args, ...args], {
        cwd: this.serviceDir(),
        env,
        stdio: ['pipe', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
      });
      let stdout = '';
      let stderr = '';
      if (capture) {
        child.stdout.on('data', chunk => { stdout += chunk; });
        child.stderr.on('data', chunk => { stderr += chunk; });
      }
      // Ctrl-C reaches the engine too (same process group); it decides what to stop.
      const ignoreInterrupt = () => {};
      process.on('SIGINT', ignoreInterrupt);
      child.on('error', error => {
        process.removeListener('SIGINT', ignoreInterrupt);
        reject(this.engineError(engine, error));
      });
      child.on('close', code => {
        process.removeListener('SIGINT', ignoreInterrupt);
        if (capture) {
          resolve({ code, stdout, stderr });
          return;
        }
        // `run` exits with the task's own exit code: keep it for the shell or CI step.
        if (code !== 0) {
          process.exitCode = code;
        }
        resolve({ code });
      });
      child.stdin.on('error', () => {});
      child.stdin.end(JSON.stringify(request));
    });
  }

  // The credentials the framework resolved (profile, --aws-profile, environment, SSO cache), for
  // the engine; when the framework has none to give, the engine looks along AWS's own chain.
  async credentialsEnvironment(aws) {
    const env = {};
    let credentials;
    try {
      credentials = (aws.getCredentials() || {}).credentials;
      if (credentials && typeof credentials.getPromise === 'function') {
        await credentials.getPromise();
      }
    } catch (error) {
      return env;
    }
    if (credentials && credentials.accessKeyId && credentials.secretAccessKey) {
      env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
      env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
      env.AWS_SESSION_TOKEN = credentials.sessionToken || '';
      env.AWS_PROFILE = '';
    }
    return env;
  }

  // `serverless info`: a Fargate section with each task's kind and counts.
  async showInfo() {
    if (!(this.serverless.configurationInput || {}).fargate) {
      return;
    }
    const result = await this.operate('status', ['--format', 'json'], [], true);
    if (result.code !== 0) {
      this.warn(`Fargate tasks: ${result.stderr.trim().split('\n').pop()}`);
      return;
    }
    const lines = JSON.parse(result.stdout).tasks.map(task =>
      `${task.task}: ${task.kind}, ${task.capacity}` +
      (task.kind === 'service' ? `, ${task.running}/${task.desired} running${task.deployment ? `, ${task.deployment}` : ''}` : '') +
      (task.schedules.length > 0 ? `, ${task.schedules.map(s => s.expression).join(' and ')}` : ''));
    if (typeof this.serverless.addServiceOutputSection === 'function') {
      this.serverless.addServiceOutputSection('fargate', lines);
    } else {
      this.serverless.cli.log(['fargate:', ...lines.map(line => `  ${line}`)].join('\n'));
    }
  }

  // The configuration as the framework resolved it, in the contract's shape (docs/plugin-contract.md).
  exchangeRequest() {
    const input = this.serverless.configurationInput || {};
    const aws = this.serverless.getProvider('aws');
    return {
      version: CONTRACT_VERSION,
      configFile: this.configFile(),
      service: this.serverless.service.service,
      stage: aws.getStage(),
      region: aws.getRegion(),
      fargate: input.fargate || null,
      provider: pick(input.provider || {}, inheritedProviderKeys()),
      stackParameters: this.stackParameters(),
    };
  }

  // The stack's parameters by type, so that `subnetIds: !Ref Subnets` with a List<…> parameter
  // is the whole list, in the template and for `run`. The framework adds `resources:` to its
  // template after the compile hook, so the service's own are read from the service.
  stackParameters(templateParameters = {}) {
    return Object.fromEntries(Object.entries({ ...templateParameters, ...this.serviceParameters() })
      .filter(([, parameter]) => parameter && typeof parameter.Type === 'string')
      .map(([name, parameter]) => [name, { Type: parameter.Type }]));
  }

  async compileTasks() {
    const input = this.serverless.configurationInput || {};
    if (!input.fargate) {
      return;
    }
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const request = {
      ...this.exchangeRequest(),
      images: await this.resolveImages(input.fargate),
      existingIds: [
        ...Object.keys(template.Resources || {}),
        ...Object.keys(template.Outputs || {}),
        ...Object.keys(template.Parameters || {}),
      ],
      // The service's buckets, for `s3` events: the engine names those that must send their
      // events to EventBridge (bucketEvents below). The framework adds `resources:` to its
      // template after this hook, so they are read from the service.
      stackBuckets: Object.fromEntries(Object.entries(this.serviceResources())
        .filter(([, resource]) => resource && resource.Type === 'AWS::S3::Bucket')),
      stackParameters: this.stackParameters(template.Parameters),
      existingCounts: {
        resources: Object.keys(template.Resources || {}).length,
        outputs: Object.keys(template.Outputs || {}).length,
        parameters: Object.keys(template.Parameters || {}).length,
        bytes: Buffer.byteLength(JSON.stringify(template)),
      },
    };

    const response = this.runEngine(request);
    for (const diagnostic of response.diagnostics.filter(d => d.severity === 'warning')) {
      this.warn(`${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: warning ${diagnostic.id}: ${diagnostic.path ? diagnostic.path + ': ' : ''}${diagnostic.message}`);
    }
    if (!response.succeeded) {
      throw this.error(`sls-fargate found problems in the fargate configuration:\n${response.text}`);
    }
    for (const id of response.bucketEvents || []) {
      const bucket = this.serviceResources()[id];
      bucket.Properties = bucket.Properties || {};
      bucket.Properties.NotificationConfiguration = bucket.Properties.NotificationConfiguration || {};
      // The engine never names a bucket whose setting is a function such as Fn::If (FG3060):
      // CloudFormation takes no key beside one. Checked again so a mistake cannot break the template.
      if (isFunction(bucket.Properties) || isFunction(bucket.Properties.NotificationConfiguration)) {
        continue;
      }
      bucket.Properties.NotificationConfiguration.EventBridgeConfiguration = { EventBridgeEnabled: true };
    }
    for (const section of ['Resources', 'Outputs', 'Parameters']) {
      const additions = response[section.toLowerCase()];
      if (Object.keys(additions).length > 0) {
        template[section] = { ...(template[section] || {}), ...additions };
      }
    }
  }

  // `resources.Resources` of serverless.yml, resolved; the framework merges it into its template later.
  serviceResources() {
    const resources = this.serverless.service.resources || {};
    return resources.Resources || {};
  }

  // `resources.Parameters` of serverless.yml, resolved.
  serviceParameters() {
    const resources = this.serverless.service.resources || {};
    return resources.Parameters || {};
  }

  // Images named in provider.ecr.images, and ECR URIs, are resolved by the framework as it does
  // for functions: built and pushed once, shared with functions using the same image. Its API
  // takes a function name, so each task's image is lent a function name no function has; the
  // reference plugin used the task's own name and so replaced a function of that name.
  async resolveImages(fargate) {
    const aws = this.serverless.getProvider('aws');
    const functions = this.serverless.service.functions || (this.serverless.service.functions = {});
    const ecrImages = ((this.serverless.service.provider.ecr || {}).images) || {};
    const images = {};
    for (const [key, task] of Object.entries(fargate.tasks || {})) {
      const image = task && task.image;
      if (typeof image !== 'string' || !(Object.prototype.hasOwnProperty.call(ecrImages, image) || ECR_URI.test(image))) {
        continue;
      }
      let name = `sls-fargate-image-${key}`;
      while (Object.prototype.hasOwnProperty.call(functions, name)) {
        name += '-';
      }
      functions[name] = { image };
      try {
        const { functionImageUri } = await aws.resolveImageUriAndSha(name);
        images[key] = functionImageUri;
      } finally {
        delete functions[name];
      }
    }
    return images;
  }

  runEngine(request) {
    const engine = locateEngine(this.serviceDir());
    if (!engine) {
      throw this.error(missingEngineMessage());
    }
    const result = spawnSync(engine.command, [...engine.args, 'compile', '--stdin'], {
      input: JSON.stringify(request),
      cwd: this.serviceDir(),
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
    });
    if (result.error) {
      throw this.engineError(engine, result.error);
    }
    if (result.status !== 0 && result.status !== 1) {
      throw this.error(`sls-fargate failed with exit code ${result.status}:\n${result.stderr}`);
    }
    let response;
    try {
      response = JSON.parse(result.stdout);
    } catch (error) {
      throw this.error(`sls-fargate answered with something that is not JSON: ${error.message}\n${result.stderr}`);
    }
    if (response.version !== CONTRACT_VERSION) {
      throw this.error(`sls-fargate speaks contract version ${response.version}, this plugin ${CONTRACT_VERSION}; upgrade them together.`);
    }
    return response;
  }

  // The engine could not be started: not there, or not runnable.
  engineError(engine, error) {
    return this.error(error.code === 'ENOENT'
      ? `sls-fargate was not found at ${engine.describe}. ${missingEngineMessage()}`
      : `Could not run sls-fargate (${engine.describe}): ${error.message}`);
  }

  serviceDir() {
    return this.serverless.serviceDir || (this.serverless.config && this.serverless.config.servicePath) || process.cwd();
  }

  configFile() {
    return path.resolve(this.serviceDir(), this.serverless.configurationFilename || 'serverless.yml');
  }

  error(message) {
    const ServerlessError = (this.serverless.classes && this.serverless.classes.Error) || Error;
    return new ServerlessError(message);
  }

  warn(message) {
    if (this.log && this.log.warning) {
      this.log.warning(message);
    } else {
      this.serverless.cli.log(message);
    }
  }
}

// The platform package that carries the native engine for this machine, as esbuild and biome do:
// serverless-fargate-dotnet-linux-x64, -linux-arm64, -darwin-x64, -darwin-arm64, -win32-x64.
const PLATFORM_PACKAGE = `serverless-fargate-dotnet-${process.platform}-${process.arch}`;
const EXECUTABLE = process.platform === 'win32' ? 'sls-fargate.exe' : 'sls-fargate';

// Where the engine is, in this order: SERVERLESS_FARGATE_CLI; the platform package; sls-fargate
// on PATH (or in ~/.dotnet/tools, where `dotnet tool install --global` puts it); a .NET local tool
// in a tool manifest above the service. Null when it is nowhere.
function locateEngine(serviceDir) {
  if (process.env.SERVERLESS_FARGATE_CLI) {
    return { command: process.env.SERVERLESS_FARGATE_CLI, args: [], describe: `SERVERLESS_FARGATE_CLI=${process.env.SERVERLESS_FARGATE_CLI}` };
  }
  try {
    const manifest = require.resolve(`${PLATFORM_PACKAGE}/package.json`, { paths: [serviceDir, __dirname] });
    const binary = path.join(path.dirname(manifest), 'bin', EXECUTABLE);
    if (fs.existsSync(binary)) {
      return { command: binary, args: [], describe: binary };
    }
  } catch (error) {
    // Not installed: npm skips optional dependencies for other platforms.
  }
  const home = process.env.HOME || process.env.USERPROFILE || '';
  const folders = [...(process.env.PATH || '').split(path.delimiter), path.join(home, '.dotnet', 'tools')];
  for (const folder of folders.filter(Boolean)) {
    const candidate = path.join(folder, EXECUTABLE);
    if (fs.existsSync(candidate)) {
      return { command: candidate, args: [], describe: candidate };
    }
  }
  for (let folder = serviceDir; ; folder = path.dirname(folder)) {
    // `dotnet new tool-manifest` writes dotnet-tools.json (older SDKs: .config/dotnet-tools.json).
    for (const manifest of [path.join(folder, 'dotnet-tools.json'), path.join(folder, '.config', 'dotnet-tools.json')]) {
      if (fs.existsSync(manifest) && /"serverlessfargate\.cli"/i.test(fs.readFileSync(manifest, 'utf8'))) {
        return { command: 'dotnet', args: ['tool', 'run', 'sls-fargate', '--'], describe: `dotnet tool run sls-fargate (${manifest})` };
      }
    }
    if (path.dirname(folder) === folder) {
      return null;
    }
  }
}

function missingEngineMessage() {
  const version = require('./package.json').version;
  return (
    `The sls-fargate engine was not found. It comes in the package ${PLATFORM_PACKAGE}, which npm installs ` +
    `with serverless-fargate-dotnet on this platform; if optional dependencies were left out, run ` +
    `\`npm install --save-dev ${PLATFORM_PACKAGE}@${version}\`. ` +
    'Or install the .NET tool (`dotnet tool install --global ServerlessFargate.Cli`), or set SERVERLESS_FARGATE_CLI to the path of an sls-fargate executable.'
  );
}

// One of the engine's schema files: copied into the npm package when it is packed, read from the
// repository otherwise.
function readSchema(name) {
  const candidates = [
    path.join(__dirname, name),
    path.join(__dirname, '..', '..', 'schema', name),
  ];
  const file = candidates.find(candidate => fs.existsSync(candidate));
  if (!file) {
    throw new Error(`${name} not found in ${candidates.join(' or ')}`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// The provider keys tasks inherit, which the engine is given: those the provider schema marks
// "x-inherited", as the engine reads them.
function inheritedProviderKeys() {
  const properties = readSchema('provider.schema.json').properties;
  return Object.keys(properties).filter(key => properties[key]['x-inherited'] === true);
}

// The fargate block's schema, as `sls-fargate schema` prints it. What the framework gets depends
// on the command:
//  - where the engine runs (package, deploy, fargate ...), it checks the whole block itself, with
//    line and column, and stops the command on any error. The framework then needs only the
//    block's key names and each task's, so that it knows them and flags a misspelled one. The full
//    schema would cost each of these commands about 30 ms of the framework's hashing and compiling
//    (docs/performance.md), to say again, less precisely, what the engine says.
//  - everywhere else (print, info, invoke ...) the framework's check is the only one: it gets the
//    whole schema.
function loadSchema(commands) {
  const schema = readSchema('fargate.schema.json');
  const engineRuns = commands[0] === 'fargate' || (commands.length === 1 && ['package', 'deploy'].includes(commands[0]));
  return engineRuns ? keyNames(schema) : forFramework(schema);
}

// The block's keys and each task's, and nothing about their values.
function keyNames(schema) {
  const names = properties => Object.fromEntries(Object.keys(properties).map(key => [key, {}]));
  const task = { type: 'object', properties: names(schema.definitions.task.properties), additionalProperties: false };
  return {
    type: 'object',
    properties: { ...names(schema.properties), tasks: { type: 'object', additionalProperties: task } },
    additionalProperties: false,
  };
}

// Keywords that describe and never validate. The framework hashes and walks its whole schema on
// every command (to find its cached validator), and our descriptions were over two thirds of what
// we add to it once references are inlined: about 45 ms a command. What validates is left as it
// is; editors and the engine read the file with its descriptions. The engine's own keywords
// (x-merge) go too: the framework's Ajv runs in strict mode and refuses keywords it does not know.
const ANNOTATIONS = new Set(['description', 'title', 'examples', 'default', '$comment']);
const isAnnotation = key => ANNOTATIONS.has(key) || key.startsWith('x-');

// Draft-07 keywords whose values are schemas (the rest hold data, copied as they are).
const SUBSCHEMA = new Set(['additionalItems', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else', 'contains']);
const SUBSCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependencies']);

// The schema as the framework takes it. The framework nests it inside its own schema, where
// "#/definitions/..." would point at the framework's root: each $ref is replaced with the
// definition it names. Annotations are left out (above).
function forFramework(schema) {
  const definitions = schema.definitions || {};
  const map = (object, f) => Object.fromEntries(Object.entries(object).map(([key, value]) => [key, f(value)]));
  const resolve = node => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      return node;
    }
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace(/^#\/definitions\//, '');
      if (!(name in definitions)) {
        throw new Error(`fargate.schema.json: unknown reference ${node.$ref}`);
      }
      const { $ref, ...siblings } = node;
      return { ...resolve(definitions[name]), ...resolve(siblings) };
    }
    const copy = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'definitions' || key === '$schema' || isAnnotation(key)) {
        continue;
      }
      copy[key] = SUBSCHEMA.has(key) ? resolve(value)
        : SUBSCHEMA_LISTS.has(key) ? value.map(resolve)
        : key === 'items' ? (Array.isArray(value) ? value.map(resolve) : resolve(value))
        : SUBSCHEMA_MAPS.has(key) ? map(value, resolve)
        : value;
    }
    return copy;
  };
  return resolve(schema);
}

function pick(object, keys) {
  const result = {};
  for (const key of keys) {
    if (object[key] !== undefined) {
      result[key] = object[key];
    }
  }
  return result;
}

// A CloudFormation function: a mapping with the one key Ref or Fn::….
function isFunction(value) {
  const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

module.exports = ServerlessFargateDotnet;
module.exports.forFramework = forFramework;
module.exports.keyNames = keyNames;
module.exports.FARGATE_COMMANDS = FARGATE_COMMANDS;
module.exports.inheritedProviderKeys = inheritedProviderKeys;

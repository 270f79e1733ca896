// Walks a JSONata state machine of the shapes sls-fargate generates (Pass, Task, Choice, Wait,
// Succeed, Fail) through the JSONata reference implementation, with each Task's result taken from
// a list of answers instead of AWS. Step Functions Local does not run here, and moto does not run
// definitions, so this is how the tests see what the expressions do to real events.
//
// node state-machine-walk.js JSONATA_DIR < {"definition": {...}, "input": {...}, "answers": [...]}
// prints {"calls": [Task arguments...], "end": "Succeed"|"Fail", "error", "cause", "visited": [...]}
'use strict';
const jsonata = require(require('path').join(process.argv[2], 'jsonata'));

async function evaluate(value, states, variables) {
  if (typeof value === 'string') {
    const match = /^\{%([\s\S]*)%\}$/.exec(value);
    return match ? jsonata(match[1]).evaluate(null, { ...variables, states }) : value;
  }
  if (Array.isArray(value)) {
    const items = [];
    for (const item of value) items.push(await evaluate(item, states, variables));
    return items;
  }
  if (value && typeof value === 'object') {
    const result = {};
    for (const [key, item] of Object.entries(value)) result[key] = await evaluate(item, states, variables);
    return result;
  }
  return value;
}

// A state's assignments all see the variables as they were before it.
async function assign(state, states, variables) {
  const updates = await evaluate(state.Assign || {}, states, variables);
  return { ...variables, ...updates };
}

async function walk({ definition, input, answers }) {
  let variables = {};
  let name = definition.StartAt;
  let data = input;
  const calls = [];
  const visited = [];
  for (let steps = 0; steps < 100; steps++) {
    const state = definition.States[name];
    visited.push(name);
    const states = { input: data, context: { Execution: { Name: 'test' } } };
    switch (state.Type) {
      case 'Pass':
        variables = await assign(state, states, variables);
        name = state.Next;
        break;
      case 'Task': {
        // An answer {"error": NAME, "cause": TEXT} is the call failing: a Retry that names the
        // error (or States.ALL) calls again until its MaxAttempts; then the execution fails.
        let result;
        for (let retries = 0; ; retries++) {
          calls.push(await evaluate(state.Arguments, states, variables));
          result = answers.shift();
          if (!result || !result.error) break;
          // States.TaskFailed names every error of a task but a timeout; States.ALL, every error.
          const matches = name => name === result.error || name === 'States.ALL' || (name === 'States.TaskFailed' && result.error !== 'States.Timeout');
          const retry = (state.Retry || []).find(r => r.ErrorEquals.some(matches));
          if (!retry || retries >= (retry.MaxAttempts === undefined ? 3 : retry.MaxAttempts)) {
            return { calls, end: 'Fail', error: result.error, cause: result.cause, visited };
          }
        }
        variables = await assign(state, { ...states, result }, variables);
        data = result;
        name = state.Next;
        break;
      }
      case 'Choice': {
        let next = state.Default;
        for (const choice of state.Choices) {
          if (await evaluate(choice.Condition, states, variables) === true) { next = choice.Next; break; }
        }
        name = next;
        break;
      }
      case 'Wait':
        name = state.Next;
        break;
      case 'Succeed':
        return { calls, end: 'Succeed', visited };
      case 'Fail':
        return { calls, end: 'Fail', error: await evaluate(state.Error, states, variables), cause: await evaluate(state.Cause, states, variables), visited };
      default:
        throw new Error(`state type ${state.Type} is not walked here`);
    }
  }
  throw new Error('more than 100 steps');
}

let text = '';
process.stdin.on('data', chunk => { text += chunk; });
process.stdin.on('end', () => walk(JSON.parse(text))
  .then(result => process.stdout.write(JSON.stringify(result)))
  .catch(error => { process.stderr.write(String(error && error.stack || error)); process.exit(1); }));

'use strict';

// Works in a loop until ECS stops the task. ECS sends SIGTERM and waits (stopTimeout, 30 s by
// default) before SIGKILL, so the loop finishes the current unit of work and exits cleanly.
const name = process.env.WORKER_NAME || process.argv[2] || 'node-worker';
const limit = Number(process.argv[3] || Infinity);
let stopping = false;

process.on('SIGTERM', () => {
  console.log(`[${name}] SIGTERM received, finishing the current unit of work`);
  stopping = true;
});

const pause = ms => new Promise(resolve => setTimeout(resolve, ms));

(async () => {
  for (let round = 1; !stopping && round <= limit; round++) {
    console.log(`[${name}] round ${round}`);
    await pause(5000);
  }
  console.log(`[${name}] stopped`);
})();

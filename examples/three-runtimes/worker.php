<?php
// Works in a loop until ECS stops the task with SIGTERM, then exits after the current round.
declare(strict_types=1);

pcntl_async_signals(true);

$name = $argv[1] ?? 'php-worker';
$limit = isset($argv[2]) ? (int) $argv[2] : PHP_INT_MAX;
$stopping = false;

pcntl_signal(SIGTERM, function () use (&$stopping, $name): void {
    fwrite(STDOUT, "[$name] SIGTERM received, finishing the current round\n");
    $stopping = true;
});

for ($round = 1; !$stopping && $round <= $limit; $round++) {
    fwrite(STDOUT, "[$name] round $round\n");
    sleep(5);
}
fwrite(STDOUT, "[$name] stopped\n");

"""Works in a loop until ECS stops the task with SIGTERM, then exits after the current round."""
import signal
import sys
import time

name = sys.argv[1] if len(sys.argv) > 1 else "python-worker"
limit = int(sys.argv[2]) if len(sys.argv) > 2 else sys.maxsize
stopping = False


def on_sigterm(signum, frame):
    global stopping
    print(f"[{name}] SIGTERM received, finishing the current round", flush=True)
    stopping = True


signal.signal(signal.SIGTERM, on_sigterm)

round_number = 1
while not stopping and round_number <= limit:
    print(f"[{name}] round {round_number}", flush=True)
    time.sleep(5)
    round_number += 1
print(f"[{name}] stopped", flush=True)

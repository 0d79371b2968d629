"""`make bench`: run the measures, each in a process of its own, and end with their GOAL lines.

    make bench                                  every measure, in MEASURES order
    make bench BENCH=checkin                    one measure
    make bench BENCH=checkin BENCH_ARGS="--rounds 3"

Each measure is a module bench/<name>.py with ``add_arguments(parser)`` and
``run(args)``, which prints its figures and its ``GOAL <name>_<what>: ... met|missed``
lines (bench/common.py: goal_line) and returns True when every goal is met.
The exit status is non-zero when any goal is missed or a run is not valid.
"""

import argparse
import importlib
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# In the order `make bench` runs them.
MEASURES = ["checkin", "trends", "clinic", "report", "nudges"]


def main(argv):
    if not argv or argv[0] not in MEASURES:
        if argv and not argv[0].startswith("-"):
            sys.exit(f"Unknown measure {argv[0]!r}; the measures are: {', '.join(MEASURES)}.")
        return run_all(argv)
    name, rest = argv[0], argv[1:]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so a measure's finally blocks stop its servers
    measure = importlib.import_module(f"bench.{name}")
    parser = argparse.ArgumentParser(prog=f"bench/run.py {name}", description=measure.__doc__.splitlines()[0])
    measure.add_arguments(parser)
    return 0 if measure.run(parser.parse_args(rest)) else 1


def run_all(extra):
    """Every measure in a fresh process (Django is set up once per process, on that measure's data)."""
    goals, failed = [], []
    for name in MEASURES:
        print(f"\n=== {name} ===", flush=True)
        process = subprocess.Popen(
            [sys.executable, __file__, name, *extra], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        for line in process.stdout:
            print(line, end="", flush=True)
            if line.startswith("GOAL "):
                goals.append(line.rstrip("\n"))
        if process.wait() != 0:
            failed.append(name)
    print("\n=== goals ===")
    print("\n".join(goals))
    if failed:
        print(f"missed or not valid: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

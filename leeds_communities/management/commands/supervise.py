"""`manage.py supervise [--max-starts N] pack_worker [its options]`: run a manage.py command
and start it again whenever it exits, as systemd's Restart=always does in production (`make
serve` uses this).

A command that keeps dying quickly is started again after a delay that doubles (1 s up to 30 s);
one that ran for a minute or more is started again after 1 s. SIGTERM and SIGINT are passed to
the command, and the supervisor exits once it has stopped.
"""

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

RAN_LONG_ENOUGH = 60.0


def supervise(command, *, delay=1.0, max_delay=30.0, max_starts=None, log=print) -> int:
    """Run `command` (a list of arguments) again each time it exits, until SIGTERM/SIGINT (or
    `max_starts` runs); the exit status of its last run."""
    state = {"stopping": False, "child": None}

    def stop(signum, frame):
        state["stopping"] = True
        child = state["child"]
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    starts, wait, code = 0, delay, 0
    try:
        while not state["stopping"]:
            began = time.monotonic()
            state["child"] = subprocess.Popen(command)  # noqa: S603 - our own manage.py command
            starts += 1
            code = state["child"].wait()
            if state["stopping"] or (max_starts is not None and starts >= max_starts):
                break
            lived = time.monotonic() - began
            wait = delay if lived >= RAN_LONG_ENOUGH else wait
            log(
                f"{' '.join(command[2:]) or command[0]} exited with status {code} after "
                f"{lived:.0f} s; starting it again in {wait:.0f} s"
            )
            deadline = time.monotonic() + wait
            while not state["stopping"] and time.monotonic() < deadline:
                time.sleep(0.1)
            wait = min(wait * 2, max_delay)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return code


class Command(BaseCommand):
    help = "Run a manage.py command (e.g. pack_worker) and start it again whenever it exits."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The manage.py command to keep running.")
        parser.add_argument(
            "arguments", nargs=argparse.REMAINDER, help="Its arguments: all that follow it."
        )
        parser.add_argument(
            "--max-starts", type=int, default=None, help="Give up after this many runs."
        )

    def handle(self, *args, name, arguments, max_starts, **options):
        manage = Path(settings.BASE_DIR) / "manage.py"
        command = [sys.executable, str(manage), name, *arguments]

        def log(message):
            self.stderr.write(f"supervise: {message}")

        supervise(command, max_starts=max_starts, log=log)

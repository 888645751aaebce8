"""Named points inside jobs where a test can kill the process dead, to prove that a kill there loses nothing.

With ``LREC_FAULT_POINT=<name>`` set, the process that reaches that point writes a line to stderr and sends
itself SIGKILL: no cleanup, no ``finally``, exactly like a power cut or the task manager. Unset (always, outside
the crash tests), a point costs one environment lookup.
"""

from __future__ import annotations

import os
import signal
import sys

FAULT_ENV = "LREC_FAULT_POINT"


def fault_point(name: str) -> None:
    if os.environ.get(FAULT_ENV) != name:
        return
    print(f"lrec-desktop: fault point {name}: killing this process", file=sys.stderr, flush=True)
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))

"""The whole pipeline works with the network cut off: import, read descriptions, recommend, search, export.

Every way out is closed in a child process (socket connect, DNS), so a library that tried to phone home
would fail the test rather than hang or quietly succeed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

SCRIPT = r"""
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network disabled by test_offline")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from pathlib import Path
from lrec_desktop.cli import main
shop, orders, out = (Path(a) for a in sys.argv[1:4])
steps = [
    ["import", "--db", str(shop), "--interactions", str(orders)],
    ["embed", "--db", str(shop), "--device", "cpu"],
    ["recommend", "--db", str(shop), "--customer", "17850", "--top", "5"],
    ["search", "--db", str(shop), "white metal lantern", "--top", "3"],
    ["export", "--db", str(shop), "--out", str(out), "--top", "5"],
]
for step in steps:
    code = main(["--quiet", *step])
    if code != 0:
        sys.exit(f"{step[0]} failed with {code}")
print("offline ok")
"""


def test_pipeline_runs_with_the_network_disabled(tmp_path: Path) -> None:
    out = tmp_path / "recs.csv"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "shop.lrec"), str(FIXTURES / "uci_orders.csv"), str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "offline ok" in result.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "customer_id,rank,item_id,title,score,reason" and len(lines) > 1

"""Worker pools start when sys.stderr has no file descriptor (as in the app)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

# A fresh interpreter, so the resource tracker is not running yet; sys.stderr
# replaced the way Textual captures it while an app runs.
SCRIPT = """
import sys
from reader.core.session.parallel import ParallelAnalysis
from reader.core.store.scan import ArchiveRoots

class Capture:
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1

sys.stderr = Capture()
files = ArchiveRoots([sys.argv[1]]).scan().files
batches = list(ParallelAnalysis(files, workers=1).run())
read = sum(len(b.records) for b in batches if b.stage == "read")
print(read, len(files))
"""


def test_a_pool_starts_under_a_captured_stderr() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(REPO / "articles")],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    read, files = done.stdout.split()
    assert read == files != "0"

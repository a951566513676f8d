"""The end-to-end listing on the summary page runs and prints exactly what the page shows."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", markdown, flags=re.S | re.M)


def test_summary_listing_prints_what_the_page_shows(tmp_path):
    page = (ROOT / "book" / "summary.md").read_text(encoding="utf-8")
    (code,) = _blocks(page, "python")
    (shown,) = _blocks(page, "text")
    script = tmp_path / "listing.py"
    script.write_text(code)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == shown
    assert result.stderr == "", "the listing must not print warnings or TensorFlow noise"

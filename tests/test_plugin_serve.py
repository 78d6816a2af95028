"""``mkdocs serve`` with a broken OKR file: the server keeps answering, with the errors shown.

A real ``mkdocs serve`` in a subprocess, read over HTTP while the test breaks and
fixes an objective file, as a contributor previewing an edit would.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from test_plugin_support import build_env, objective_file, run_build, write_site

pytestmark = pytest.mark.slow

BROKEN = "---\nobjective: Make the site feel fast\nowner: web\nperiod: 2026-Q9\nkey_results: [Fast]\n---\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, predicate, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = _get(url)
        if last is not None and predicate(last):
            return last
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed what was expected; last answer: {(last or '')[:500]}")


@pytest.fixture
def serve(tmp_path: Path):
    """Start ``mkdocs serve`` on the site in ``tmp_path``; yields the base URL."""
    procs = []

    def start(root: Path) -> str:
        port = _free_port()
        log = (tmp_path / "serve.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root, env=build_env(), stdout=log, stderr=subprocess.STDOUT, text=True,
        )
        procs.append(proc)
        return f"http://127.0.0.1:{port}/"

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_broken_file_keeps_the_last_good_pages_with_a_banner_until_fixed(tmp_path: Path, serve):
    root = write_site(tmp_path)
    target = root / "okrs" / "2026-Q4" / "web" / "fast-site.md"
    good = target.read_text(encoding="utf-8")
    base = serve(root)
    page = base + "okrs/objectives/2026-Q4/web/fast-site/"
    dashboard = base + "okrs/"
    first = _wait_for(page, lambda html: "Make the site feel fast" in html)
    assert "data-okr-problems" not in first

    target.write_text(BROKEN, encoding="utf-8")
    broken = _wait_for(dashboard, lambda html: "data-okr-problems" in html)
    assert "period &#x27;2026-Q9&#x27; is not valid" in broken or "period '2026-Q9' is not valid" in broken
    assert "okrs/2026-Q4/web/fast-site.md:4:1" in broken
    shown = _wait_for(page, lambda html: "data-okr-problems" in html)
    assert "Make the site feel fast" in shown  # the last good version of the page, still served

    target.write_text(good.replace("Make the site feel fast", "Make the site feel instant"), encoding="utf-8")
    fixed = _wait_for(page, lambda html: "Make the site feel instant" in html)
    assert "data-okr-problems" not in fixed


def test_serve_starts_with_a_broken_file_and_a_build_still_fails(tmp_path: Path, serve):
    okrs = {"2026-Q4/web/fast-site.md": BROKEN, "2026-Q4/acme/grow.md": objective_file("Grow", "acme", "2026-Q4")}
    root = write_site(tmp_path, okrs)
    base = serve(root)
    dashboard = _wait_for(base + "okrs/", lambda html: "data-okr-problems" in html)
    assert "The OKR files have 1 error" in dashboard
    proc = run_build(root)
    assert proc.returncode == 1 and "period '2026-Q9' is not valid" in proc.stderr

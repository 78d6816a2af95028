"""The synthetic organization generator (scripts/gen_org.py): clean under check, deterministic."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_okrs.core import load_okrs
from mkdocs_okrs.core.model import Settings

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gen_org.py"


def _load_module():
    spec = importlib.util.spec_from_file_location("gen_org", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_org"] = module
    spec.loader.exec_module(module)
    return module


gen_org = _load_module()


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def org200(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("gen") / "okrs"
    return root, gen_org.generate(root, 200, seed=7)


def test_generated_org_is_clean_under_okrs_check(org200):
    root, stats = org200
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs_okrs", "check", str(root), "--no-config", "--strict", "--today", "2026-11-15"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout[:3000] + r.stderr
    assert r.stdout == ""
    assert r.stderr == f"okrs: no problems in {stats.files} files\n"


def test_generated_org_shape(org200):
    root, stats = org200
    okrs = load_okrs(root, Settings(today=dt.date(2026, 11, 15)))
    objectives = list(okrs.objectives.values())
    assert stats.objectives == len(objectives) == 200
    assert stats.files == len(list(root.rglob("*.md"))) + 1
    assert stats.units == len(okrs.org.units) and okrs.org.defined
    assert {o.period.id for o in objectives} == {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"}
    assert sum(o.private for o in objectives) == stats.private > 0
    assert sum(o.parent_kr is not None for o in objectives) == stats.aligned_to_kr > 0
    assert all(3 <= len(o.key_results) <= 5 for o in objectives)
    kinds = {kr.kind for o in objectives for kr in o.key_results}
    assert kinds == {"metric", "milestone"}
    metrics = [kr for o in objectives for kr in o.key_results if kr.kind == "metric"]
    assert any(kr.target > kr.start for kr in metrics) and any(kr.target < kr.start for kr in metrics)
    top = {u.id for u in okrs.org.top_units()}
    assert all(o.parent is None for o in objectives if o.owner in top)
    assert all(o.parent is not None for o in objectives if o.owner not in top)
    assert any(o.id != o.path[:-3] for o in objectives)  # some set id:
    depths = {len(okrs.org.ancestors(u)) for u in okrs.org.units}
    assert depths == {0, 1, 2}


def test_generate_is_deterministic(tmp_path: Path):
    a = gen_org.generate(tmp_path / "a", 60, seed=3)
    b = gen_org.generate(tmp_path / "b", 60, seed=3)
    assert a == b
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    gen_org.generate(tmp_path / "c", 60, seed=4)
    assert tree(tmp_path / "a") != tree(tmp_path / "c")


def test_cli_is_deterministic_across_hash_seeds(tmp_path: Path):
    outs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"out{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        r = subprocess.run(
            [sys.executable, str(SCRIPT), str(out), "--objectives", "40", "--seed", "5"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert "wrote 40 objectives" in r.stdout
        outs.append(tree(out))
    assert outs[0] == outs[1]


def test_cli_refuses_a_non_empty_folder(tmp_path: Path):
    (tmp_path / "x.txt").write_text("keep me")
    r = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), "-n", "5"], capture_output=True, text=True)
    assert r.returncode == 2 and "not an empty folder" in r.stderr
    assert (tmp_path / "x.txt").read_text() == "keep me"


def test_large_org_has_a_group_level_and_respects_the_objective_cap(tmp_path: Path):
    stats = gen_org.generate(tmp_path / "big", 2000, seed=1, quarters=("2026-Q4",))
    okrs = load_okrs(tmp_path / "big", Settings(today=dt.date(2026, 11, 15)))
    assert stats.objectives == 2000
    assert max(len(okrs.org.ancestors(u)) for u in okrs.org.units) == 3
    assert [d for d in okrs.diagnostics] == []

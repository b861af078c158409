"""The architecture's import rules (.importlinter, docs/architecture.md) hold, and would
catch a change that broke them: a copy of the code with a cycle planted fails."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(where: Path) -> subprocess.CompletedProcess:
    if not LINT.exists():
        pytest.fail(f"lint-imports is not installed in {LINT.parent} (import-linter: scripts/setup test)")
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=where, env=env, capture_output=True, text=True, timeout=120)


def _copy(tmp_path: Path) -> Path:
    for name in ("tenants", "workflow", "webapp"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "static",
                                                                                   "translations", "data"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def _plant(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _planted():\n    {line}\n", encoding="utf-8")


def test_the_import_rules_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("where, line", [
    # the document reaching into a feature built on it, inside a function (as the old cycles hid)
    ("workflow/dokumen/operations.py", "from workflow.realisasi import dashboard  # noqa"),
    # a blueprint's helper importing the blueprint
    ("webapp/document_tables.py", "from webapp import documents  # noqa"),
])
def test_a_planted_cycle_fails(tmp_path, where, line):
    copy = _copy(tmp_path)
    assert _lint(copy).returncode == 0
    _plant(copy / where, line)
    result = _lint(copy)
    assert result.returncode == 1, result.stdout
    assert "No import cycle between the modules and packages of a layer BROKEN" in result.stdout


@pytest.mark.parametrize("where, line, contract", [
    ("workflow/dokumen/flow.py", "from workflow.lkj import tabel  # noqa", "The state machine knows no report and no operation"),
    ("workflow/realisasi/dashboard.py", "from workflow.dokumen import cascade  # noqa", "Reads never import the write side"),
    # plumbing importing a feature's module: no cycle, but an arrow pointing up
    ("workflow/capaian.py", "from workflow import sheet_layout  # noqa",
     "Features stand on the document, the document on the plumbing, never the other \nway"),
])
def test_a_forbidden_arrow_fails(tmp_path, where, line, contract):
    copy = _copy(tmp_path)
    _plant(copy / where, line)
    result = _lint(copy)
    assert result.returncode == 1
    assert f"{contract} BROKEN" in result.stdout


def test_an_arrow_pointing_back_fails(tmp_path):
    copy = _copy(tmp_path)
    _plant(copy / "tenants" / "scoping.py", "from workflow.dokumen import policy  # noqa")
    result = _lint(copy)
    assert result.returncode == 1
    assert "Imports point webapp -> workflow -> tenants, never back BROKEN" in result.stdout


def test_each_refusal_carries_the_status_every_page_answers_it_with():
    from workflow.errors import Ditolak, IsiTerkunci, IsiTidakValid, Konflik
    from workflow.dokumen.sidik import BerubahSejakDibuka

    statuses = {cls.__name__: cls("x").status if cls is not BerubahSejakDibuka else cls("x", "s").status
                for cls in (Ditolak, Konflik, IsiTidakValid, IsiTerkunci, BerubahSejakDibuka)}
    assert statuses == {"Ditolak": 403, "Konflik": 409, "IsiTidakValid": 422, "IsiTerkunci": 409,
                        "BerubahSejakDibuka": 409}


def test_no_blueprint_maps_refusals_to_statuses_itself():
    import re

    by_hand = re.compile(r"\{\s*(Konflik|Ditolak|IsiTidakValid)\s*:\s*\d{3}|isinstance\(exc, (Ditolak|IsiTidakValid)\) else")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "webapp").rglob("*.py"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if by_hand.search(line)]
    assert not found, "map a refusal through its .status (workflow.errors), not by hand: " + ", ".join(found)


def test_the_lkj_freeze_is_plugged_in_whatever_is_imported_first():
    # A process that never imports the web app (a script, a worker) submits LKj documents too.
    code = ("from workflow.dokumen import operations; from workflow.dokumen.jenis import Bentuk; "
            "from workflow.lkj import tabel; assert operations.SEBELUM_KUNCI == {Bentuk.LKJ: tabel.bekukan}")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr

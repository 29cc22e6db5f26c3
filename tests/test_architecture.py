"""The layout's rules, checked on every test run: import contracts and function size."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from etl.core.settings import REPO_ROOT

MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400


def _sources() -> list[Path]:
    files = [*REPO_ROOT.glob("etl/**/*.py"), *REPO_ROOT.glob("dashboard/**/*.py")]
    return [p for p in files if "migrations" not in p.parts]


def test_import_contracts_hold():
    """import-linter's contracts in pyproject.toml: layers, etl never imports dashboard,
    SQLAlchemy only in the warehouse, pages read through the data layer."""
    # A fresh process: the linter builds its graph from the source files on disk.
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(" \
        f"config_filename={str(REPO_ROOT / 'pyproject.toml')!r}, no_cache=True, no_logo=True))"
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Contracts: 5 kept, 0 broken." in run.stdout


def test_no_function_over_sixty_lines():
    too_long = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(REPO_ROOT)}:{node.name} {length}")
    assert too_long == []


def test_no_module_over_four_hundred_lines():
    too_long = [
        f"{p.relative_to(REPO_ROOT)} {n}"
        for p in _sources()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert too_long == []

"""SQLAlchemy is the warehouse's business: outside ``etl/warehouse`` no module imports it at
run time (type hints under ``if TYPE_CHECKING:`` only), so every statement lives in
:mod:`etl.warehouse` and the intake, workflow and ops modules keep just their rules."""

from __future__ import annotations

import ast
from pathlib import Path

import etl

ROOT = Path(etl.__file__).resolve().parent
# another engineer moves their statements; drop them from here once that is merged
PENDING = {"documents/proof.py", "documents/report.py"}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import that runs when the module is used."""
    found, todo = [], [tree]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                todo.extend(child.orelse)
                continue
            if isinstance(child, ast.Import):
                found += [(child.lineno, a.name) for a in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module:
                found.append((child.lineno, child.module))
            todo.append(child)
    return found


def test_sqlalchemy_is_imported_only_in_the_warehouse():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("warehouse/") or rel in PENDING:
            continue
        for line, module in _runtime_imports(ast.parse(path.read_text("utf-8"))):
            if module == "sqlalchemy" or module.startswith("sqlalchemy."):
                offenders.append(f"etl/{rel}:{line} imports {module}")
    assert offenders == []


def test_the_check_sees_imports_at_run_time_and_not_under_type_checking():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from sqlalchemy import Engine\n"
        "def f():\n    import sqlalchemy.sql\n"
    )
    assert [m for _line, m in _runtime_imports(tree)] == ["typing", "sqlalchemy.sql"]

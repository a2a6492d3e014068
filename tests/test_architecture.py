"""The shape of the code: dependencies that go one way, no import cycle, rooms of one job.

The import contracts live in pyproject.toml (``[tool.importlinter]``), where ``lint-imports``
reads them too; this test runs them so that a broken one fails the suite with its report.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The rule is "about 300 lines": a module that does one job sometimes needs a docstring or a few
# imports more, while one that does two jobs is well past 320.
MOST_LINES = 320
NOT_OURS = {"migrations", "node_modules", "var", "build", "dist", "test-artifacts", "site-packages"}


def test_the_imports_keep_every_contract_declared_in_pyproject():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache", "--no-logo", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )

    if result.returncode != 0:
        broken = result.stdout.partition("Broken contracts")[2].lstrip("-\n")
        report = broken or result.stdout + result.stderr
        pytest.fail(f"import contracts broken (see pyproject.toml):\n{report}", pytrace=False)


def python_modules(folder: Path) -> Iterator[Path]:
    for path, folders, files in os.walk(folder):
        folders[:] = sorted(
            name for name in folders if not name.startswith(".") and name not in NOT_OURS
        )
        yield from (Path(path) / name for name in sorted(files) if name.endswith(".py"))


def test_no_module_outside_migrations_is_much_over_300_lines():
    too_long = {}
    for module in python_modules(ROOT):
        with module.open(encoding="utf-8") as text:
            lines = sum(1 for _ in text)
        if lines > MOST_LINES:
            too_long[str(module.relative_to(ROOT))] = lines

    if too_long:
        longest_first = sorted(too_long.items(), key=lambda item: -item[1])
        offenders = "\n".join(f"  {name}: {lines} lines" for name, lines in longest_first)
        pytest.fail(f"over {MOST_LINES} lines; split each by job:\n{offenders}", pytrace=False)

"""The distribution: what `python -m build` makes is publishable and holds what the apps need."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from .sites import clean_environment, run

pytestmark = pytest.mark.install

SHIPPED = ("maalem", "lms", "onboarding")


def shipped_files(checkout: Path) -> set[str]:
    return {
        str(path.relative_to(checkout))
        for package in SHIPPED
        for path in (checkout / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def declared_requirements(wheel: Path) -> set[str]:
    """The distributions the wheel requires whatever the extras, by normalised name."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        lines = archive.read(metadata).decode().splitlines()
    requirements = [
        line.removeprefix("Requires-Dist: ")
        for line in lines
        if line.startswith("Requires-Dist: ") and "extra ==" not in line
    ]
    return {
        normalise(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0])
        for requirement in requirements
    }


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_top_level_modules(checkout: Path) -> set[str]:
    modules: set[str] = set()
    for package in SHIPPED:
        for path in (checkout / package).rglob("*.py"):
            for node in runtime_imports(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - set(SHIPPED)


def runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports a running program makes: those under ``if TYPE_CHECKING:`` are for the type
    checker only, and need no installed distribution."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for branch in node.orelse:
                yield from runtime_imports(ast.Module(body=[branch], type_ignores=[]))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from runtime_imports(node)


def test_the_wheel_and_the_sdist_pass_twine_check(wheel, sdist):
    run(
        [sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
        cwd=wheel.parent,
        env=clean_environment(),
    )


def test_the_wheel_is_named_after_the_version_in_pyproject_and_the_changelog(workspace, wheel):
    version = tomllib.loads((workspace / "maalem" / "pyproject.toml").read_text())["project"][
        "version"
    ]
    assert wheel.name == f"maalem-{version}-py3-none-any.whl"
    changelog = (workspace / "maalem" / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog or f"## [{version}]" in changelog


def test_the_wheel_holds_every_module_template_static_file_translation_and_data_file(
    workspace, wheel
):
    with zipfile.ZipFile(wheel) as archive:
        packed = set(archive.namelist())
    missing = shipped_files(workspace / "maalem") - packed
    assert not missing, sorted(missing)
    assert any(name.endswith("LC_MESSAGES/django.mo") for name in packed)
    assert "lms/crafts/data/crafts_starter.csv" in packed


def test_the_wheel_requires_every_distribution_the_shipped_code_imports(workspace, wheel):
    distributions = packages_distributions()
    imported = imported_top_level_modules(workspace / "maalem")
    unknown = sorted(module for module in imported if module not in distributions)
    assert not unknown, f"imported but not installed here: {unknown}"
    needed = {normalise(distributions[module][0]) for module in imported}
    undeclared = needed - declared_requirements(wheel)
    assert not undeclared, (
        f"imported by the apps but not in pyproject dependencies: {sorted(undeclared)}"
    )

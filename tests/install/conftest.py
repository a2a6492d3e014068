from __future__ import annotations

from pathlib import Path

import pytest

from .install_doc import steps
from .sites import clean_environment, copy_of_checkout, run


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like the one docs/install.md starts from, holding the repository as
    ``maalem/``, built by the doc's own ``maalem/`` steps; the site goes beside it."""
    folder = tmp_path_factory.mktemp("install")
    copy_of_checkout(folder / "maalem")
    for step in steps():
        if step.folder == "maalem":
            assert step.mode == "run", step
            run(step.code, cwd=folder / step.title, env=clean_environment(), timeout=300)
    return folder


@pytest.fixture(scope="session")
def wheel(workspace: Path) -> Path:
    (built,) = (workspace / "maalem" / "dist").glob("maalem-*.whl")
    return built


@pytest.fixture(scope="session")
def sdist(workspace: Path) -> Path:
    (built,) = (workspace / "maalem" / "dist").glob("maalem-*.tar.gz")
    return built

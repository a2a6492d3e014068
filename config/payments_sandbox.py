"""Where the payments sandbox of ``make run`` keeps its state, read from the environment.

Imported by ``config.settings``; README.md lists the variable. The Procfile passes the same path
to ``python -m onboarding.sandbox --state-file``, and ``manage.py load_demo_data`` writes the
demo's live sellers' accounts into it (:mod:`onboarding.sandbox.seeding`) so that the sandbox
knows them when it starts.
"""

from __future__ import annotations

from pathlib import Path

import environ

env = environ.Env()


def payments_sandbox_state_file(var_dir: Path) -> Path:
    """``PAYMENTS_SANDBOX_STATE_FILE``: the sandbox's JSON state file, in the var folder."""
    default = var_dir / "payments-sandbox.json"
    return Path(env.str("PAYMENTS_SANDBOX_STATE_FILE", default=str(default)))

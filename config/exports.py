"""The host site's settings for background exports, read from the environment.

Imported by ``config.settings``; README.md lists the variables and docs/exports.md says how
exports work. The export queue and the beat entry that deletes old files are in
``config.queues``.
"""

from __future__ import annotations

import environ

env = environ.Env()

__all__ = ["MAALEM_EXPORT_RETENTION_DAYS", "MAALEM_EXPORT_PROGRESS_EVERY"]

# Days an export's file stays downloadable before the beat task deletes it (the row stays).
MAALEM_EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)
# Rows written between two saves of an export's progress (the Exports page's bar).
MAALEM_EXPORT_PROGRESS_EVERY = env.int("EXPORT_PROGRESS_EVERY", default=1000)

"""Write small crafts CSV files for tests, one row per craft, in the loader's column order."""

from __future__ import annotations

from pathlib import Path

from lms.crafts.loading import COLUMNS

HEADER = ",".join(COLUMNS)


def craft_row(
    craft: str = "pottery",
    name_ar: str = "الفخار",
    name_fr: str = "Poterie",
    chain: str = "clay",
    chain_name_fr: str = "Terre",
    category: str = "art-production",
) -> str:
    return ",".join(
        [
            category,
            "الصناعة التقليدية الفنية والإنتاجية",
            "Artisanat d'art et de production",
            "Art and production crafts",
            chain,
            "الطين",
            chain_name_fr,
            "Clay",
            craft,
            name_ar,
            name_fr,
            name_fr,
        ]
    )


def write_csv(directory: Path, *lines: str, name: str = "crafts.csv") -> Path:
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path

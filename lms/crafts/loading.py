"""Load the crafts taxonomy from a CSV file: one row per craft, with its chain and category.

Loading is all-or-nothing. Every row is parsed and checked before the database is touched, so an
operator fixing the official list sees every mistake at once and never ends up with half a
taxonomy. Rows are matched on their codes: a reload updates names and never deletes anything,
because learners, courses and sellers point at crafts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.core.validators import slug_re
from django.db import models, transaction

from .models import Category, Chain, Craft

STARTER_CSV = Path(__file__).resolve().parent / "data" / "crafts_starter.csv"

LEVELS = ("category", "chain", "craft")
COLUMNS = tuple(
    f"{level}_{part}" for level in LEVELS for part in ("code", "name_ar", "name_fr", "name_en")
)
NAME_LANGUAGES = ("ar", "fr", "en")
# English names are optional: the model allows them blank, and an official list may only give
# Arabic and French.
REQUIRED_NAMES = ("ar", "fr")


def _max_length(field_name: str) -> int:
    field = Craft._meta.get_field(field_name)
    assert isinstance(field, models.CharField) and field.max_length is not None
    return field.max_length


CODE_MAX_LENGTH = _max_length("code")
NAME_MAX_LENGTH = _max_length("name_fr")


class CraftsCSVError(Exception):
    """The file cannot be loaded. `problems` lists every (line number, reason) found."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = sorted(problems)
        super().__init__("\n".join(f"line {line}: {reason}" for line, reason in self.problems))


@dataclass(frozen=True)
class LoadSummary:
    categories: int
    chains: int
    crafts: int
    crafts_created: int
    crafts_updated: int

    def __str__(self) -> str:
        return (
            f"{self.categories} categories, {self.chains} chains, {self.crafts} crafts "
            f"({self.crafts_created} new, {self.crafts_updated} updated)"
        )


@dataclass
class Entry:
    """One category, chain or craft as the file describes it, with the line that first did."""

    code: str
    names: dict[str, str]
    line: int
    parent: str = ""


@dataclass
class Taxonomy:
    categories: dict[str, Entry] = field(default_factory=dict)
    chains: dict[str, Entry] = field(default_factory=dict)
    crafts: dict[str, Entry] = field(default_factory=dict)


def load_crafts_csv(file: str | Path | IO[bytes] | IO[str]) -> LoadSummary:
    """Check the whole file, then upsert it in one transaction. Raises CraftsCSVError."""
    taxonomy = parse_crafts_csv(_read_text(file))
    with transaction.atomic():
        return _upsert(taxonomy)


def parse_crafts_csv(text: str) -> Taxonomy:
    """Check every row and gather the taxonomy; raises CraftsCSVError listing every problem."""
    taxonomy = Taxonomy()
    problems: list[tuple[int, str]] = []
    rows = _rows(text)
    header_line, header, error = next(rows, (1, [], ""))
    header = [name.strip() for name in header]
    if error or not header:
        raise CraftsCSVError([(header_line, error or "the file has no header row")])
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise CraftsCSVError([(header_line, f"missing column {c!r}") for c in missing])
    position = {column: header.index(column) for column in COLUMNS}

    data_rows = 0
    for line, values, error in rows:
        data_rows += 1
        if error:
            problems.append((line, f"the CSV cannot be read from here on: {error}"))
        elif len(values) != len(header):
            problems.append(
                (line, f"expected {len(header)} fields, found {len(values)} (check the commas)")
            )
        else:
            row = {column: values[position[column]].strip() for column in COLUMNS}
            problems.extend((line, reason) for reason in _check_row(row, taxonomy, line))
    if not data_rows:
        problems.append((header_line, "the file has a header but no crafts"))
    if problems:
        raise CraftsCSVError(problems)
    return taxonomy


def _read_text(file: str | Path | IO[bytes] | IO[str]) -> str:
    if isinstance(file, str | Path):
        with open(file, "rb") as opened:
            data: bytes | str = opened.read()
    else:
        data = file.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        # utf-8-sig accepts files with and without the BOM that Excel writes.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CraftsCSVError(
            [(line, "the file is not UTF-8 text; save it again as 'CSV UTF-8'")]
        ) from None


def _rows(text: str) -> Iterator[tuple[int, list[str], str]]:
    """Yield (line number, fields, csv error) per row, skipping comment and blank lines.

    Lines are filtered before the csv module sees them, so its own line counter would be wrong;
    the number given is that of the row's first line as the operator sees it in a text editor.
    """
    lines = io.StringIO(text, newline=None)
    first_line: list[int] = []

    def kept_lines() -> Iterator[str]:
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not first_line:
                first_line.append(number)
            yield line

    reader = csv.reader(kept_lines())
    while True:
        first_line.clear()
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # The reader cannot resynchronise after this, so the rest of the file is unreadable.
            yield (first_line[0] if first_line else 1), [], str(error)
            return
        yield first_line[0], values, ""


def _check_row(row: dict[str, str], taxonomy: Taxonomy, line: int) -> list[str]:
    """Check one row on its own and against the rows before it; returns the reasons it is bad."""
    reasons: list[str] = []
    known_by_level = {
        "category": taxonomy.categories,
        "chain": taxonomy.chains,
        "craft": taxonomy.crafts,
    }
    parent_level, parent_code, parent_is_valid = "", "", True
    for level in LEVELS:
        entry = Entry(
            code=row[f"{level}_code"],
            names={language: row[f"{level}_name_{language}"] for language in NAME_LANGUAGES},
            line=line,
            parent=parent_code,
        )
        own_reasons = _check_fields(level, entry)
        reasons.extend(own_reasons)
        # Compare with earlier rows only when this level and the ones above it are readable, so
        # one typo is reported once rather than again as a conflict.
        if not own_reasons and parent_is_valid:
            reasons.extend(_check_consistency(level, parent_level, entry, known_by_level[level]))
        parent_level, parent_code = level, entry.code
        parent_is_valid = parent_is_valid and not own_reasons
    return reasons


def _check_fields(level: str, entry: Entry) -> list[str]:
    reasons: list[str] = []
    if not entry.code:
        reasons.append(f"{level}_code is empty")
    elif not slug_re.match(entry.code) or len(entry.code) > CODE_MAX_LENGTH:
        reasons.append(
            f"{level}_code {entry.code!r} is not a code: use at most {CODE_MAX_LENGTH} letters, "
            "digits, hyphens or underscores, without spaces or accents"
        )
    for language in REQUIRED_NAMES:
        if not entry.names[language]:
            reasons.append(f"{level}_name_{language} is empty")
    for language, name in entry.names.items():
        if len(name) > NAME_MAX_LENGTH:
            reasons.append(f"{level}_name_{language} is longer than {NAME_MAX_LENGTH} characters")
    return reasons


def _check_consistency(
    level: str, parent_level: str, entry: Entry, known: dict[str, Entry]
) -> list[str]:
    """A code may repeat on many rows (a chain has many crafts) but must say the same each time."""
    seen = known.setdefault(entry.code, entry)
    if seen is entry:
        return []
    reasons: list[str] = []
    if seen.parent != entry.parent:
        reasons.append(
            f"{level} {entry.code!r} is listed under {parent_level} {entry.parent!r}, "
            f"but under {seen.parent!r} on line {seen.line}"
        )
    for language in NAME_LANGUAGES:
        if seen.names[language] != entry.names[language]:
            reasons.append(
                f"{level} {entry.code!r} has {level}_name_{language} "
                f"{entry.names[language]!r}, but {seen.names[language]!r} on line {seen.line}"
            )
    return reasons


def _upsert(taxonomy: Taxonomy) -> LoadSummary:
    categories, _, _ = _upsert_level(Category, taxonomy.categories, parent_field=None, parents={})
    chains, _, _ = _upsert_level(
        Chain, taxonomy.chains, parent_field="category", parents=categories
    )
    crafts, created, updated = _upsert_level(
        Craft, taxonomy.crafts, parent_field="chain", parents=chains
    )
    return LoadSummary(
        categories=len(categories),
        chains=len(chains),
        crafts=len(crafts),
        crafts_created=created,
        crafts_updated=updated,
    )


def _upsert_level(
    model: type[Category] | type[Chain] | type[Craft],
    entries: dict[str, Entry],
    parent_field: str | None,
    parents: dict[str, models.Model],
) -> tuple[dict[str, models.Model], int, int]:
    """Create or update one level; returns the rows by code and how many were created/updated."""
    existing = {obj.code: obj for obj in model.objects.filter(code__in=entries)}
    by_code: dict[str, models.Model] = {}
    created = updated = 0
    for code, entry in entries.items():
        wanted: dict[str, object] = {f"name_{lang}": entry.names[lang] for lang in NAME_LANGUAGES}
        if parent_field:
            wanted[parent_field] = parents[entry.parent]
        obj = existing.get(code)
        if obj is None:
            obj = model.objects.create(code=code, **wanted)
            created += 1
        else:
            changed = [name for name, value in wanted.items() if getattr(obj, name) != value]
            if changed:
                for name in changed:
                    setattr(obj, name, wanted[name])
                obj.save(update_fields=changed)
                updated += 1
        by_code[code] = obj
    return by_code, created, updated

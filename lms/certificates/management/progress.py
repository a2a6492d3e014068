"""A progress bar for the bulk commands: tqdm on a terminal, a line every N items otherwise."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from io import TextIOBase
from typing import Any, TextIO, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(
    items: Iterable[T], total: int, stream: TextIO | TextIOBase, label: str
) -> Iterator[T]:
    if stream.isatty():
        yield from tqdm(items, total=total, desc=label, file=stream, unit="")
        return
    # In a log file a redrawn bar is noise; a line every 10 % (at least every 100) reads well.
    every = max(1, min(100, total // 10))
    done = 0
    for item in items:
        yield item
        done += 1
        if done % every == 0 or done == total:
            stream.write(f"{label}: {done}/{total}\n")


def write(stream: Any, text: str) -> None:
    stream.write(text + "\n")

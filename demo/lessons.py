"""Lesson bodies of the demo courses, as StreamField raw data built from the content file."""

from __future__ import annotations

import copy
from typing import Any

from django.utils.html import escape

from demo.narration import Voices


def lesson_blocks(
    lesson: dict[str, Any], language: str, voices: Voices | None = None
) -> list[dict[str, Any]]:
    """A reading lesson's body as StreamField raw data (no ids: saving gives them)."""
    blocks: list[dict[str, Any]] = []
    for block in lesson["body"]:
        if block["type"] == "text":
            html = block["value"][language]
            # The lesson's opening words are read aloud, for learners who do not read well.
            narration = voices.narration(html, language) if voices and not blocks else None
            value = {"text": html, "narration": narration.pk if narration else None}
            blocks.append({"type": "text", "value": value})
        elif block["type"] == "callout":
            blocks.append(
                {
                    "type": "callout",
                    "value": {"tone": block["tone"], "text": block["value"][language]},
                }
            )
        else:
            raise ValueError(f"Unknown block type in the demo content: {block['type']!r}")
    return blocks


def quiz_blocks(quiz: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """A quiz lesson's body: the intro as text, then one question block per question."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "text",
            "value": {"text": f"<p>{escape(quiz['intro'][language])}</p>", "narration": None},
        }
    ]
    for question in quiz["questions"]:
        blocks.append(
            {
                "type": "question",
                "value": {
                    "kind": question["kind"],
                    "prompt": question["prompt"][language],
                    "image": None,
                    "narration": None,
                    "options": [
                        {
                            "text": option["text"][language],
                            "image": None,
                            "correct": option["correct"],
                            "feedback": option["feedback"][language],
                        }
                        for option in question["options"]
                    ],
                },
            }
        )
    return blocks


def translated_body(stored: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> list[Any]:
    """``stored`` (raw data with ids) with its words replaced by those of ``wanted``.

    Only strings change: block ids, answer ids, kinds, tones and which answers are correct stay
    as they are, because learners' answers are recorded against those ids in every language.
    """
    if len(stored) != len(wanted):
        raise ValueError("The translated body has a different number of blocks.")
    body = copy.deepcopy(stored)
    for block, source in zip(body, wanted, strict=True):
        if block["type"] != source["type"]:
            raise ValueError(f"Block {block['type']!r} cannot take a {source['type']!r}.")
        if block["type"] == "text":
            block["value"] = source["value"]
        elif block["type"] == "callout":
            block["value"]["text"] = source["value"]["text"]
        elif block["type"] == "question":
            block["value"]["prompt"] = source["value"]["prompt"]
            options = block["value"]["options"]
            for option, source_option in zip(options, source["value"]["options"], strict=True):
                # ListBlock children are stored as {"type": "item", "value": ..., "id": ...}.
                value = option["value"] if "id" in option and "value" in option else option
                value["text"] = source_option["text"]
                value["feedback"] = source_option["feedback"]
    return body

"""Course cover pictures for the demo, drawn with Pillow instead of shipped as binary files.

Each cover is a warm clay or spice colour with a zellige-like tiling of eight-pointed stars and a
frieze at the top and bottom. There is no text on it: titles are translated, pictures are not.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 720, 360
# Drawn at twice the size and scaled down, which smooths the star edges.
SUPERSAMPLE = 2

# (ground, dark, light): terracotta, saffron, pomegranate, ochre and cedar.
PALETTES = [
    ("#b5523b", "#6e2a1f", "#f3dcb8"),
    ("#d49a32", "#7f4f12", "#fbefd3"),
    ("#a33d4c", "#5f1b28", "#f6d8cc"),
    ("#c46f36", "#733915", "#f8e3c6"),
    ("#9a5a3b", "#54291b", "#efdcc2"),
]


def _star(center: tuple[float, float], radius: float) -> list[list[tuple[float, float]]]:
    """The two overlapping squares that make an eight-pointed star (khatam)."""
    cx, cy = center
    squares = []
    for start in (0.0, math.pi / 4):
        squares.append(
            [
                (
                    cx + radius * math.cos(start + k * math.pi / 2),
                    cy + radius * math.sin(start + k * math.pi / 2),
                )
                for k in range(4)
            ]
        )
    return squares


def _diamond(center: tuple[float, float], radius: float) -> list[tuple[float, float]]:
    cx, cy = center
    return [(cx, cy - radius), (cx + radius, cy), (cx, cy + radius), (cx - radius, cy)]


def draw_cover(variant: int) -> bytes:
    """A 720x360 JPEG; ``variant`` picks the colours, so each course keeps its own."""
    ground, dark, light = PALETTES[variant % len(PALETTES)]
    s = SUPERSAMPLE
    width, height = WIDTH * s, HEIGHT * s
    image = Image.new("RGB", (width, height), ground)
    draw = ImageDraw.Draw(image)

    frieze = 30 * s
    cell = 80 * s
    # Centre the tiling so that the stars are cut evenly at both edges.
    columns = width // cell + 2
    rows = (height - 2 * frieze) // cell + 2
    x0 = (width - (columns - 1) * cell) / 2
    y0 = (height - (rows - 1) * cell) / 2
    for row in range(rows):
        for column in range(columns):
            cx, cy = x0 + column * cell, y0 + row * cell
            for square in _star((cx, cy), cell * 0.42):
                draw.polygon(square, fill=light)
            for square in _star((cx, cy), cell * 0.26):
                draw.polygon(square, fill=dark)
            draw.ellipse(
                [cx - cell * 0.07, cy - cell * 0.07, cx + cell * 0.07, cy + cell * 0.07],
                fill=ground,
            )
            # The small diamonds between four stars, as in a tiled floor.
            draw.polygon(_diamond((cx + cell / 2, cy + cell / 2), cell * 0.12), fill=dark)

    for top in (0, height - frieze):
        draw.rectangle([0, top, width, top + frieze], fill=dark)
        step = frieze
        for x in range(0, width + step, step):
            draw.polygon(_diamond((x, top + frieze / 2), frieze * 0.3), fill=light)
    draw.line([(0, frieze), (width, frieze)], fill=light, width=2 * s)
    draw.line([(0, height - frieze), (width, height - frieze)], fill=light, width=2 * s)

    image = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88, optimize=True)
    return buffer.getvalue()

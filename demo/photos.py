"""The demo applicants' photos, made as a phone takes them: a JPEG carrying the camera's model
and the place it was taken (EXIF), which the application's upload path re-encodes without."""

from __future__ import annotations

import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

CAMERA_MODEL = "Demo Phone X1"
# A GPS position (the Marrakech medina) as a phone writes it: degrees, minutes, seconds.
GPS = {1: "N", 2: (31.0, 37.0, 48.0), 3: "W", 4: (7.0, 59.0, 24.0)}


def phone_photo(label: str) -> SimpleUploadedFile:
    """A small picture of a workshop's wall, in a colour of its own, with phone metadata."""
    hue = zlib.crc32(label.encode())
    colour = (96 + hue % 128, 64 + (hue >> 8) % 96, 32 + (hue >> 16) % 64)
    image = Image.new("RGB", (480, 360), colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, 480, 40):
        draw.rectangle((step, 240, step + 30, 330), fill=(240, 230, 210))
    exif = Image.Exif()
    exif[0x0110] = CAMERA_MODEL
    exif[0x0112] = 1  # upright
    exif.get_ifd(0x8825).update(GPS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif)
    return SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), content_type="image/jpeg")

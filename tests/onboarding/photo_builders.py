"""Builders for the photo tests (no tests here): hostile and revealing uploads, and a request
body that counts what the server reads of it."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

GPS = {1: "N", 2: (33.0, 35.0, 10.0), 3: "W", 4: (7.0, 36.0, 0.0)}
CAMERA = "Pixel 7"
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def jpeg_with_exif(width: int = 60, height: int = 40, orientation: int = 6) -> bytes:
    """A phone photo: GPS position, camera model, and an orientation to apply."""
    exif = PILImage.Exif()
    exif[0x0110] = CAMERA
    exif[0x0112] = orientation
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 120, 40)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def polyglot(name: str = "poly.html") -> SimpleUploadedFile:
    """A valid JPEG with an HTML page appended, named as a web page."""
    return SimpleUploadedFile(name, jpeg_with_exif() + SCRIPT, content_type="text/html")


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def pixel_bomb(side: int = 12000) -> SimpleUploadedFile:
    """A PNG of a few hundred bytes whose header announces ``side`` × ``side`` pixels."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (side + 1) * 16, 9)  # the first rows; the header counts
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows)
    data += _chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")


class CountingBody:
    """A multipart body of ``size`` bytes, made as it is read, that counts the bytes read."""

    boundary = "maalem-boundary"

    def __init__(self, size: int, fields: dict[str, str]) -> None:
        head = "".join(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in fields.items()
        )
        head += (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="photo"; '
            'filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        )
        self.head = head.encode()
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.size = size
        self.read_bytes = 0

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def _byte(self, position: int) -> bytes:
        if position < len(self.head):
            return self.head[position : position + 1]
        if position >= self.size - len(self.tail):
            offset = position - (self.size - len(self.tail))
            return self.tail[offset : offset + 1]
        return b"x"

    def read(self, count: int = -1) -> bytes:
        if count is None or count < 0:
            count = self.size - self.read_bytes
        count = min(count, self.size - self.read_bytes)
        start = self.read_bytes
        self.read_bytes += count
        if start >= len(self.head) and start + count <= self.size - len(self.tail):
            return b"x" * count
        return b"".join(self._byte(position) for position in range(start, start + count))

    def readline(self, count: int = -1) -> bytes:
        return self.read(count)

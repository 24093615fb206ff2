"""A PNG encoder for camera frames as numpy arrays, with the standard library alone (no PIL needed).

Only what a frame needs: 8-bit greyscale, RGB or RGBA, no interlacing, filter "none" on every row
(zlib does the compressing; the API decodes any valid PNG).
"""
from __future__ import annotations

import struct
import zlib

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG colour types by channel count: greyscale, RGB, RGBA.
_COLOUR_TYPES = {1: 0, 3: 2, 4: 6}


def encode_png(pixels: bytes, width: int, height: int, channels: int) -> bytes:
    """``pixels``: ``height`` rows of ``width`` * ``channels`` bytes, top to bottom."""
    if channels not in _COLOUR_TYPES:
        raise ValueError(f"a PNG frame has 1, 3 or 4 channels, not {channels}")
    stride = width * channels
    if len(pixels) != stride * height:
        raise ValueError(f"{len(pixels)} bytes are not {height} rows of {stride}")
    rows = b"".join(b"\x00" + pixels[y * stride:(y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOUR_TYPES[channels], 0, 0, 0)
    return _SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 6)) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

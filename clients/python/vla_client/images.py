"""The image of a call as the bytes of a PNG or JPEG file, whatever form the caller has it in.

PIL and numpy are optional: an object is recognised as theirs only when the caller has imported
them already (it could not be one otherwise), so this module imports neither.
"""
from __future__ import annotations

import io
import os
import sys

from .png import encode_png

# Modes the API's decoder reads from a PNG as they are; others (CMYK, 16-bit, palettes) become RGB.
_PNG_MODES = ("L", "RGB", "RGBA")


def image_bytes(image: object) -> bytes:
    """A file path (str or os.PathLike), the file's bytes, a PIL image, or a numpy uint8 array
    (height x width, or height x width x 1, 3 or 4 channels, RGB order)."""
    if isinstance(image, (str, os.PathLike)):
        with open(image, "rb") as f:
            return f.read()
    if isinstance(image, (bytes, bytearray, memoryview)):
        return bytes(image)
    pil_image = sys.modules.get("PIL.Image")
    if pil_image is not None and isinstance(image, pil_image.Image):
        return _pil_png(image)
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(image, numpy.ndarray):
        return _array_png(numpy, image)
    raise TypeError(f"image must be a path, bytes, a PIL image or a numpy array, not {type(image).__name__}")


def _pil_png(image) -> bytes:
    if image.mode not in _PNG_MODES:
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _array_png(numpy, frame) -> bytes:
    if frame.dtype != numpy.uint8:
        raise ValueError(f"a numpy frame must be uint8 (0-255), not {frame.dtype}: "
                         "convert it first, e.g. (frame * 255).clip(0, 255).astype(numpy.uint8)")
    if frame.ndim == 2:
        frame = frame[:, :, None]
    if frame.ndim != 3 or frame.shape[2] not in (1, 3, 4):
        raise ValueError(f"a numpy frame is height x width [x 1, 3 or 4 channels], not shape {frame.shape}")
    height, width, channels = frame.shape
    return encode_png(numpy.ascontiguousarray(frame).tobytes(), width, height, channels)

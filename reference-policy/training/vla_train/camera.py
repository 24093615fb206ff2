"""What a real camera does to the image that the renderer does not: the perturbations the policy
is trained to hold up under, and the strengths the robustness table reports (see MODEL_CARD.md).

numpy and PIL only (no torch), so that evaluation clients can perturb frames the same way.
Every function takes and returns a uint8 HxWx3 RGB image; pixel sizes are given for a 256-pixel
frame and scale with the frame's width.
"""
import math

import numpy as np
from PIL import Image, ImageFilter

REFERENCE_WIDTH = 256


def _scale(image) -> float:
    return image.shape[1] / REFERENCE_WIDTH


def brightness(image, factor: float, rng=None):
    """Exposure / lighting level: every channel times `factor`."""
    return np.clip(image.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def white_balance(image, gains, rng=None):
    """Colour temperature the camera's auto white balance got wrong: one gain per channel (R, G, B)."""
    return np.clip(image.astype(np.float32) * np.asarray(gains, dtype=np.float32), 0, 255).astype(np.uint8)


def noise(image, sigma: float, rng):
    """Sensor noise: Gaussian, sigma in 8-bit levels, independent per pixel and channel."""
    return np.clip(image.astype(np.float32) + rng.normal(0.0, sigma, image.shape), 0, 255).astype(np.uint8)


def blur(image, sigma_px: float, rng=None):
    """Defocus / motion blur: Gaussian, sigma in pixels of a 256-pixel frame."""
    if sigma_px <= 0:
        return image
    return np.asarray(Image.fromarray(image).filter(ImageFilter.GaussianBlur(sigma_px * _scale(image))))


def resolution(image, factor: float, rng=None):
    """A lower-resolution camera upscaled to the frame size: bilinear down to `factor`, bilinear back."""
    h, w = image.shape[:2]
    small = Image.fromarray(image).resize((max(8, round(w * factor)), max(8, round(h * factor))), Image.BILINEAR)
    return np.asarray(small.resize((w, h), Image.BILINEAR))


def shift(image, params, rng=None):
    """A camera mount that moved: (dx px, dy px, rotation degrees) about the centre, edges filled with
    the frame's own border colour."""
    dx, dy, degrees = params
    s = _scale(image)
    pil = Image.fromarray(image)
    fill = tuple(int(v) for v in np.median(np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]]), axis=0))
    return np.asarray(pil.rotate(degrees, resample=Image.BILINEAR, translate=(dx * s, dy * s), fillcolor=fill))


def jpeg(image, quality: int, rng=None):
    """Lossy compression of a camera stream or an uploaded frame."""
    import io
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", quality=int(quality))
    buffer.seek(0)
    return np.asarray(Image.open(buffer).convert("RGB"))


# The robustness table: one perturbation at a time, at the strength a deployment plausibly sees
# (the reasons are in MODEL_CARD.md). Training samples strengths somewhat beyond these.
TABLE = [
    ("brightness x0.6 (dim room)", brightness, 0.6),
    ("brightness x1.4 (bright, over-exposed)", brightness, 1.4),
    ("white balance warm (R x1.15, B x0.85)", white_balance, (1.15, 1.0, 0.85)),
    ("white balance cool (R x0.85, B x1.15)", white_balance, (0.85, 1.0, 1.15)),
    ("sensor noise sigma 8 levels", noise, 8.0),
    ("blur sigma 2 px", blur, 2.0),
    ("resolution 1/4 (64 px camera)", resolution, 0.25),
    ("camera shift 6 px right, 6 px up, 3 deg", shift, (6.0, -6.0, 3.0)),
    ("JPEG quality 30", jpeg, 30),
]


def perturbation(name: str):
    """The table's perturbation of that name as image, rng -> image."""
    for label, fn, strength in TABLE:
        if label == name:
            return lambda image, rng: fn(image, strength, rng)
    raise KeyError(name)


def random_camera(image, rng):
    """Training augmentation: a quarter of frames clean; otherwise each effect independently with
    probability 0.4 at a random strength up to a little beyond the table's, in the order a camera
    applies them (optics, sensor, processing, compression)."""
    if rng.random() < 0.25:
        return image
    if rng.random() < 0.4:
        image = shift(image, (rng.uniform(-8, 8), rng.uniform(-8, 8), rng.uniform(-4, 4)))
    if rng.random() < 0.4:
        image = blur(image, rng.uniform(0.3, 2.5))
    if rng.random() < 0.4:
        image = resolution(image, rng.uniform(0.2, 0.8))
    if rng.random() < 0.4:
        image = white_balance(image, rng.uniform(0.8, 1.2, size=3))
    if rng.random() < 0.4:
        image = brightness(image, math.exp(rng.uniform(math.log(0.55), math.log(1.5))))
    if rng.random() < 0.4:
        image = noise(image, rng.uniform(1.0, 10.0), rng)
    if rng.random() < 0.4:
        image = jpeg(image, int(rng.integers(25, 95)))
    return image

"""Image and text preprocessing shared by training, evaluation and (re-implemented) the Java runner.

Both sides must agree to 1/255 per pixel, so the resize is defined here precisely instead of
borrowing a library's: a separable triangle (bilinear) filter whose support widens with the
downscale factor (the same rule as PIL's antialiased BILINEAR), evaluated at pixel centres,
computed in float64 without intermediate rounding.
"""
import math
import re
from functools import lru_cache

import numpy as np

TOKEN_PATTERN = re.compile(r"[a-z0-9]+")
PAD, UNK = "<pad>", "<unk>"


@lru_cache(maxsize=64)
def resize_weights(in_size: int, out_size: int) -> np.ndarray:
    """Row i holds the weights of input pixels contributing to output pixel i (rows sum to 1)."""
    scale = in_size / out_size
    support = max(scale, 1.0)
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    for i in range(out_size):
        centre = (i + 0.5) * scale
        lo = max(0, int(math.floor(centre - support)))
        hi = min(in_size, int(math.ceil(centre + support)))
        for j in range(lo, hi):
            w = 1.0 - abs((j + 0.5 - centre) / support)
            if w > 0:
                weights[i, j] = w
        weights[i] /= weights[i].sum()
    return weights


def resize_chw(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """uint8 HxWx3 -> float64 3 x height x width in [0, 255]."""
    wh = resize_weights(image.shape[0], height)
    ww = resize_weights(image.shape[1], width)
    chw = np.ascontiguousarray(image.transpose(2, 0, 1), dtype=np.float64)
    return wh @ chw @ ww.T


def to_input_tensor(image: np.ndarray, height: int, width: int, mean, std) -> np.ndarray:
    """uint8 HxWx3 RGB -> float32 3 x height x width, normalised as the model was trained."""
    resized = resize_chw(image, height, width) / 255.0
    mean = np.asarray(mean, dtype=np.float64)[:, None, None]
    std = np.asarray(std, dtype=np.float64)[:, None, None]
    return ((resized - mean) / std).astype(np.float32)


def words(instruction: str):
    return TOKEN_PATTERN.findall(instruction.lower())


def tokenize(instruction: str, vocab: dict, max_length: int) -> np.ndarray:
    """Word ids padded with 0 (<pad>); unknown words map to <unk>; longer text is truncated."""
    ids = [vocab.get(w, vocab[UNK]) for w in words(instruction)][:max_length]
    out = np.zeros(max_length, dtype=np.int64)
    out[: len(ids)] = ids
    return out


def load_vocab(path) -> dict:
    with open(path, encoding="utf-8") as f:
        tokens = [line.rstrip("\n") for line in f if line.strip()]
    return {t: i for i, t in enumerate(tokens)}

"""Write the out-of-distribution evaluation set: images unlike any tabletop scene the policy knows.

    /usr/bin/python3 -m vla_train.ood --out DIR [--per-category 40]

Each image comes with a realistic instruction drawn from the task's own templates, so only the
image is out of distribution. Every image is a function of its seed (OOD_SEED_BASE + index), a
range no training, validation or held-out scene uses.
"""
import argparse
import json
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import scenes

OOD_SEED_BASE = 4_000_000
# Colours the task never draws, far enough from its five that no reading of the scene is a known object.
UNKNOWN_COLOURS = {
    "orange": (240, 130, 20), "cyan": (40, 210, 220), "pink": (250, 150, 200),
    "white": (250, 250, 250), "black": (15, 15, 15), "brown": (120, 75, 35),
}
# Pixel sizes: flat images at the model's input size; scenes at a resolution training used.
FLAT_SIZE = 64
SCENE_SIZE = 128


def instruction(rng) -> str:
    colour = str(rng.choice(list(scenes.COLOURS)))
    shape = str(rng.choice(scenes.SHAPES))
    return str(rng.choice(scenes.TEMPLATES)).format(
        verb=str(rng.choice(scenes.VERBS)),
        colour=str(rng.choice(scenes.COLOUR_WORDS[colour])),
        shape=str(rng.choice(scenes.SHAPE_WORDS[shape])))


def noise(rng) -> np.ndarray:
    if rng.random() < 0.5:
        return rng.integers(0, 256, size=(FLAT_SIZE, FLAT_SIZE, 3), dtype=np.uint8)
    grey = rng.normal(rng.uniform(60, 200), rng.uniform(20, 60), size=(FLAT_SIZE, FLAT_SIZE, 1))
    return np.clip(np.repeat(grey, 3, axis=2), 0, 255).astype(np.uint8)


def gradient(rng) -> np.ndarray:
    ys, xs = np.mgrid[0:FLAT_SIZE, 0:FLAT_SIZE] / (FLAT_SIZE - 1)
    if rng.random() < 0.5:
        angle = rng.uniform(0, 2 * math.pi)
        t = (xs - 0.5) * math.cos(angle) + (ys - 0.5) * math.sin(angle) + 0.5
    else:
        cx, cy = rng.uniform(0, 1, size=2)
        t = np.hypot(xs - cx, ys - cy) / math.sqrt(2)
    t = np.clip(t, 0, 1)[..., None]
    a, b = rng.integers(0, 256, size=(2, 3))
    return (a * (1 - t) + b * t).astype(np.uint8)


def blank(rng) -> np.ndarray:
    kind = rng.random()
    if kind < 0.25:
        colour = (0, 0, 0)
    elif kind < 0.5:
        colour = (255, 255, 255)
    else:
        colour = tuple(int(v) for v in rng.integers(0, 256, size=3))
    return np.broadcast_to(np.asarray(colour, dtype=np.uint8), (FLAT_SIZE, FLAT_SIZE, 3)).copy()


def texture(rng) -> np.ndarray:
    """Photo-like: smooth multi-scale (1/f) noise tinted like wood, stone, grass or sky."""
    field = np.zeros((FLAT_SIZE, FLAT_SIZE))
    for octave in range(1, 6):
        cells = 2 ** octave
        coarse = rng.normal(size=(cells, cells))
        up = np.asarray(Image.fromarray(coarse.astype(np.float32), mode="F").resize((FLAT_SIZE, FLAT_SIZE), Image.BICUBIC))
        field += up / octave
    field = (field - field.min()) / (field.max() - field.min() + 1e-9)
    if rng.random() < 0.4:     # wood-like grain
        field = 0.5 + 0.5 * np.sin(field * rng.uniform(10, 30) + np.mgrid[0:FLAT_SIZE, 0:FLAT_SIZE][1] * 0.1)
    dark, light = rng.integers(0, 256, size=(2, 3))
    img = dark * (1 - field[..., None]) + light * field[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def _scene_with(rng, draw_object) -> np.ndarray:
    """A tabletop scene (table, brightness, gripper as in training) whose objects draw_object draws."""
    base = scenes.sample_scene(int(rng.integers(0, 2**31)) + 10_000_000)
    px = SCENE_SIZE / scenes.TABLE_M
    img = Image.new("RGB", (SCENE_SIZE, SCENE_SIZE), base.table_rgb)
    draw = ImageDraw.Draw(img)
    for o in base.objects:
        draw_object(draw, o, o.x * px, (scenes.TABLE_M - o.y) * px, o.radius * px)
    arr = np.asarray(img)
    gripper_only = scenes.Scene(base.seed, [], 0, base.gripper, "", base.table_rgb, 1.0)
    ring = scenes.render(gripper_only, SCENE_SIZE)
    plain = np.asarray(Image.new("RGB", (SCENE_SIZE, SCENE_SIZE), base.table_rgb))
    drawn = np.any(ring != plain, axis=2, keepdims=True)
    arr = np.where(drawn, ring, arr).astype(np.float64) * base.brightness
    return np.clip(arr, 0, 255).astype(np.uint8)


def unknown_colour(rng) -> np.ndarray:
    """The task's shapes in colours it never draws."""
    colours = list(UNKNOWN_COLOURS.values())

    def draw_object(draw, o, cx, cy, r):
        fill = colours[int(rng.integers(0, len(colours)))]
        edge = tuple(int(c * 0.6) for c in fill)
        if o.shape == "ball":
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill, outline=edge)
        else:
            s = r * (0.9 if o.shape == "cube" else 1.1)
            ca, sa = math.cos(o.angle), math.sin(o.angle)
            w = s if o.shape == "cube" else r * 0.55
            pts = [(cx + u * ca - v * sa, cy + u * sa + v * ca) for u, v in [(-s, -w), (s, -w), (s, w), (-s, w)]]
            draw.polygon(pts, fill=fill, outline=edge)
    return _scene_with(rng, draw_object)


def unknown_shape(rng) -> np.ndarray:
    """The task's colours in shapes it never draws: triangles, stars, crosses, rings."""
    def draw_object(draw, o, cx, cy, r):
        fill = scenes.COLOURS[o.colour]
        edge = tuple(int(c * 0.6) for c in fill)
        kind = int(rng.integers(0, 4))
        if kind == 0:
            pts = [(cx + r * math.cos(o.angle + k * 2 * math.pi / 3), cy + r * math.sin(o.angle + k * 2 * math.pi / 3)) for k in range(3)]
            draw.polygon(pts, fill=fill, outline=edge)
        elif kind == 1:
            pts = [(cx + (r if k % 2 == 0 else r * 0.45) * math.cos(o.angle + k * math.pi / 5),
                    cy + (r if k % 2 == 0 else r * 0.45) * math.sin(o.angle + k * math.pi / 5)) for k in range(10)]
            draw.polygon(pts, fill=fill, outline=edge)
        elif kind == 2:
            w = max(1, int(r * 0.5))
            draw.line([cx - r, cy, cx + r, cy], fill=fill, width=w)
            draw.line([cx, cy - r, cx, cy + r], fill=fill, width=w)
        else:
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=fill, width=max(1, int(r * 0.35)))
    return _scene_with(rng, draw_object)


CATEGORIES = {
    "noise": noise, "gradient": gradient, "blank": blank, "texture": texture,
    "unknown_colour": unknown_colour, "unknown_shape": unknown_shape,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--per-category", type=int, default=40)
    args = parser.parse_args()

    (args.out / "images").mkdir(parents=True, exist_ok=True)
    index = 0
    with open(args.out / "images.jsonl", "w", encoding="utf-8") as rows:
        for category, make in CATEGORIES.items():
            for _ in range(args.per_category):
                seed = OOD_SEED_BASE + index
                rng = np.random.default_rng(seed)
                name = f"images/{index:04d}.png"
                Image.fromarray(make(rng)).save(args.out / name, optimize=True)
                rows.write(json.dumps({"id": index, "seed": seed, "image": name, "category": category,
                                       "instruction": instruction(rng)}) + "\n")
                index += 1
    print(f"wrote {index} images in {len(CATEGORIES)} categories to {args.out}")


if __name__ == "__main__":
    main()

"""The synthetic tabletop task: scenes, instructions and the scripted expert.

Coordinates are metres on a 0.6 m x 0.6 m table seen from straight above: x grows to the image's
right, y grows towards the image's top. The gripper is drawn as a ring whose size grows with its
height, so height is visible from above, as it would be for a real overhead camera.
"""
import math
from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image, ImageDraw

TABLE_M = 0.6
MAX_STEP_M = 0.04          # largest xy or z move per control step (10 Hz)
GRASP_Z_M = 0.02           # gripper height at which it can close on an object
GRASP_BAND_M = 0.005       # the gripper closes when no higher than GRASP_Z_M + this
# The expert's descent aims a centimetre below grasp height (the table stops it at 0), so an
# executed chunk whose descent falls a few millimetres short still ends low enough to close.
DESCEND_TO_M = 0.01
NEAR_M = 0.03              # "above the target": xy distance below this
FAR_M = 0.06               # move states keep at least this far, so the phase is never ambiguous
START_DISTANCE_M = 0.2     # episodes start at least this far from the target in xy
CHUNK_LENGTH = 8           # actions per prediction: the expert rolled forward this many 10 Hz steps
ACTION_NAMES = ["dx", "dy", "dz", "droll", "dpitch", "dyaw", "gripper"]

COLOURS = {
    "red": (210, 45, 45),
    "green": (45, 165, 70),
    "blue": (45, 85, 215),
    "yellow": (225, 200, 40),
    "purple": (145, 60, 185),
}
SHAPES = ["cube", "ball", "cylinder"]
SHAPE_WORDS = {"cube": ["cube", "block", "box"], "ball": ["ball", "sphere"], "cylinder": ["cylinder", "can", "tube"]}
COLOUR_WORDS = {"red": ["red"], "green": ["green"], "blue": ["blue"], "yellow": ["yellow"], "purple": ["purple", "violet"]}
VERBS = ["pick up", "grab", "grasp", "take", "get", "lift", "move to", "go to", "reach for", "approach"]
TEMPLATES = [
    "{verb} the {colour} {shape}",
    "please {verb} the {colour} {shape}",
    "{verb} the {colour} {shape} please",
    "{verb} the {shape} that is {colour}",
    "can you {verb} the {colour} {shape}",
    "now {verb} the {colour} {shape}",
]


@dataclass
class SceneObject:
    colour: str
    shape: str
    x: float
    y: float
    radius: float
    angle: float


@dataclass
class Scene:
    seed: int
    objects: list
    target: int
    gripper: tuple           # (x, y, z) in metres
    instruction: str
    table_rgb: tuple
    brightness: float
    expert_action: list = field(default_factory=list)


def sample_scene(seed: int) -> Scene:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 6))
    target_colour = str(rng.choice(list(COLOURS)))
    target_shape = str(rng.choice(SHAPES))
    kinds = [(target_colour, target_shape)]
    # Distractors that share the target's colour and its shape: neither alone finds the target.
    other_shapes = [s for s in SHAPES if s != target_shape]
    other_colours = [c for c in COLOURS if c != target_colour]
    kinds.append((target_colour, str(rng.choice(other_shapes))))
    kinds.append((str(rng.choice(other_colours)), target_shape))
    if n == 2:
        kinds = [kinds[0], kinds[1 + int(rng.integers(0, 2))]]
    while len(kinds) < n:
        candidate = (str(rng.choice(list(COLOURS))), str(rng.choice(SHAPES)))
        if candidate != kinds[0]:
            kinds.append(candidate)

    objects = []
    for colour, shape in kinds:
        for _ in range(1000):
            radius = float(rng.uniform(0.036, 0.045))
            x, y = (float(v) for v in rng.uniform(0.07, TABLE_M - 0.07, size=2))
            if all(math.hypot(x - o.x, y - o.y) > 2.6 * max(radius, o.radius) + 0.01 for o in objects):
                break
        objects.append(SceneObject(colour, shape, x, y, radius, float(rng.uniform(0, math.pi))))
    order = rng.permutation(n)
    objects = [objects[i] for i in order]
    target = int(np.where(order == 0)[0][0])

    tx, ty = objects[target].x, objects[target].y
    phase = rng.random()
    if phase < 0.5:          # travelling towards the target
        while True:
            gx, gy = (float(v) for v in rng.uniform(0.03, TABLE_M - 0.03, size=2))
            if math.hypot(gx - tx, gy - ty) > FAR_M:
                break
        gz = float(rng.uniform(0.06, 0.15))
    else:                    # above the target: descend, or grasp when low enough
        r = float(rng.uniform(0, NEAR_M * 0.8))
        a = float(rng.uniform(0, 2 * math.pi))
        gx, gy = tx + r * math.cos(a), ty + r * math.sin(a)
        gz = float(rng.uniform(0.06, 0.15)) if phase < 0.8 else float(rng.uniform(GRASP_Z_M, GRASP_Z_M + 0.004))

    template = str(rng.choice(TEMPLATES))
    instruction = template.format(
        verb=str(rng.choice(VERBS)),
        colour=str(rng.choice(COLOUR_WORDS[target_colour])),
        shape=str(rng.choice(SHAPE_WORDS[target_shape])),
    )
    table = tuple(int(v) for v in rng.integers(150, 200, size=3))
    scene = Scene(seed, objects, target, (gx, gy, gz), instruction, table, float(rng.uniform(0.85, 1.15)))
    scene.expert_action = expert_action(scene)
    return scene


def expert_action(scene: Scene) -> list:
    """Move towards the target at full speed; above it, descend; at grasp height, close."""
    gx, gy, gz = scene.gripper
    t = scene.objects[scene.target]
    dx, dy = t.x - gx, t.y - gy
    dist = math.hypot(dx, dy)
    if dist >= NEAR_M:
        return [MAX_STEP_M * dx / dist, MAX_STEP_M * dy / dist, 0.0, 0.0, 0.0, 0.0, 0.0]
    if gz > GRASP_Z_M + GRASP_BAND_M:
        return [dx, dy, -min(MAX_STEP_M, gz - DESCEND_TO_M), 0.0, 0.0, 0.0, 0.0]
    return [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]


def apply_action(gripper: tuple, action) -> tuple:
    """The arm's state transition: the gripper moves by the action's xyz step (steps clipped to
    MAX_STEP_M per axis, never below the table)."""
    dx, dy, dz = (max(-MAX_STEP_M, min(MAX_STEP_M, float(v))) for v in action[:3])
    return gripper[0] + dx, gripper[1] + dy, max(0.0, gripper[2] + dz)


def expert_chunk(scene: Scene, horizon: int = CHUNK_LENGTH) -> list:
    """The expert rolled forward `horizon` steps from the scene's gripper state: once it closes the
    gripper the arm stays put and holds it closed (zero motion, gripper = 1)."""
    gripper = scene.gripper
    chunk = []
    for _ in range(horizon):
        if chunk and chunk[-1][6] >= 0.5:
            chunk.append([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0])
            continue
        action = expert_action(replace(scene, gripper=gripper))
        chunk.append(action)
        gripper = apply_action(gripper, action)
    return chunk


def start_gripper(scene: Scene, rng) -> tuple:
    """Where an episode starts: high above the table and at least START_DISTANCE_M from the target in
    xy, as a real arm leaves its home pose."""
    t = scene.objects[scene.target]
    while True:
        gx, gy = (float(v) for v in rng.uniform(0.03, TABLE_M - 0.03, size=2))
        if math.hypot(gx - t.x, gy - t.y) >= START_DISTANCE_M:
            return gx, gy, float(rng.uniform(0.10, 0.15))


def render(scene: Scene, size: int) -> np.ndarray:
    """Draw the scene at size x size pixels; returns uint8 HxWx3 RGB."""
    px = size / TABLE_M
    img = Image.new("RGB", (size, size), scene.table_rgb)
    draw = ImageDraw.Draw(img)

    def to_px(x, y):
        return x * px, (TABLE_M - y) * px

    for o in scene.objects:
        cx, cy = to_px(o.x, o.y)
        r = o.radius * px
        fill = COLOURS[o.colour]
        edge = tuple(int(c * 0.6) for c in fill)
        if o.shape == "ball":
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill, outline=edge)
            hr = r * 0.35
            draw.ellipse([cx - r * 0.45 - hr, cy - r * 0.45 - hr, cx - r * 0.45 + hr, cy - r * 0.45 + hr],
                         fill=tuple(min(255, int(c * 0.5 + 128)) for c in fill))
        elif o.shape == "cube":
            s = r * 0.9
            corners = [(-s, -s), (s, -s), (s, s), (-s, s)]
            ca, sa = math.cos(o.angle), math.sin(o.angle)
            pts = [(cx + u * ca - v * sa, cy + u * sa + v * ca) for u, v in corners]
            draw.polygon(pts, fill=fill, outline=edge)
        else:  # a cylinder lying on its side: a long capsule
            half, w = r * 1.25, r * 0.55
            ca, sa = math.cos(o.angle), math.sin(o.angle)
            pts = [(cx + u * ca - v * sa, cy + u * sa + v * ca) for u, v in [(-half, -w), (half, -w), (half, w), (-half, w)]]
            draw.polygon(pts, fill=fill, outline=edge)
            for sign in (-1, 1):
                ex, ey = cx + sign * half * ca, cy + sign * half * sa
                draw.ellipse([ex - w, ey - w, ex + w, ey + w], fill=edge)

    gx, gy, gz = scene.gripper
    cx, cy = to_px(gx, gy)
    gr = (0.02 + 0.45 * (gz - GRASP_Z_M)) * px
    width = max(1, int(round(0.008 * px)))
    draw.ellipse([cx - gr, cy - gr, cx + gr, cy + gr], outline=(30, 30, 30), width=width)
    draw.line([cx - gr, cy, cx + gr, cy], fill=(245, 245, 245), width=width)
    draw.line([cx, cy - gr, cx, cy + gr], fill=(245, 245, 245), width=width)

    arr = np.asarray(img, dtype=np.float64) * scene.brightness
    return np.clip(arr, 0, 255).astype(np.uint8)


def vocabulary() -> list:
    """Every word the instruction templates can produce, after <pad> and <unk>."""
    found = set()
    for template in TEMPLATES:
        found.update(w for w in template.replace("{verb}", "").replace("{colour}", "").replace("{shape}", "").split())
    for group in (VERBS, *SHAPE_WORDS.values(), *COLOUR_WORDS.values()):
        for phrase in group:
            found.update(phrase.split())
    return ["<pad>", "<unk>"] + sorted(found)

"""Write the held-out evaluation set: PNG scenes larger than the model input, plus their labels.

    /usr/bin/python3 -m vla_train.heldout --out DIR [--scenes 400] [--size 256]
"""
import argparse
import json
from pathlib import Path

from PIL import Image

from . import evaluation, scenes
from .train import TEST_SEED_BASE


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--scenes", type=int, default=400)
    parser.add_argument("--size", type=int, default=256, help="rendered resolution (the model reads 64x64)")
    args = parser.parse_args()

    (args.out / "images").mkdir(parents=True, exist_ok=True)
    with open(args.out / "scenes.jsonl", "w", encoding="utf-8") as rows:
        for i in range(args.scenes):
            seed = TEST_SEED_BASE + i
            scene = scenes.sample_scene(seed)
            name = f"images/{i:04d}.png"
            Image.fromarray(scenes.render(scene, args.size)).save(args.out / name, optimize=True)
            target = scene.objects[scene.target]
            rows.write(json.dumps({
                "id": i, "seed": seed, "image": name, "instruction": scene.instruction,
                "expert_action": [round(v, 6) for v in scene.expert_action],
                "expert_chunk": [[round(v, 6) for v in a] for a in scenes.expert_chunk(scene)],
                "state": [round(v, 6) for v in scene.gripper],
                "target": {"colour": target.colour, "shape": target.shape},
                "objects": len(scene.objects),
                "same_colour": sum(o.colour == target.colour for o in scene.objects),
                "same_shape": sum(o.shape == target.shape for o in scene.objects),
            }) + "\n")
    (args.out / "task.json").write_text(json.dumps({
        "task": "tabletop pick, top-down camera",
        "unnorm_key": "tabletop_sim",
        "max_step_m": scenes.MAX_STEP_M,
        "chunk_length": scenes.CHUNK_LENGTH,
        "angle_tolerance_deg": evaluation.ANGLE_TOLERANCE_DEG,
        "success": "see MODEL_CARD.md: xy direction within 25 degrees when the expert moves (else under half a "
                   "step), descends exactly when the expert descends, gripper on the same side of 0.5; chunk step k "
                   "is scored against expert_chunk[k], the expert rolled forward from the scene's state",
    }, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.scenes} scenes at {args.size}x{args.size} to {args.out}")


if __name__ == "__main__":
    main()

"""Evaluate an exported bundle exactly as the Java runner will see it: held-out first-action and
per-chunk-step success, closed-loop episodes, and success under camera perturbations.

    /usr/bin/python3 -m vla_train.evaluate --bundle DIR --evalset DIR [--write-parity] [--episodes N]

--write-parity stores, for the first scenes, the preprocessed input tensors (float32 files) and
the exported model's outputs (even ids without state, odd ids with it), which the Java parity test
must reproduce. The numbers go to stdout, to the manifest's "training"."evaluation" and to
DIR/evaluation.json (the model card quotes them).
"""
import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from . import camera, episodes, evaluation, preprocess

PARITY_TENSORS = 8
PARITY_OUTPUTS = 32


def load_bundle(bundle: Path):
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    model = torch.jit.load(str(bundle / manifest["model_file"]))
    model.eval()
    vocab = preprocess.load_vocab(bundle / manifest["tokenizer"]["vocab_file"])
    return manifest, model, vocab


def denormalise(norm, stats):
    q01, q99, mask = (np.asarray(stats[k], dtype=np.float64) for k in ("q01", "q99", "mask"))
    return np.where(mask.astype(bool), 0.5 * (norm + 1) * (q99 - q01) + q01, norm)


def state_tensor(state) -> torch.Tensor:
    """The model's (1,4) state input: [x, y, z, 1] when given, zeros otherwise."""
    row = [0.0, 0.0, 0.0, 0.0] if state is None else [float(v) for v in state] + [1.0]
    return torch.tensor([row], dtype=torch.float32)


class Policy:
    """The exported model behind the serving preprocessing: (image, instruction, state) -> chunk."""

    def __init__(self, manifest, model, vocab, unnorm_key):
        self.manifest, self.model, self.vocab = manifest, model, vocab
        self.image = manifest["input"]["image"]
        self.stats = manifest["action"]["unnorm"][unnorm_key]

    def inputs(self, image, instruction):
        tensor = preprocess.to_input_tensor(image, self.image["height"], self.image["width"],
                                            self.image["mean"], self.image["std"])
        tokens = preprocess.tokenize(instruction, self.vocab, self.manifest["tokenizer"]["max_length"])
        return tensor, tokens

    def raw(self, tensor, tokens, state):
        with torch.no_grad():
            actions, embedding = self.model(torch.from_numpy(tensor)[None], torch.from_numpy(tokens)[None],
                                            state_tensor(state))
        return actions[0].numpy().astype(np.float64), embedding[0].numpy()

    def __call__(self, image, instruction, state=None):
        norm, _ = self.raw(*self.inputs(image, instruction), state)
        return denormalise(norm, self.stats)


def held_out(policy, rows, evalset, max_step, camera_fn=None, with_state=False):
    """Success per chunk step over the held-out rows (step 0 = the first action)."""
    ok = np.zeros(len(rows[0]["expert_chunk"]))
    for row in rows:
        image = np.asarray(Image.open(evalset / row["image"]).convert("RGB"))
        if camera_fn is not None:
            image = camera_fn(image, np.random.default_rng([row["seed"], 6]))
        chunk = policy(image, row["instruction"], row["state"] if with_state else None)
        ok += [evaluation.success(chunk[k], row["expert_chunk"][k], max_step) for k in range(len(ok))]
    return ok / len(rows)


def write_parity(policy, rows, evalset):
    parity_dir = evalset / "parity"
    parity_dir.mkdir(exist_ok=True)
    with open(parity_dir / "outputs.jsonl", "w", encoding="utf-8") as out:
        for row in rows[:PARITY_OUTPUTS]:
            image = np.asarray(Image.open(evalset / row["image"]).convert("RGB"))
            tensor, tokens = policy.inputs(image, row["instruction"])
            state = row["state"] if row["id"] % 2 == 1 else None
            norm, embedding = policy.raw(tensor, tokens, state)
            if row["id"] < PARITY_TENSORS:
                tensor.astype("<f4").tofile(parity_dir / f"{row['id']:04d}.input.f32")
            out.write(json.dumps({
                "id": row["id"], "tokens": tokens.tolist(), "state": state,
                "normalized_actions": [[float(v) for v in step] for step in norm],
                "actions": [[float(v) for v in step] for step in denormalise(norm, policy.stats)],
                "embedding": [float(v) for v in embedding],
            }) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", required=True, type=Path)
    parser.add_argument("--evalset", required=True, type=Path)
    parser.add_argument("--write-parity", action="store_true")
    parser.add_argument("--episodes", type=int, default=episodes.EPISODE_COUNT)
    parser.add_argument("--robustness-scenes", type=int, default=400)
    args = parser.parse_args()
    torch.set_num_threads(2)
    started = time.time()

    manifest, model, vocab = load_bundle(args.bundle)
    task = json.loads((args.evalset / "task.json").read_text(encoding="utf-8"))
    policy = Policy(manifest, model, vocab, task["unnorm_key"])
    rows = [json.loads(line) for line in (args.evalset / "scenes.jsonl").read_text(encoding="utf-8").splitlines()]
    max_step = task["max_step_m"]
    if args.write_parity:
        write_parity(policy, rows, args.evalset)

    per_step = held_out(policy, rows, args.evalset, max_step)
    per_step_state = held_out(policy, rows, args.evalset, max_step, with_state=True)
    successes = round(per_step[0] * len(rows))
    print(f"python evaluation: success rate {per_step[0]:.4f} ({successes}/{len(rows)}) on {args.evalset}")
    print(f"  with the gripper state: {per_step_state[0]:.4f}")
    print(f"  per chunk step (k=0..{len(per_step) - 1}), no state:   {np.round(per_step, 4).tolist()}")
    print(f"  per chunk step (k=0..{len(per_step) - 1}), with state: {np.round(per_step_state, 4).tolist()}")
    # A policy that understood only the colour (or only the shape) word would have to guess among
    # the objects sharing it; this is the share of scenes it would even pick the right object in.
    colour_only = np.mean([1.0 / row["same_colour"] for row in rows])
    shape_only = np.mean([1.0 / row["same_shape"] for row in rows])
    print(f"grounding check: colour-only guess finds the target in {colour_only:.3f} of scenes, "
          f"shape-only in {shape_only:.3f}")

    seeds = episodes.EPISODE_SEEDS[:args.episodes]
    closed = {}
    for with_state in (False, True):
        results = episodes.run_episodes(policy, seeds, with_state=with_state)
        closed["with_state" if with_state else "no_state"] = episodes.success_rate(results)
        failures = [(r.seed, r.reason) for r in results if not r.success]
        print(f"closed loop, {len(seeds)} episodes (seeds {seeds[0]}..{seeds[-1]}, replan every {episodes.REPLAN}), "
              f"{'with' if with_state else 'no'} state: {closed['with_state' if with_state else 'no_state']:.3f}; "
              f"mean steps {np.mean([r.steps for r in results]):.1f}; failures {failures}")

    robustness = []
    subset = rows[:args.robustness_scenes]
    for label, _, _ in camera.TABLE:
        fn = camera.perturbation(label)
        first = held_out(policy, subset, args.evalset, max_step, camera_fn=fn)[0]
        loop = episodes.success_rate(episodes.run_episodes(policy, seeds, with_state=False, camera=fn))
        robustness.append({"perturbation": label, "first_action": round(float(first), 4), "closed_loop": round(loop, 4)})
        print(f"robustness: {label:45s} first action {first:.4f}  closed loop (no state) {loop:.3f}")

    result = {
        "heldout_scenes": len(rows),
        "heldout_success": round(float(per_step[0]), 4),
        "heldout_success_with_state": round(float(per_step_state[0]), 4),
        "heldout_success_per_step": [round(float(v), 4) for v in per_step],
        "heldout_success_per_step_with_state": [round(float(v), 4) for v in per_step_state],
        "closed_loop": {"episodes": len(seeds), "seeds": [seeds[0], seeds[-1]], "replan": episodes.REPLAN,
                        "max_steps": episodes.MAX_STEPS, "success_no_state": round(closed["no_state"], 4),
                        "success_with_state": round(closed["with_state"], 4)},
        "robustness": {"scenes": len(subset), "episodes": len(seeds), "rows": robustness},
        "wall_seconds": round(time.time() - started),
    }
    (args.bundle / "evaluation.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    manifest_path = args.bundle / "manifest.json"
    stored = json.loads(manifest_path.read_text(encoding="utf-8"))
    stored.setdefault("training", {})["evaluation"] = {k: result[k] for k in
                                                       ("heldout_success", "heldout_success_per_step", "closed_loop")}
    manifest_path.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
    print(f"evaluation took {time.time() - started:.0f}s")
    return per_step[0]


if __name__ == "__main__":
    main()

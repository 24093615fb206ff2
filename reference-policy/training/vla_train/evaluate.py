"""Evaluate an exported bundle on the held-out set, exactly as the Java runner will see it.

    /usr/bin/python3 -m vla_train.evaluate --bundle DIR --evalset DIR [--write-parity]

--write-parity stores, for the first scenes, the preprocessed input tensors (float32 files) and
the exported model's outputs, which the Java parity test must reproduce.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from . import evaluation, preprocess

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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", required=True, type=Path)
    parser.add_argument("--evalset", required=True, type=Path)
    parser.add_argument("--write-parity", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)

    manifest, model, vocab = load_bundle(args.bundle)
    image_spec = manifest["input"]["image"]
    task = json.loads((args.evalset / "task.json").read_text(encoding="utf-8"))
    stats = manifest["action"]["unnorm"][task["unnorm_key"]]
    rows = [json.loads(line) for line in (args.evalset / "scenes.jsonl").read_text(encoding="utf-8").splitlines()]

    parity_dir = args.evalset / "parity"
    if args.write_parity:
        parity_dir.mkdir(exist_ok=True)
        parity_rows = open(parity_dir / "outputs.jsonl", "w", encoding="utf-8")
    successes = 0
    with torch.no_grad():
        for row in rows:
            image = np.asarray(Image.open(args.evalset / row["image"]).convert("RGB"))
            tensor = preprocess.to_input_tensor(image, image_spec["height"], image_spec["width"],
                                                image_spec["mean"], image_spec["std"])
            tokens = preprocess.tokenize(row["instruction"], vocab, manifest["tokenizer"]["max_length"])
            action, embedding = model(torch.from_numpy(tensor)[None], torch.from_numpy(tokens)[None])
            norm = action[0].numpy().astype(np.float64)
            predicted = denormalise(norm, stats)
            successes += evaluation.success(predicted, row["expert_action"], task["max_step_m"])
            if args.write_parity and row["id"] < PARITY_OUTPUTS:
                if row["id"] < PARITY_TENSORS:
                    tensor.astype("<f4").tofile(parity_dir / f"{row['id']:04d}.input.f32")
                parity_rows.write(json.dumps({
                    "id": row["id"], "tokens": tokens.tolist(),
                    "normalized_action": [float(v) for v in action[0]],
                    "action": [float(v) for v in predicted],
                    "embedding": [float(v) for v in embedding[0]],
                }) + "\n")
    if args.write_parity:
        parity_rows.close()
    rate = successes / len(rows)
    print(f"python evaluation: success rate {rate:.4f} ({successes}/{len(rows)}) on {args.evalset}")
    # A policy that understood only the colour (or only the shape) word would have to guess among
    # the objects sharing it; this is the share of scenes it would even pick the right object in.
    colour_only = np.mean([1.0 / row["same_colour"] for row in rows])
    shape_only = np.mean([1.0 / row["same_shape"] for row in rows])
    print(f"grounding check: colour-only guess finds the target in {colour_only:.3f} of scenes, "
          f"shape-only in {shape_only:.3f}")
    return rate


if __name__ == "__main__":
    main()

"""Write the bundle's reference embeddings: what the out-of-distribution signal compares requests to.

    /usr/bin/python3 -m vla_train.references --bundle DIR [--count 4000]

The exported model.pt embeds training scenes (seeds TRAIN_SEED_BASE.., rendered at the sizes
training used, each with its own instruction) into reference_embeddings.f32 (little-endian float32,
count x embedding size). A request's distance is the mean cosine distance to its NEIGHBOURS nearest
references; the threshold is a high percentile of the references' own leave-one-out distances, so
it comes from training data alone (never from the held-out or OOD sets). manifest.json gets an
"ood" section naming the file, the rule and the threshold.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch

from . import dataset, preprocess, scenes
from .train import TRAIN_SEED_BASE

REFERENCE_FILE = "reference_embeddings.f32"
NEIGHBOURS = 5
THRESHOLD_PERCENTILE = 99.0
BATCH = 200


def embed(model, manifest, vocab, seeds) -> np.ndarray:
    image = manifest["input"]["image"]
    out = []
    for start in range(0, len(seeds), BATCH):
        chunk = seeds[start:start + BATCH]
        tensors, tokens = [], []
        for seed in chunk:
            scene = scenes.sample_scene(seed)
            rendered = scenes.render(scene, dataset.RENDER_SIZES[seed % len(dataset.RENDER_SIZES)])
            tensors.append(preprocess.to_input_tensor(rendered, image["height"], image["width"], image["mean"], image["std"]))
            tokens.append(preprocess.tokenize(scene.instruction, vocab, manifest["tokenizer"]["max_length"]))
        with torch.no_grad():
            # The embedding does not depend on the state input; no state is the neutral choice.
            _, embedding = model(torch.from_numpy(np.stack(tensors)), torch.from_numpy(np.stack(tokens)),
                                 torch.zeros(len(chunk), 4))
        out.append(embedding.numpy().astype(np.float32))
    return np.concatenate(out)


def leave_one_out_distances(references: np.ndarray, neighbours: int) -> np.ndarray:
    distances = 1.0 - references.astype(np.float64) @ references.T.astype(np.float64)
    np.fill_diagonal(distances, np.inf)
    return np.sort(distances, axis=1)[:, :neighbours].mean(axis=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", required=True, type=Path)
    parser.add_argument("--count", type=int, default=4000)
    args = parser.parse_args()
    torch.set_num_threads(2)

    manifest_path = args.bundle / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    model = torch.jit.load(str(args.bundle / manifest["model_file"]))
    model.eval()
    vocab = preprocess.load_vocab(args.bundle / manifest["tokenizer"]["vocab_file"])

    seeds = list(range(TRAIN_SEED_BASE, TRAIN_SEED_BASE + args.count))
    references = embed(model, manifest, vocab, seeds)
    references.astype("<f4").tofile(args.bundle / REFERENCE_FILE)
    loo = leave_one_out_distances(references, NEIGHBOURS)
    threshold = float(np.percentile(loo, THRESHOLD_PERCENTILE))

    manifest["ood"] = {
        "reference_file": REFERENCE_FILE,
        "count": len(seeds),
        "neighbours": NEIGHBOURS,
        "metric": "cosine",
        "threshold": round(threshold, 6),
        "threshold_rule": f"percentile {THRESHOLD_PERCENTILE:g} of the references' leave-one-out distances",
        "reference_seeds": [seeds[0], seeds[-1]],
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(seeds)} reference embeddings to {args.bundle / REFERENCE_FILE}; "
          f"leave-one-out distance p50 {np.median(loo):.5f}, threshold (p{THRESHOLD_PERCENTILE:g}) {threshold:.5f}")


if __name__ == "__main__":
    main()

"""An openpi client against the gateway's openpi-compatible endpoint (GET /v1/openpi).

    VLA_API_KEY=vla_live_... python3 examples/openpi_client.py [--steps 10] [--camera DIR] [--prompt TEXT]

openpi's wire format, written out with msgpack, numpy and websockets alone, as a robot running
openpi's client sends it: on connect the server's metadata (a msgpack map); then per step one
binary frame, a msgpack map of numpy arrays ("observation/image": uint8 height x width x 3,
"observation/state", "prompt"), answered by a map whose "actions" is a numpy array (chunk length
x 7) with "server_timing". With openpi_client installed, the same is:

    policy = websocket_client_policy.WebsocketClientPolicy(host="ws://127.0.0.1:8080/v1/openpi", api_key=key)
    actions = policy.infer(observation)["actions"]

The key goes in the header openpi's client sends, "Authorization: Api-Key <key>". docs/sessions.md
describes the endpoint. VLA_API_URL: where the API is (default http://127.0.0.1:8080).
"""
import argparse
import asyncio
import itertools
import os
import pathlib
import sys

try:
    import msgpack
    import numpy
    import websockets
    from PIL import Image
except ImportError as missing:
    sys.exit(f"{missing}\nThis example needs msgpack, numpy, PIL and websockets: on Debian or Ubuntu `sudo apt-get install "
             "python3-msgpack python3-numpy python3-pil python3-websockets`, in a virtualenv "
             "`pip install msgpack numpy pillow websockets`.")

CHECKOUT = pathlib.Path(__file__).resolve().parent.parent


def numpy_to_msgpack(value):
    """msgpack's `default` hook: a numpy array becomes the map msgpack_numpy defines (bytes keys)."""
    if isinstance(value, numpy.ndarray):
        return {b"__ndarray__": True, b"data": value.tobytes(), b"dtype": value.dtype.str, b"shape": value.shape}
    if isinstance(value, numpy.generic):
        return {b"__npgeneric__": True, b"data": value.item(), b"dtype": value.dtype.str}
    raise TypeError(f"cannot pack {type(value)}")


def msgpack_to_numpy(mapping):
    """msgpack's `object_hook`: such a map becomes the numpy array again."""
    if b"__ndarray__" in mapping:
        dtype = numpy.dtype(mapping[b"dtype"])
        return numpy.frombuffer(mapping[b"data"], dtype=dtype).reshape(mapping[b"shape"])
    if b"__npgeneric__" in mapping:
        return numpy.dtype(mapping[b"dtype"]).type(mapping[b"data"])
    return mapping


def pack(message) -> bytes:
    return msgpack.packb(message, default=numpy_to_msgpack, use_bin_type=True)


def unpack(frame: bytes):
    return msgpack.unpackb(frame, object_hook=msgpack_to_numpy, raw=False)


def connect(url: str, api_key: str):
    headers = {"Authorization": f"Api-Key {api_key}"}
    # websockets 14 renamed the argument (Debian 12 ships 10.4).
    if int(websockets.__version__.split(".")[0]) >= 14:
        return websockets.connect(url, additional_headers=headers, max_size=None, compression=None)
    return websockets.connect(url, extra_headers=headers, max_size=None, compression=None)


async def run(args: argparse.Namespace, api_key: str) -> int:
    base = os.environ.get("VLA_API_URL", "http://127.0.0.1:8080")
    url = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1) + "/v1/openpi"
    images = sorted(p for p in args.camera.iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg"))
    if not images:
        sys.exit(f"No PNG or JPEG images in {args.camera}.")
    async with connect(url, api_key) as policy:
        metadata = unpack(await policy.recv())
        print(f"server metadata: model {metadata['model']} {metadata['model_version']}, action horizon "
              f"{metadata['action_horizon']}, reads {', '.join(metadata['observation_keys'])}")
        for step, path in zip(range(args.steps), itertools.cycle(images)):
            with Image.open(path) as picture:
                frame = numpy.asarray(picture.convert("RGB"), dtype=numpy.uint8)
            observation = {"observation/image": frame,
                           "observation/state": numpy.array([0.0, 0.0, 0.05], dtype=numpy.float32),
                           "prompt": args.prompt}
            await policy.send(pack(observation))
            answer = await policy.recv()
            if isinstance(answer, str):
                # openpi's protocol: an error is a text frame, then the server closes the connection.
                sys.exit(f"Error in inference server:\n{answer}")
            result = unpack(answer)
            actions = result["actions"]
            timing = result["server_timing"]
            print(f"step {step}: actions {actions.shape} {actions.dtype}, first {numpy.round(actions[0], 5).tolist()}, "
                  f"server {timing['infer_ms']:.1f} ms")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="openpi's client protocol against /v1/openpi.")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--camera", type=pathlib.Path, default=CHECKOUT / "reference-policy/evalsets/tabletop-v1/images")
    parser.add_argument("--prompt", default="go to the purple tube")
    args = parser.parse_args()
    api_key = os.environ.get("VLA_API_KEY") or sys.exit("Set VLA_API_KEY to your API key (vla_live_...).")
    return asyncio.run(run(args, api_key))


if __name__ == "__main__":
    sys.exit(main())

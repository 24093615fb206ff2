"""A control loop over one WebSocket session (GET /v1/sessions): observation in, action chunk out.

    VLA_API_KEY=vla_live_... python3 examples/session.py [--steps 20] [--format msgpack|json]
                                                         [--camera DIR] [--instruction TEXT]

Opens a session, prints the model and limits of its metadata message, then sends one observation
per step (the next image of --camera, default the evaluation set's) and prints each chunk's first
action, how many of its actions are still in the future (valid_from), and where the time went.
--format msgpack (the default) sends binary MessagePack frames with the raw PNG bytes; json sends
text frames with the image in base64. The protocol: docs/sessions.md.
VLA_API_URL: where the API is (default http://127.0.0.1:8080, the gateway of `bin/vla up`).
"""
import argparse
import asyncio
import base64
import itertools
import json
import os
import pathlib
import sys
import time

try:
    import msgpack
    import websockets
    import websockets.exceptions
except ImportError as missing:
    sys.exit(f"{missing}\nThis example needs msgpack and websockets: on Debian or Ubuntu "
             "`sudo apt-get install python3-msgpack python3-websockets`, in a virtualenv `pip install msgpack websockets`.")

CHECKOUT = pathlib.Path(__file__).resolve().parent.parent
# The refusal of the upgrade (401, 429, ...) is InvalidStatus from websockets 14 on, InvalidStatusCode before.
REFUSED = tuple(getattr(websockets.exceptions, name) for name in ("InvalidStatus", "InvalidStatusCode")
                if hasattr(websockets.exceptions, name))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Observation in, action chunk out, over one WebSocket session.")
    parser.add_argument("--steps", type=int, default=20, help="observations to send (default 20)")
    parser.add_argument("--format", choices=("msgpack", "json"), default="msgpack")
    parser.add_argument("--camera", type=pathlib.Path, default=CHECKOUT / "reference-policy/evalsets/tabletop-v1/images",
                        help="folder of PNG or JPEG images sent in turn")
    parser.add_argument("--instruction", default="go to the purple tube")
    return parser.parse_args()


def connect(url: str, api_key: str):
    headers = {"Authorization": f"Bearer {api_key}"}
    # websockets 14 renamed the argument (Debian 12 ships 10.4).
    if int(websockets.__version__.split(".")[0]) >= 14:
        return websockets.connect(url, additional_headers=headers, max_size=None)
    return websockets.connect(url, extra_headers=headers, max_size=None)


def encode(message: dict, fmt: str):
    return msgpack.packb(message, use_bin_type=True) if fmt == "msgpack" else json.dumps(message)


def decode(frame):
    return msgpack.unpackb(frame, raw=False) if isinstance(frame, bytes) else json.loads(frame)


async def run(args: argparse.Namespace, api_key: str) -> int:
    base = os.environ.get("VLA_API_URL", "http://127.0.0.1:8080")
    url = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1) + f"/v1/sessions?format={args.format}"
    images = sorted(p for p in args.camera.iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg"))
    if not images:
        sys.exit(f"No PNG or JPEG images in {args.camera}.")
    chunks = 0
    try:
        async with connect(url, api_key) as session:
            metadata = decode(await session.recv())
            model, limits = metadata["model"], metadata["limits"]
            print(f"session {metadata['session_id']}: {model['id']} {model['version']}, chunks of {model['chunk_length']} "
                  f"actions at {model['control_rate_hz']:g} Hz ({', '.join(model['action_names'])}); "
                  f"{limits['rate_limit_per_minute']} observations a minute")
            for step, path in zip(range(args.steps), itertools.cycle(images)):
                image = path.read_bytes()
                observation = {"type": "observation", "id": step, "instruction": args.instruction,
                               "observation_time": time.time(),
                               # MessagePack carries the file's bytes as they are; JSON needs base64.
                               "image": image if args.format == "msgpack" else base64.b64encode(image).decode("ascii")}
                await session.send(encode(observation, args.format))
                answer = decode(await session.recv())
                if answer["type"] == "chunk":
                    chunks += 1
                    timing = answer["server_timing"]
                    print(f"step {step}: first action {[round(v, 5) for v in answer['actions'][0]]}, "
                          f"{len(answer['actions']) - answer['valid_from']} of {len(answer['actions'])} still ahead, "
                          f"gateway {timing['gateway_ms']:.2f} ms + inference {timing['upstream_ms']:.1f} ms")
                elif answer["error"]["code"] == "rate_limit_exceeded":
                    print(f"step {step}: rate limited; waiting {answer['retry_after_ms']} ms")
                    await asyncio.sleep(answer["retry_after_ms"] / 1000)
                else:
                    print(f"step {step}: {answer['error']['code']}: {answer['error']['message']}")
    except REFUSED as refused:
        status = refused.response.status_code if hasattr(refused, "response") else refused.status_code
        sys.exit(f"The session was refused: HTTP {status} (check the key and the URL)")
    except websockets.exceptions.ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd else closed.code
        reason = closed.rcvd.reason if closed.rcvd else closed.reason
        sys.exit(f"The gateway closed the session: {code} {reason} (docs/sessions.md lists the codes)")
    print(f"{chunks} chunks for {args.steps} observations")
    return 0 if chunks else 1


def main() -> int:
    args = arguments()
    api_key = os.environ.get("VLA_API_KEY") or sys.exit("Set VLA_API_KEY to your API key (vla_live_...).")
    return asyncio.run(run(args, api_key))


if __name__ == "__main__":
    sys.exit(main())

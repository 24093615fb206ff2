"""A robot's control loop: read a camera frame, ask for the action, apply it, again, at a fixed rate.

    VLA_API_KEY=vla_live_... python3 examples/control_loop.py --steps 20 [--rate 5] [--duration SECONDS]
                                                             [--camera DIR] [--instruction TEXT] [--timeout SECONDS]

Stops after --steps steps or --duration seconds, whichever comes first (one of them is needed).
The "camera" replays a folder of images (default: the evaluation set's) as RGB numpy frames, as a
camera driver would hand them over; "applying" an action prints it.

A control loop cannot wait for an old frame's answer: the client does not retry. On a 429 the robot
holds still for the Retry-After the API asked for; on a timeout or a lost connection it skips that
frame and goes on with the next one; any other error stops the loop (the request needs fixing).
VLA_API_URL: where the API is (default http://127.0.0.1:8080, the gateway of `bin/vla up`).
"""
import argparse
import itertools
import os
import pathlib
import sys
import time

CHECKOUT = pathlib.Path(__file__).resolve().parent.parent
# Appended, not prepended: an installed vla_client comes first.
sys.path.append(str(CHECKOUT / "clients" / "python"))
try:
    import numpy
    from PIL import Image

    from vla_client import RateLimitError, VlaClient, VlaConnectionError, VlaError
except ImportError as missing:
    sys.exit(f"{missing}\nThis example needs numpy, PIL and requests: on Debian or Ubuntu "
             "`sudo apt-get install python3-numpy python3-pil python3-requests`, in a virtualenv `pip install numpy pillow requests`.")


class ReplayCamera:
    """Stands in for a camera driver: each read() is the next image of a folder, round and round."""

    def __init__(self, folder: pathlib.Path):
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg"))
        if not paths:
            sys.exit(f"No PNG or JPEG images in {folder}.")
        self._paths = itertools.cycle(paths)

    def read(self) -> numpy.ndarray:
        with Image.open(next(self._paths)) as frame:
            return numpy.asarray(frame.convert("RGB"))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Camera frame, action, repeat, at a fixed rate.")
    parser.add_argument("--steps", type=int, help="stop after this many steps")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    parser.add_argument("--rate", type=float, default=5.0, help="steps per second (default 5)")
    parser.add_argument("--camera", type=pathlib.Path, default=CHECKOUT / "reference-policy/evalsets/tabletop-v1/images",
                        help="folder of images the camera replays")
    parser.add_argument("--instruction", default="go to the purple tube")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for an answer (default 2)")
    args = parser.parse_args()
    if args.steps is None and args.duration is None:
        parser.error("say when to stop: --steps N, --duration SECONDS, or both")
    if args.rate <= 0:
        parser.error("--rate must be positive")
    return args


def main() -> int:
    args = arguments()
    if not os.environ.get("VLA_API_KEY"):
        sys.exit("Set VLA_API_KEY to your API key (vla_live_...).")
    camera = ReplayCamera(args.camera)
    period = 1.0 / args.rate
    counts = {"actions": 0, "rate limited": 0, "skipped": 0}
    started = next_tick = time.monotonic()
    step = 0
    # The key and the URL come from the environment.
    with VlaClient(timeout=args.timeout, max_retries=0) as client:
        deadline = started + args.duration if args.duration is not None else float("inf")
        while (args.steps is None or step < args.steps) and next_tick < deadline:
            time.sleep(max(0.0, next_tick - time.monotonic()))
            frame = camera.read()
            try:
                action = client.act(frame, args.instruction)
                counts["actions"] += 1
                print(f"step {step}: action {[round(v, 5) for v in action.values]} ({action.client_latency_ms:.1f} ms)")
            except RateLimitError as limited:
                counts["rate limited"] += 1
                hold = limited.retry_after or period
                print(f"step {step}: rate limited, holding still for {hold:g} s")
                next_tick = max(next_tick, time.monotonic() + hold - period)
            except VlaConnectionError as lost:  # a timeout too: that frame is stale by now
                counts["skipped"] += 1
                print(f"step {step}: no answer ({lost}), skipping the frame")
            except VlaError as error:
                sys.exit(f"step {step}: {error}")
            step += 1
            # The next tick on the fixed schedule; ticks already missed are dropped, not caught up in a burst.
            next_tick = max(next_tick + period, time.monotonic())
    elapsed = time.monotonic() - started
    print(f"{step} steps in {elapsed:.1f} s: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    return 0 if counts["actions"] else 1


if __name__ == "__main__":
    sys.exit(main())

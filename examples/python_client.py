"""The robot's next action through the Python client (clients/python), which retries, times out and
raises typed errors for you.

    VLA_API_KEY=vla_live_... python3 examples/python_client.py [IMAGE] ["INSTRUCTION"]

VLA_API_URL: where the API is (default http://127.0.0.1:8080, the gateway of `bin/vla up`).
The client is this checkout's clients/python unless one is installed (pip install ./clients/python).
"""
import os
import pathlib
import sys

CHECKOUT = pathlib.Path(__file__).resolve().parent.parent
# Appended, not prepended: an installed vla_client comes first.
sys.path.append(str(CHECKOUT / "clients" / "python"))
try:
    from vla_client import VlaClient, VlaError
except ImportError as missing:  # requests is not installed: the message says how to install it
    sys.exit(str(missing))

image = sys.argv[1] if len(sys.argv) > 1 else CHECKOUT / "reference-policy/evalsets/tabletop-v1/images/0001.png"
instruction = sys.argv[2] if len(sys.argv) > 2 else "go to the purple tube"
if not os.environ.get("VLA_API_KEY"):
    sys.exit("Set VLA_API_KEY to your API key (vla_live_...).")

# The key and the URL come from the environment; a failed call is retried up to 3 times.
with VlaClient(timeout=10, max_retries=3) as client:
    try:
        action = client.act(image, instruction)
    except VlaError as error:
        sys.exit(f"No action: {error}")

print("action", action.values)
print("by name", {name: round(value, 4) for name, value in action.as_dict().items()})
print(f"request {action.request_id}, model {action.model} {action.model_version}, "
      f"{action.latency_ms} ms on the server, {action.client_latency_ms:.1f} ms here, {action.attempts} attempt(s)")
burst, monthly = action.rate_limits.burst, action.rate_limits.monthly
if burst and monthly:
    print(f"left: {burst.remaining} of {burst.limit} requests this minute, {monthly.remaining} of {monthly.limit} this month")

"""The client snippet from our quick-answer guide, runnable against a local fleet.

    python3 examples/quickstart.py vla_live_... [IMAGE.png] ["INSTRUCTION"]
    VLA_API_KEY=vla_live_... python3 examples/quickstart.py     # the key from the environment instead

VLA_API_URL overrides the endpoint (default http://127.0.0.1:8080, the gateway of `bin/vla up`).
"""
import base64
import os
import sys

try:
    import requests
except ImportError:
    sys.exit("This example needs the requests package: on Debian or Ubuntu `sudo apt-get install python3-requests`, "
             "or in a virtualenv `python3 -m venv .venv && .venv/bin/pip install requests`.")

API_URL = os.environ.get("VLA_API_URL", "http://127.0.0.1:8080")
api_key = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("VLA_API_KEY") or sys.exit(__doc__)
image_path = sys.argv[2] if len(sys.argv) > 2 else "reference-policy/evalsets/tabletop-v1/images/0001.png"
instruction = sys.argv[3] if len(sys.argv) > 3 else "go to the purple tube"

with open(image_path, "rb") as f:
    base64_encoded_image = base64.b64encode(f.read()).decode("ascii")

response = requests.post(
    f"{API_URL}/v1/inference",
    headers={"Authorization": f"Bearer {api_key}"},
    json={
        "image": base64_encoded_image,
        "instruction": instruction,
    },
)
if response.status_code != 200:
    error = response.json()["error"]
    sys.exit(f"HTTP {response.status_code} {error['code']}: {error['message']} (request {error['request_id']})")

action = response.json()["action"]["values"]
print(action)

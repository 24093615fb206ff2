"""OpenVLA's client code against our POST /act: the same body and answer, plus the API key.

    VLA_API_KEY=vla_live_... python3 examples/openvla_act.py [IMAGE.png] ["INSTRUCTION"]

OpenVLA's clients send numpy arrays with the json_numpy package (`json_numpy.patch()`). Debian does not
package it, so this example writes its wire format itself: an array is
{"__numpy__": base64 of its bytes, "dtype": "|u1", "shape": [h, w, 3]}. With json_numpy installed,
`requests.post(url, json={"image": array, ...})` after `json_numpy.patch()` sends exactly this.

VLA_API_URL overrides the endpoint (default http://127.0.0.1:8080, the gateway of `bin/vla up`).
"""
import base64
import os
import sys

try:
    import numpy as np
    import requests
    from PIL import Image
except ImportError:
    sys.exit("This example needs numpy, Pillow and requests: on Debian or Ubuntu "
             "`sudo apt-get install python3-numpy python3-pil python3-requests`.")

API_URL = os.environ.get("VLA_API_URL", "http://127.0.0.1:8080")
api_key = os.environ.get("VLA_API_KEY") or sys.exit(__doc__)
image_path = sys.argv[1] if len(sys.argv) > 1 else "reference-policy/evalsets/tabletop-v1/images/0001.png"
instruction = sys.argv[2] if len(sys.argv) > 2 else "go to the purple tube"


def to_json_numpy(array: np.ndarray) -> dict:
    array = np.ascontiguousarray(array)
    return {"__numpy__": base64.b64encode(array.tobytes()).decode("ascii"),
            "dtype": np.lib.format.dtype_to_descr(array.dtype), "shape": list(array.shape)}


def from_json_numpy(encoded: dict) -> np.ndarray:
    data = base64.b64decode(encoded["__numpy__"])
    return np.frombuffer(data, dtype=np.lib.format.descr_to_dtype(encoded["dtype"])).reshape(encoded["shape"])


image = np.asarray(Image.open(image_path).convert("RGB"), dtype=np.uint8)   # [height, width, 3], as a robot's camera gives it
response = requests.post(
    f"{API_URL}/act",
    headers={"Authorization": f"Bearer {api_key}"},
    json={"image": to_json_numpy(image), "instruction": instruction, "unnorm_key": "tabletop_sim"},
    timeout=30,
)
if response.status_code != 200:
    error = response.json()["error"]
    sys.exit(f"HTTP {response.status_code} {error['code']}: {error['message']} (request {error['request_id']})")

action = from_json_numpy(response.json())
print([round(float(v), 6) for v in action])

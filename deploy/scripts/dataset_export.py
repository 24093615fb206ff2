"""Writes one customer's training dataset of one month from inference-service's admin API: pages
through /admin/v1/customers/{id}/dataset, downloads each image from .../training-images/{request_id},
and writes DIR/images/, DIR/data.jsonl and DIR/README.md, showing progress on stderr. Everything is
written into DIR.partial, renamed to DIR once complete. Used by export-dataset.sh, which checks
the arguments; the admin token comes on stdin. Exits 1 with what to do next when the export fails.

usage: dataset_export.py URL CUSTOMER_ID YYYY-MM DIR"""
import collections
import datetime
import http.client
import json
import os
import shutil
import sys
import time
import urllib.parse

PAGE_SIZE = int(os.environ.get("VLA_EXPORT_PAGE_SIZE") or 500)

url, customer, month, out = sys.argv[1:5]
token = sys.stdin.readline().strip()
target = urllib.parse.urlsplit(url)
base_path = target.path.rstrip("/")


def fail(message):
    print(f"\nerror: {message}" if progress.tty and progress.shown else f"error: {message}", file=sys.stderr)
    sys.exit(1)


class Progress:
    """N/total on stderr: a bar redrawn in place on a terminal, a line every 10% otherwise (logs, CI)."""

    def __init__(self):
        self.tty = sys.stderr.isatty()
        self.shown = False
        self.last_draw = 0.0
        self.last_tenth = -1

    def show(self, done, total):
        total = max(total, done)  # a month still running gains requests while it is exported
        percent = 100 * done // max(1, total)
        if self.tty:
            now = time.monotonic()
            if done < total and now - self.last_draw < 0.1:
                return
            self.last_draw = now
            bar = "#" * (percent // 4)
            print(f"\rexporting {done}/{total} images [{bar:<25}] {percent:3d}%", end="", file=sys.stderr, flush=True)
        elif percent // 10 != self.last_tenth:
            print(f"exporting {done}/{total} images ({percent}%)", file=sys.stderr, flush=True)
        self.last_tenth = percent // 10
        self.shown = True

    def end(self):
        if self.tty and self.shown:
            print(file=sys.stderr)


progress = Progress()


class Service:
    """One kept-alive connection to inference-service, opened again when the server closed it."""

    def __init__(self):
        connection = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
        self.connection = connection(target.hostname, target.port, timeout=60)

    def get(self, path):
        for attempt in (1, 2):
            try:
                self.connection.request("GET", base_path + path, headers={"Authorization": f"Bearer {token}"})
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                # The server may close a kept-alive connection between two requests: once more on a new one.
                self.connection.close()
                if attempt == 2:
                    unreachable(e)
            except (OSError, http.client.HTTPException) as e:
                unreachable(e)


def unreachable(e):
    fail(f"inference-service is not reachable at {url}: start the fleet with bin/vla up"
         f" (or set VLA_INFERENCE_URLS), then run the export again ({e})")


def error_of(body):
    try:
        return json.loads(body)["error"]
    except (ValueError, KeyError, TypeError):
        return {"code": None, "message": body[:300].decode(errors="replace"), "request_id": None}


def refused(status, body, what):
    e = error_of(body)
    if status == 401:
        fail("inference-service rejected the admin token: VLA_ADMIN_TOKEN (or .vla/admin-token) must be"
             " the token it was started with (its VLA_ADMIN_TOKEN)")
    if status == 503 and e["code"] == "training_images_disabled":
        fail(f"inference-service at {url} stores no training images: start it with"
             " VLA_INFERENCE_TRAINING_IMAGES_ENABLED=true and its storage's VLA_INFERENCE_TRAINING_IMAGES_ENDPOINT,"
             " _BUCKET, _ACCESS_KEY and _SECRET_KEY (docs/configuration.md#inference-service), or point"
             " VLA_INFERENCE_URLS at an instance that has them; bin/vla up runs without storage")
    if status == 404 and e["code"] == "route_not_found":
        fail(f"inference-service at {url} has no dataset endpoint: upgrade it to this version")
    fail(f"{what} failed (HTTP {status}): {e['message']} ({e['code']}, request_id {e['request_id']})")


service = Service()
partial = out + ".partial"


def pages():
    after = None
    while True:
        query = {"month": month, "limit": PAGE_SIZE}
        if after:
            query["after"] = after
        status, body = service.get(f"/admin/v1/customers/{customer}/dataset?{urllib.parse.urlencode(query)}")
        if status != 200:
            refused(status, body, "listing the dataset")
        page = json.loads(body)
        yield page
        after = page["next_after"]
        if not after:
            return


written, missing, image_bytes = 0, 0, 0
keys, models, flags = collections.Counter(), collections.Counter(), collections.Counter()
first, last = None, None
total = None
data = None
for page in pages():
    if total is None:
        total = page["total"]
        if total == 0:
            fail(f"customer {customer} has no stored training images in {month}, so there is nothing to export:"
                 " check the customer id and month, and that the customer consented (customer-service's"
                 " PUT /admin/v1/customers/{id}/training-image-consent) before those requests")
        # Left by an interrupted export of ours: it starts over.
        shutil.rmtree(partial, ignore_errors=True)
        os.makedirs(os.path.join(partial, "images"))
        data = open(os.path.join(partial, "data.jsonl"), "w", encoding="utf-8")
        progress.show(0, total)
    for step in page["steps"]:
        status, image = service.get(
            f"/admin/v1/customers/{customer}/training-images/{step['request_id']}")
        if status == 404 and error_of(image)["code"] == "training_image_not_found":
            # Erased or past its retention since the listing: it is no longer the customer's to give.
            missing += 1
            progress.show(written + missing, total)
            continue
        if status != 200:
            refused(status, image, f"downloading the image of request {step['request_id']}")
        extension = os.path.splitext(step["object_key"])[1] or ".bin"
        relative = f"images/{step['request_id']}{extension}"
        with open(os.path.join(partial, relative), "wb") as f:
            f.write(image)
        line = {"request_id": step["request_id"], "timestamp": step["timestamp"], "image": relative,
                "instruction": step["instruction"], "action": step["action"], "raw_action": step["raw_action"],
                "unnorm_key": step["unnorm_key"], "model": step["model"], "model_version": step["model_version"],
                "safety_score": step["safety_score"], "safety_flags": step["safety_flags"], "robot": step["robot"],
                "object_key": step["object_key"]}
        data.write(json.dumps(line, ensure_ascii=False) + "\n")
        written += 1
        image_bytes += len(image)
        keys[step["unnorm_key"]] += 1
        models[f"{step['model']} {step['model_version']}"] += 1
        flags.update(step["safety_flags"] or [])
        first = first or step["timestamp"]
        last = step["timestamp"]
        progress.show(written + missing, total)
data.close()
progress.end()


def listing(counter):
    return "\n".join(f"- `{name}`: {count:,}" for name, count in counter.most_common()) or "- none"


exported_at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
left_out = (f"\n{missing:,} further requests were listed but their images were erased or passed their retention"
            " while the export ran; they are left out.\n" if missing else "")
readme = f"""# Training dataset: customer {customer}, {month}

{written:,} steps, {image_bytes / 1e6:,.1f} MB of images: every successful request (HTTP 200) of customer
`{customer}` that arrived in {month} (UTC) and whose camera image was stored because the customer
consented to its use for training (customer-service's training-image consent). First step
{first}, last {last}.
{left_out}
Exported {exported_at} by `bin/vla export-dataset --customer {customer} --month {month}` from
inference-service's admin API (`GET /admin/v1/customers/{customer}/dataset`, the request log
joined with the stored images, and `GET .../training-images/{{request_id}}` for each image).

Images are stored best effort: a successful request whose image was dropped (storage full, slow or
down) is not in this dataset. Each line is one step, one request on its own: the API knows no
episodes, so consecutive lines of one robot are not marked as one.

This is the customer's data. If the customer withdraws the consent or asks for erasure, delete this
copy too: erasure in the service does not reach it.

## Layout

- `images/<request_id>.png` (or `.jpg`): the camera image, byte for byte as the robot sent it.
- `data.jsonl`: one JSON object per line, in arrival order (request id breaking ties).
- `README.md`: this file.

## Fields of `data.jsonl`

| Field | Type | Meaning |
|-------|------|---------|
| `request_id` | string (UUID) | the request's id, as the API answered it; names the image |
| `timestamp` | string (ISO 8601, UTC) | when the request arrived |
| `image` | string | the image's path, relative to this folder |
| `instruction` | string | the instruction the robot was given, verbatim |
| `action` | 7 numbers | what the robot was sent: `[dx, dy, dz, droll, dpitch, dyaw, gripper]` |
| `raw_action` | 7 numbers or null | the model's own action, when the robot profile's limits changed it (then `action` is the held one); null when `action` is the model's |
| `unnorm_key` | string | the action's scale (for `tabletop-v1`: `tabletop_sim` in metres, `tabletop_sim_cm` in centimetres) |
| `model`, `model_version` | string | the model that predicted the action |
| `safety_score` | number 0..1 or null | how far the model's action stays inside what the robot did in training (1: inside) |
| `safety_flags` | list of strings or null | `clipped`, `out_of_workspace`, `out_of_distribution`, `low_gripper_confidence` |
| `robot` | string or null | the robot profile applied, if any |
| `object_key` | string | where the image is kept in the service's storage |

Units: dx, dy, dz are translation steps in the unit of `unnorm_key`; droll, dpitch, dyaw rotation
steps in radians; gripper is the probability of "close" (0..1), or 1 minus it when the robot
profile uses the `open_is_one` convention.

## What it holds

Action scales (`unnorm_key`):
{listing(keys)}

Models:
{listing(models)}

Safety flags raised:
{listing(flags)}
"""
with open(os.path.join(partial, "README.md"), "w", encoding="utf-8") as f:
    f.write(readme)
os.rename(partial, out)
print(f"Written: {out} ({written:,} steps, {image_bytes / 1e6:,.1f} MB of images)")
if missing:
    print(f"{missing:,} listed requests lost their image meanwhile (erased or past retention) and are left out")

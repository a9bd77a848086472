"""tap-salesforce, unmodified, against `keyhole serve Examples/acme` (rest-api.md §5.5, §6.4).

Runs `tap-salesforce --discover` and a full REST sync as the HubSpot integration user (its refresh token
from the example's keyhole.yaml), configured only through the environment of rest-api.md §5.5. Then checks
the emitted records against the evaluator, asked through `keyhole explain` and `keyhole records`:
no record holds a field the user cannot read, and the records are exactly those shared with the user.

Usage: tap_salesforce_check.py KEYHOLE_BINARY PROJECT WORK_DIR
"""

import json
import os
import subprocess
import sys

USER = "hubspot.integration@acme.example"


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"  ok: {message}")


def keyhole_json(binary, *args):
    out = subprocess.run([binary, *args, "--format", "json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main(binary, project, work):
    explained = keyhole_json(binary, "explain", project, "--user", USER)
    readable = {o["name"]: {f["name"] for f in o["fields"] if f["read"]} for o in explained["objects"] if o["read"]}
    visible = {}
    for name in readable:
        listed = keyhole_json(binary, "records", project, "--user", USER, "--object", name)
        visible[name] = {r["id"] for r in listed["records"]}

    config = os.path.join(work, "tap-config.json")
    with open(config, "w") as handle:
        json.dump(
            {
                "refresh_token": "example-refresh-token",
                "client_id": "hubspot-connector",
                "client_secret": "example-secret",
                "start_date": "2020-01-01T00:00:00Z",
                "api_type": "REST",
                "select_fields_by_default": True,
            },
            handle,
        )
    tap = os.path.join(os.path.dirname(sys.executable), "tap-salesforce")
    print("tap-salesforce --discover")
    discovered = subprocess.run([tap, "--config", config, "--discover"], check=True, capture_output=True, text=True)
    catalog = json.loads(discovered.stdout)
    streams = sorted(s["tap_stream_id"] for s in catalog["streams"])
    check(streams == sorted(readable), f"discovered exactly the readable objects: {streams}")
    for stream in catalog["streams"]:
        properties = set(stream["schema"]["properties"])
        hidden = properties - readable[stream["tap_stream_id"]]
        check(not hidden, f"{stream['tap_stream_id']} schema has no unreadable field {sorted(hidden)}")
        for entry in stream["metadata"]:
            if entry["breadcrumb"] == []:
                entry["metadata"]["selected"] = True
    properties_file = os.path.join(work, "tap-catalog.json")
    with open(properties_file, "w") as handle:
        json.dump(catalog, handle)

    print("tap-salesforce --properties (full REST sync)")
    synced = subprocess.run([tap, "--config", config, "--properties", properties_file], check=True, capture_output=True, text=True)
    records = {name: [] for name in readable}
    for line in synced.stdout.splitlines():
        message = json.loads(line)
        if message.get("type") == "RECORD":
            records[message["stream"]].append(message["record"])
    for name, rows in records.items():
        fields = set().union(*(set(row) for row in rows)) if rows else set()
        check(fields <= readable[name], f"{name}: {len(rows)} records, no unreadable field {sorted(fields - readable[name])}")
        ids = {row["Id"] for row in rows}
        check(ids == visible[name], f"{name}: exactly the {len(visible[name])} records shared with the user")
    check(any("SystemModstamp" in row for row in records["Account"]), "records carry the replication key")
    print("tap-salesforce: all checks passed")


if __name__ == "__main__":
    try:
        main(*sys.argv[1:4])
    except AssertionError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        sys.exit(1)
    except subprocess.CalledProcessError as error:
        print(f"FAILED: {' '.join(error.cmd)} exited {error.returncode}\n{error.stderr[-4000:]}", file=sys.stderr)
        sys.exit(1)

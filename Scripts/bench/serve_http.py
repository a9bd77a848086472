"""HTTP figures for `keyhole serve` (issue 7): a full queryAll streamed over loopback, and the
rate of a simple filtered query under `wrk`. Prints one JSON object. Never asserts a figure.

Usage: serve_http.py BASE_URL USER PASSWORD CLIENT_ID CLIENT_SECRET [--wrk-seconds N] [--wrk-connections N]
                     [--query-all-fields "Id, Name, Industry, SystemModstamp"]
                     [--filtered-fields "Id, Name, Industry, Send_to_HubSpot__c"]
"""

import argparse
import http.client
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse


def login(base, user, password, client_id, client_secret):
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    body = urllib.parse.urlencode({
        "grant_type": "password", "client_id": client_id, "client_secret": client_secret,
        "username": user, "password": password,
    })
    connection.request("POST", "/services/oauth2/token", body,
                       {"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    payload = json.loads(response.read())
    if response.status != 200:
        raise SystemExit(f"login as {user} failed: {response.status} {payload}")
    return payload["access_token"]


def query_all(base, token, soql):
    """Follows nextRecordsUrl on one keep-alive connection, parsing every page as a client must; returns
    (records, seconds, pages, bytes, an Id, seconds spent waiting for responses rather than parsing)."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    path = "/services/data/v62.0/queryAll?" + urllib.parse.urlencode({"q": soql})
    records = pages = size = 0
    sample = None
    waiting = 0.0  # from sending a request to having read its whole response
    started = time.perf_counter()
    while path:
        sent = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        waiting += time.perf_counter() - sent
        if response.status != 200:
            raise SystemExit(f"queryAll page {pages} failed: {response.status} {raw[:300]!r}")
        page = json.loads(raw)
        if sample is None and records + len(page["records"]) > 500_000 or page["done"] and sample is None:
            sample = page["records"][len(page["records"]) // 2]["Id"]
        records += len(page["records"])
        pages += 1
        size += len(raw)
        path = None if page["done"] else page["nextRecordsUrl"]
    return records, time.perf_counter() - started, pages, size, sample, waiting


def run_wrk(base, token, soql, seconds, connections):
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    url = base + "/services/data/v62.0/query?" + urllib.parse.urlencode({"q": soql})
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    # Counts non-2xx responses so a run of errors is not reported as throughput.
    script.write(
        "local bad = 0\n"
        "response = function(status, headers, body) if status ~= 200 then bad = bad + 1 end end\n"
        "done = function(summary, latency, requests) io.write(string.format('non200 %d\\n', bad)) end\n")
    script.close()
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name,
               "-H", f"Authorization: Bearer {token}", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def milliseconds(text):
        value = float(re.match(r"([\d.]+)", text).group(1))
        return value / 1000 if text.endswith("us") else value * 1000 if text.endswith("s") and not text.endswith("ms") else value

    figures = {"connections": connections, "seconds": seconds, "threads": 2}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", output):
        figures["requestsPerSecond"] = float(m.group(1))
    for label in ("50", "75", "90", "99"):
        if m := re.search(rf"^\s+{label}%\s+(\S+)", output, re.M):
            figures[f"p{label}Milliseconds"] = round(milliseconds(m.group(1)), 3)
    if m := re.search(r"(\d+) requests in", output):
        figures["requests"] = int(m.group(1))
    if m := re.search(r"non200 (\d+)", output):
        figures["non200"] = int(m.group(1))
    if m := re.search(r"Socket errors: (.*)", output):
        figures["socketErrors"] = m.group(1).strip()
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("user")
    parser.add_argument("password")
    parser.add_argument("client_id")
    parser.add_argument("client_secret")
    parser.add_argument("--wrk-seconds", type=int, default=20)
    parser.add_argument("--wrk-connections", type=int, default=16)
    parser.add_argument("--query-all-fields", default="Id, Name, Industry, SystemModstamp")
    parser.add_argument("--filtered-fields", default="Id, Name, Industry, Send_to_HubSpot__c")
    args = parser.parse_args()

    token = login(args.base, args.user, args.password, args.client_id, args.client_secret)
    report = {"user": args.user}
    records, seconds, pages, size, sample, waiting = query_all(
        args.base, token, f"SELECT {args.query_all_fields} FROM Account")
    report["queryAll"] = {
        "records": records, "pages": pages, "seconds": round(seconds, 3),
        "recordsPerSecond": round(records / seconds), "megabytes": round(size / 1e6, 1),
        # The client shares the 2 cores and spends a good part of the run in json.loads; this is the
        # rate while it waits for the server (request sent until the page is read).
        "serverSeconds": round(waiting, 3), "serverRecordsPerSecond": round(records / waiting),
    }
    # A simple filtered query an integration makes all day: one record by Id.
    soql = f"SELECT {args.filtered_fields} FROM Account WHERE Id = '{sample}'"
    report["filteredQuery"] = {"soql": soql}
    report["filteredQuery"].update(run_wrk(args.base, token, soql, args.wrk_seconds, args.wrk_connections))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

"""The comparison figures of issue 7 for simple-mockforce, on the same generated Accounts as
Scripts/bench-serve.sh. simple-mockforce is not a server: it patches `requests` inside the client's
process (the `responses` library) and keeps records in a Python list, with no access checks and no
pagination. So only the in-process figures exist: a full query_all through simple-salesforce, and the
latency of a one-record query by Id; `wrk` cannot reach it. Prints one JSON object.

Usage (in a venv with simple-salesforce and simple-mockforce): mockforce.py [RECORDS] [SAMPLES]
"""

import json
import logging
import statistics
import sys
import time

from simple_mockforce import mock_salesforce
from simple_mockforce.virtual import virtual_salesforce
from simple_salesforce import Salesforce

logging.disable(logging.WARNING)  # mockforce warns on every query


@mock_salesforce
def measure(count, samples):
    report = {"tool": "simple-mockforce", "records": count}
    industries = ["Retail", "Technology", "Healthcare", "Manufacturing", "Energy"]
    started = time.perf_counter()
    ids = [
        virtual_salesforce.create("Account", {
            "Name": f"Bench Account {n:07d}", "Industry": industries[n % 5],
            "Send_to_HubSpot__c": n % 10 == 0,
        })
        for n in range(count)
    ]
    report["loadSeconds"] = round(time.perf_counter() - started, 2)
    sf = Salesforce(username="bench@example.com", password="x", security_token="x")

    started = time.perf_counter()
    result = sf.query_all("SELECT Id, Name, Industry, SystemModstamp FROM Account")
    seconds = time.perf_counter() - started
    report["queryAll"] = {
        "records": len(result["records"]), "seconds": round(seconds, 3),
        "recordsPerSecond": round(len(result["records"]) / seconds),
    }

    sample = ids[len(ids) // 2]
    soql = f"SELECT Id, Name, Industry, Send_to_HubSpot__c FROM Account WHERE Id = '{sample}'"
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        rows = sf.query(soql)["records"]
        times.append(time.perf_counter() - started)
        assert len(rows) == 1, rows
    report["filteredQuery"] = {
        "soql": soql, "samples": samples,
        "medianMilliseconds": round(statistics.median(times) * 1000, 3),
        "maxMilliseconds": round(max(times) * 1000, 3),
        "sequentialRequestsPerSecond": round(samples / sum(times), 1),
    }
    return report


if __name__ == "__main__":
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    print(json.dumps(measure(records, samples), indent=2))

#!/usr/bin/env bash
# HTTP benchmark of `keyhole serve` (issue 7): copies Examples/acme, adds N generated Account records
# (Account.csv: every 10th flagged Send_to_HubSpot__c, owners round-robin over the example's people),
# serves it on a free loopback port, and prints JSON figures for both integration users:
# a full queryAll streamed over HTTP (records/s) and `wrk` on a simple filtered query (requests/s, p99).
# Figures only; never asserts. Build with -c release to measure.
#
# Usage: Scripts/bench-serve.sh [KEYHOLE_BINARY] [RECORDS] [WRK_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."

keyhole=${1:-.build/release/keyhole}
records=${2:-1000000}
wrk_seconds=${3:-20}
[ -x "$keyhole" ] || { echo "error: $keyhole is not built (swift build -c release)" >&2; exit 1; }

work=$(mktemp -d)
server=""
stop_server() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop_server EXIT

cp -R Examples/acme "$work/acme"
rm -rf "$work/acme/.keyhole"
python3 - "$work/acme/data/Account.csv" "$records" <<'EOF'
import csv, sys
path, count = sys.argv[1], int(sys.argv[2])
owners = ["rita.rep@acme.example", "max.manager@acme.example"]
industries = ["Retail", "Technology", "Healthcare", "Manufacturing", "Energy"]
with open(path, "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["Name", "OwnerId", "Industry", "Send_to_HubSpot__c"])
    for n in range(count):
        writer.writerow([f"Bench Account {n:07d}", owners[n % 2], industries[n % 5], "true" if n % 10 == 0 else "false"])
EOF

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
started=$(date +%s.%N)
"$keyhole" serve "$work/acme" --port "$port" --database "$work/records.sqlite" --reset --ca-out "$work/ca.pem" \
    >"$work/serve.log" 2>&1 &
server=$!
until curl --silent --fail "http://127.0.0.1:$port/services/data" >/dev/null 2>&1; do
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; echo "error: keyhole serve exited" >&2; exit 1; }
    sleep 0.2
done
ready=$(date +%s.%N)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
echo "{\"records\": $records, \"loadSeconds\": $(python3 -c "print(round($ready - $started, 1))"), \"serverRSSMegabytes\": $((rss / 1024)), \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"

base="http://127.0.0.1:$port"
python3 Scripts/bench/serve_http.py "$base" analytics.integration@acme.example example-analytics-password \
    analytics-warehouse example-analytics-secret --wrk-seconds "$wrk_seconds"
python3 Scripts/bench/serve_http.py "$base" hubspot.integration@acme.example example-password \
    hubspot-connector example-secret --wrk-seconds "$wrk_seconds"

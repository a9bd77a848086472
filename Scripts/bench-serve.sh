#!/usr/bin/env bash
# HTTP benchmark of `keyhole serve` (issue 7): copies Examples/acme, adds N generated Account records
# (Account.csv: every 10th flagged Send_to_HubSpot__c, owners round-robin over the example's people),
# serves it on a free loopback port, and prints JSON figures for both integration users:
# a full queryAll streamed over HTTP (records/s) and `wrk` on a simple filtered query (requests/s, p99).
# With GENERATED_PROJECT (made by `keyhole generate`), that project is copied instead, given the
# Account records (owners round-robin over its first 100 users) and an `api:` section, and served for
# user000000 (View All Data, but no field permission beyond Name on Account: FLS-1) and user000001
# (reads Account through its profile).
# Figures only; never asserts. Build with -c release to measure.
#
# Usage: Scripts/bench-serve.sh [KEYHOLE_BINARY] [RECORDS] [WRK_SECONDS] [GENERATED_PROJECT]
set -euo pipefail
cd "$(dirname "$0")/.."

keyhole=${1:-.build/release/keyhole}
records=${2:-1000000}
wrk_seconds=${3:-20}
generated=${4:-}
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

if [ -n "$generated" ]; then
    project="$work/generated"
    cp -R "$generated" "$project"
    rm -rf "$project/.keyhole"
    mkdir -p "$project/data"
    grep -q '^data:' "$project/keyhole.yaml" || echo "data: data" >>"$project/keyhole.yaml"
    cat >>"$project/keyhole.yaml" <<'EOF'
api:
  connectedApps:
    - clientId: bench
      clientSecret: bench-secret
      runAs: user000001@bench.example
  passwords:
    user000000@bench.example: bench-password
    user000001@bench.example: bench-password
EOF
else
    project="$work/acme"
    cp -R Examples/acme "$project"
    rm -rf "$project/.keyhole"
fi
python3 - "$project/data/Account.csv" "$records" "$generated" <<'EOF'
import csv, sys
path, count, generated = sys.argv[1], int(sys.argv[2]), sys.argv[3]
owners = ([f"user{n:06d}@bench.example" for n in range(100)] if generated
          else ["rita.rep@acme.example", "max.manager@acme.example"])
industries = ["Retail", "Technology", "Healthcare", "Manufacturing", "Energy"]
with open(path, "w", newline="") as out:
    writer = csv.writer(out)
    if generated:
        writer.writerow(["Name", "OwnerId", "Industry"])
    else:
        writer.writerow(["Name", "OwnerId", "Industry", "Send_to_HubSpot__c"])
    for n in range(count):
        row = [f"Bench Account {n:07d}", owners[n % len(owners)], industries[n % 5]]
        writer.writerow(row if generated else row + ["true" if n % 10 == 0 else "false"])
EOF

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
started=$(date +%s.%N)
"$keyhole" serve "$project" --port "$port" --database "$work/records.sqlite" --reset --ca-out "$work/ca.pem" \
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
if [ -n "$generated" ]; then
    for user in user000000@bench.example user000001@bench.example; do
        python3 Scripts/bench/serve_http.py "$base" "$user" bench-password bench bench-secret \
            --wrk-seconds "$wrk_seconds" --query-all-fields "Id, Name, CreatedDate, SystemModstamp" \
            --filtered-fields "Id, Name, CreatedDate"
    done
else
    python3 Scripts/bench/serve_http.py "$base" analytics.integration@acme.example example-analytics-password \
        analytics-warehouse example-analytics-secret --wrk-seconds "$wrk_seconds"
    python3 Scripts/bench/serve_http.py "$base" hubspot.integration@acme.example example-password \
        hubspot-connector example-secret --wrk-seconds "$wrk_seconds"
fi

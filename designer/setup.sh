#!/usr/bin/env bash
# Install what the designer and its browser tests need, offline but for the package registries. Idempotent.
# - bun (Reflex's JavaScript runtime) from the npm registry into <repo>/.tools: `reflex init` would download it.
# - Chromium from Debian for the Playwright tests (never `playwright install`, which downloads a browser).
# Reflex prepares designer/frontend/.web by itself on the first `switchboard designer`.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUN="$ROOT/.tools/node_modules/bun/bin/bun.exe"

if ! "$BUN" --version >/dev/null 2>&1; then
    command -v npm >/dev/null || { echo "designer/setup.sh: npm is needed to fetch bun" >&2; exit 1; }
    npm install --prefix "$ROOT/.tools" --no-audit --no-fund bun@1.4.5
    "$BUN" --version >/dev/null
fi

if [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get install -y chromium || { $SUDO apt-get update && $SUDO apt-get install -y chromium; }
fi

echo "designer setup: bun $("$BUN" --version), $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"

#!/usr/bin/env bash
# Brings up what the console's browser tests need, like scripts/services.sh does for MariaDB
# and Redis: Debian's `chromium` (Playwright drives it through `executable_path`; Playwright's
# own browser download is never used), `fonts-wqy-microhei` (so Chinese text renders), and a
# virtualenv target/browser-venv with the pinned Playwright and pytest from PyPI. Each is
# installed only when missing (apt-get needs root or sudo). Prints nothing else when all is
# there.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
VENV="${BROWSER_VENV:-$PWD/target/browser-venv}"
PLAYWRIGHT_VERSION="1.65.2"
PYTEST_VERSION="9.2.0"

say() { echo "browser-deps: $*"; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  apt_install --no-install-recommends "${missing[@]}"
fi

venv_ok() {
  "$VENV/bin/python" -c "import importlib.metadata as m, sys; \
sys.exit(m.version('playwright') != '$PLAYWRIGHT_VERSION' or m.version('pytest') != '$PYTEST_VERSION')" \
    >/dev/null 2>&1
}
if ! venv_ok; then
  say "installing playwright $PLAYWRIGHT_VERSION and pytest $PYTEST_VERSION into $VENV"
  rm -rf "$VENV"
  if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
    rm -rf "$VENV"
    say "installing python3-venv"
    apt_install --no-install-recommends python3-venv
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/pip" install -q "playwright==$PLAYWRIGHT_VERSION" "pytest==$PYTEST_VERSION"
fi

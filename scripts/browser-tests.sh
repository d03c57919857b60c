#!/usr/bin/env bash
# The real-browser tests: the `check` HTML report and `serve`'s status page in Chromium.
#
#   scripts/browser-tests.sh [VITEST ARG...]
#
# Uses Debian's `chromium` (PRC_CHROMIUM overrides the path), installing it with apt when it is
# missing (as root); Playwright never downloads a browser. Runs vitest with
# vitest.browser.config.ts and these arguments. Screenshots and axe-core's findings go to .ci/out/.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'browser-tests: %s\n' "$*" >&2; }

chromium_path=${PRC_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x "$chromium_path" ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    log "$chromium_path is missing and this is not root: install Debian's chromium (apt-get install chromium) or set PRC_CHROMIUM"
    exit 1
  fi
  log "installing chromium (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
log "$("$chromium_path" --version 2>/dev/null | tail -n 1)"
mkdir -p .ci/out
export PRC_CHROMIUM="$chromium_path"
exec npx vitest run --config vitest.browser.config.ts "$@"

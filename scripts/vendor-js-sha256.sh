#!/usr/bin/env bash
# Copy the SHA-256 library into the PWA's static files (issue 17, evidence uploads): the phone
# hashes a file piece by piece, which the browser's own crypto.subtle.digest cannot (it takes
# the whole file in memory, 200 MB of video on a phone).
#
# The copy is committed, so running the app needs no npm; run this only to change the
# version pinned in package.json. It installs from the npm registry with the lock file and
# no install scripts, then copies the minified build and its licence.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --ignore-scripts --no-audit --no-fund --silent
src=node_modules/js-sha256
dst=habeas/public/static/public/vendor/js-sha256
rm -rf "$dst" && mkdir -p "$dst"
cp "$src/build/sha256.min.js" "$src/LICENSE.txt" "$dst/"
version=$(node -p "require('./$src/package.json').version")
cat > "$dst/VERSION" <<TXT
js-sha256 $version (MIT, see LICENSE.txt).
Copied by scripts/vendor-js-sha256.sh from the npm package; do not edit by hand.
TXT
du -ch "$dst"/* | tail -1

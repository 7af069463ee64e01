#!/usr/bin/env bash
# Copy the on-device face detector into the PWA's static files (issue 7, "Safe photo").
#
# The copies are committed, so running the app needs no npm; run this only to change the
# version pinned in package.json. It installs from the npm registry with the lock file and
# no install scripts, then copies the browser bundle (face-api with TensorFlow.js inside)
# and the one small model the page uses (Tiny Face Detector, ~190 kB).
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --ignore-scripts --no-audit --no-fund --silent
src=node_modules/@vladmandic/face-api
dst=habeas/public/static/public/vendor/face-api
rm -rf "$dst" && mkdir -p "$dst"
cp "$src/dist/face-api.js" "$src/LICENSE" "$dst/"
cp "$src/model/tiny_face_detector_model.bin" \
   "$src/model/tiny_face_detector_model-weights_manifest.json" "$dst/"
version=$(node -p "require('./$src/package.json').version")
tfjs=$(grep -o '"[0-9][0-9.]*"' "$src/dist/tfjs.version.js" | head -1 | tr -d '"')
cat > "$dst/VERSION" <<TXT
@vladmandic/face-api $version (MIT, see LICENSE), bundling TensorFlow.js ${tfjs:-4.x} (Apache-2.0).
Copied by scripts/vendor-face-api.sh from the npm package; do not edit by hand.
TXT
du -ch "$dst"/* | tail -1

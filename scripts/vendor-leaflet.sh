#!/usr/bin/env bash
# Copy the map library into the console's static files (issue 12, the console's map).
#
# The copies are committed, so running the app needs no npm; run this only to change the
# version pinned in package.json. It installs from the npm registry with the lock file and
# no install scripts, then copies the minified bundle, its stylesheet and the images the
# stylesheet names. The source-map comment is dropped: the map file is not shipped, and a
# reference to a missing file stops the manifest static storage at collectstatic.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --ignore-scripts --no-audit --no-fund --silent
src=node_modules/leaflet
dst=habeas/console/static/console/vendor/leaflet
rm -rf "$dst" && mkdir -p "$dst/images"
grep -v '^//# sourceMappingURL=' "$src/dist/leaflet.js" > "$dst/leaflet.js"
cp "$src/dist/leaflet.css" "$src/LICENSE" "$dst/"
cp "$src"/dist/images/*.png "$dst/images/"
version=$(node -p "require('./$src/package.json').version")
cat > "$dst/VERSION" <<TXT
leaflet $version (BSD-2-Clause, see LICENSE).
Copied by scripts/vendor-leaflet.sh from the npm package; do not edit by hand.
TXT
du -ch "$dst"/* "$dst"/images/* | tail -1

#!/bin/sh
# build-deb.sh [OUTDIR] — the Debian packages (debian/): a copy of the
# source tree as git sees it (tracked files and new ones not ignored, so
# no build directory rides along) is built with `dpkg-buildpackage -us
# -uc -b` under OUTDIR/src (default build-deb); the .debs and .changes
# land in OUTDIR, never beside the checkout. DEB_BUILD_OPTIONS is passed
# through (`make deb` sets nocheck: the tests are `make test`'s). Ends
# with lintian's verdict on the .changes (errors fail, warnings shown).
set -eu
cd "$(dirname "$0")/.."
out=${1:-build-deb}
case $out in /*) ;; *) out=$PWD/$out ;; esac
version=$(dpkg-parsechangelog -S Version)
src=$out/src/mamori-$version

rm -rf "$out"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard |
    xargs -0 cp --parents -P -t "$src" --
cd "$src"
start=$(date +%s)
dpkg-buildpackage -us -uc -b
echo "build-deb: packages built in $(( $(date +%s) - start )) s:"
cd "$out/src"
for f in ./*.deb ./*.changes ./*.buildinfo; do mv "$f" "$out/"; done
cd "$out"
rm -rf "$out/src"
ls -1 "$out"
if command -v lintian >/dev/null; then
    lintian --fail-on error "$out"/mamori_"${version}"_*.changes
fi

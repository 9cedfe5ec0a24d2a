#!/bin/sh
# listed.sh — the test `tests-listed`: every tests/unit/test_*.c and
# tests/shell/t*.sh on disk is in the lists of tests/meson.build (a file
# in a list but not on disk is already a configure error). Arguments:
# DIR GLOB NAME... where each NAME is a listed file name.
# Prints one TAP line naming the files that no list holds.
dir=$1 glob=$2
shift 2
unlisted=
for f in "$dir"/$glob; do
    [ -e "$f" ] || continue
    b=${f##*/}
    found=0
    for n in "$@"; do
        [ "$n" = "$b" ] && { found=1; break; }
    done
    [ $found = 1 ] || unlisted="$unlisted $b"
done
echo "1..1"
if [ -z "$unlisted" ]; then
    echo "ok 1 - every $glob in ${dir##*/}/ is listed in tests/meson.build"
else
    echo "not ok 1 - not listed in tests/meson.build:$unlisted"
    exit 1
fi

#!/bin/sh
# scripts/soname.sh LIB CC... — the soname of the library `-lLIB` links
# (libpq.so -> "libpq.so.5"), for the libraries mamori opens when a
# command needs them (lib/util/dlib.h). Meson runs it at setup with the
# build's own compiler, so the name is the one the headers came with.
# readelf's words are translated (Japanese: "ライブラリの soname"): the
# C locale, and the tag, which is not.
set -eu
lib=$1
shift
file=$("$@" -print-file-name="lib$lib.so")
case $file in
/*) ;;
*) echo "soname.sh: lib$lib.so not found by $*" >&2; exit 1 ;;
esac
name=$(LC_ALL=C readelf -d "$file" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
[ -n "$name" ] || { echo "soname.sh: $file has no soname" >&2; exit 1; }
echo "$name"

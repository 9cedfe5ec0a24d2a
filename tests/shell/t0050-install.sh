#!/bin/bash
# t0050-install.sh — libmamori as others get it: `meson install` of this
# build into a staging directory (DESTDIR), then checks of what landed
# where — the command, libmamori.so.1 exporting only mamori_* (and every
# function the headers declare), the headers, mamori.pc, pam_mamori.so in
# the directory libpam searches (not under the prefix), the man pages and
# the bash completion — and a program outside the tree,
# examples/libmamori/logscan_json.c, compiled through pkg-config against
# the stage, run, and compared with the staged `mamori` command. Needs
# meson, jq, pkg-config and a C compiler; skips visibly otherwise.
. "$(dirname "$0")/lib.sh"
: "${BUILD_ROOT:?}" "${SOURCE_ROOT:?}"

for tool in meson jq pkg-config cc nm readelf; do
    if ! command -v "$tool" >/dev/null; then
        skip "staged install" "$tool not installed (scripts/install-deps.sh --test)"
        done_testing
        exit 0
    fi
done

STAGE=$TMP/stage
# meson install rewrites the build's install log, which `make uninstall`
# reads: put back the one a real `make install` may have left.
LOG=$BUILD_ROOT/meson-logs/install-log.txt
[ -f "$LOG" ] && cp "$LOG" "$TMP/install-log.txt"
cleanup() {
    if [ -f "$TMP/install-log.txt" ]; then
        cp "$TMP/install-log.txt" "$LOG"
    else
        rm -f "$LOG"
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

ok "meson install --destdir stages the build" \
    meson install -C "$BUILD_ROOT" --no-rebuild --destdir "$STAGE"

# Where this build installs things (absolute, before DESTDIR).
opt() { meson introspect "$BUILD_ROOT" --buildoptions |
        jq -r --arg n "$1" '.[] | select(.name == $n) | .value'; }
PREFIX=$(opt prefix)
under_prefix() { case $1 in /*) echo "$1" ;; *) echo "$PREFIX/$1" ;; esac; }
BINDIR=$(under_prefix "$(opt bindir)")
LIBDIR=$(under_prefix "$(opt libdir)")
INCDIR=$(under_prefix "$(opt includedir)")
MANDIR=$(under_prefix "$(opt mandir)")
LIB=$STAGE$LIBDIR/libmamori.so.1
VERSION=$(meson introspect "$BUILD_ROOT" --projectinfo | jq -r .version)

# Every file meson says it installs is in the stage.
all_installed() {
    meson introspect "$BUILD_ROOT" --installed | jq -r '.[]' |
    while read -r f; do
        [ -e "$STAGE$f" ] || [ -L "$STAGE$f" ] || { echo "missing: $f"; exit 1; }
    done
}
ok "every installed file is in the stage" all_installed
ok "the command is in bindir" test -x "$STAGE$BINDIR/mamori"
ok "libmamori.so.1 and the development link are in libdir" \
    test -f "$LIB" -a -L "$STAGE$LIBDIR/libmamori.so"
ok "libmamori.so.$VERSION is the real file" test -f "$STAGE$LIBDIR/libmamori.so.$VERSION"
ok "the soname is libmamori.so.1" \
    sh -c "readelf -d '$LIB' | grep -q 'SONAME.*\[libmamori\.so\.1\]'"
ok "the command links the shared library" \
    sh -c "readelf -d '$STAGE$BINDIR/mamori' | grep -q 'NEEDED.*\[libmamori\.so\.1\]'"

# Exports: mamori_* only (sanitizer builds add their own hooks), and
# exactly the functions the public headers declare with MAMORI_API.
nm -D --defined-only "$LIB" | awk '{print $NF}' |
    grep -Ev '^(__asan|__odr_asan|__ubsan|__sanitizer|__lsan)' |
    sort > "$TMP/exported"
grep -h '^MAMORI_API ' "$SOURCE_ROOT"/include/mamori/*.h |
    grep -o 'mamori_[a-z0-9_]*(' | tr -d '(' | sort -u > "$TMP/declared"
ok "nm -D: every exported symbol starts with mamori_" \
    sh -c "! grep -v '^mamori_' '$TMP/exported'"
ok "nm -D: the exports are exactly the MAMORI_API functions" \
    diff "$TMP/declared" "$TMP/exported"
ok "the headers declare public functions" test -s "$TMP/declared"
# Inside, every global name carries mamori_ or the internal mr_ (the
# prefix that keeps them apart from a program's own names when linked
# statically, as pam_mamori.so is).
prefixed_globals() {
    nm -g --defined-only "$BUILD_ROOT/lib/libmamori.a" \
        > "$TMP/globals" 2>/dev/null || return 1
    awk 'NF == 3 {print $3}' "$TMP/globals" > "$TMP/names"
    [ -s "$TMP/names" ] && ! grep -Ev '^(mamori_|mr_|__odr_asan)' "$TMP/names"
}
ok "the internal archive's globals are all mamori_* or mr_*" prefixed_globals

# Headers: every one in include/mamori, each usable on its own, from C
# and C++.
same_headers() {
    (cd "$SOURCE_ROOT/include/mamori" && ls ./*.h) |
        sed 's|^\./||' | sort -u > "$TMP/h.src"
    (cd "$STAGE$INCDIR/mamori" && ls ./*.h) | sed 's|^\./||' | sort > "$TMP/h.inst"
    diff "$TMP/h.src" "$TMP/h.inst"
}
ok "every public header is installed" same_headers
each_header() { # compiler flags...
    for h in "$STAGE$INCDIR"/mamori/*.h; do
        printf '#include <mamori/%s>\ntypedef int not_empty;\n' "${h##*/}" |
            "$@" -I"$STAGE$INCDIR" -fsyntax-only -x "${LANGX:-c}" - || return 1
    done
}
ok "each header compiles alone (C11, -Wall -Wextra -Wpedantic -Werror)" \
    each_header cc -std=c11 -Wall -Wextra -Wpedantic -Werror
each_header_cxx() { LANGX=c++ each_header c++ -Wall -Wextra -Werror; }
if command -v c++ >/dev/null; then
    ok "each header compiles alone (C++)" each_header_cxx
else
    skip "each header compiles alone (C++)" "no C++ compiler"
fi
ok "MAMORI_VERSION is the project version" \
    grep -q "^#define MAMORI_VERSION \"$VERSION\"" "$STAGE$INCDIR/mamori/version.h"

# Where libpam loads modules from: pam.pc's securedir, else its libdir
# plus /security (Debian 12), unless the build was told otherwise.
SECUREDIR=$(opt pam_securedir)
[ -n "$SECUREDIR" ] || SECUREDIR=$(pkg-config --variable=securedir pam 2>/dev/null)
[ -n "$SECUREDIR" ] || SECUREDIR=$(pkg-config --variable=libdir pam 2>/dev/null)/security

# pkg-config against the stage: the sysroot prefixes -I and -L.
export PKG_CONFIG_PATH=$STAGE$LIBDIR/pkgconfig
export PKG_CONFIG_SYSROOT_DIR=$STAGE
ok "mamori.pc is installed" test -f "$STAGE$LIBDIR/pkgconfig/mamori.pc"
ok "pkg-config --modversion mamori is the project version" \
    sh -c "test \"\$(pkg-config --modversion mamori)\" = '$VERSION'"

# The PAM module goes where libpam looks, whatever the prefix.
if [ -f "$BUILD_ROOT/pam/pam_mamori.so" ]; then
    ok "pam_mamori.so is in PAM's module directory ($SECUREDIR)" \
        test -f "$STAGE$SECUREDIR/pam_mamori.so"
    ok "no pam_mamori.so under the prefix" \
        sh -c "! find '$STAGE$PREFIX' -name pam_mamori.so | grep -q ."
    ok "pam_mamori.so exports only the pam_sm_* entry points" \
        sh -c "! nm -D --defined-only '$STAGE$SECUREDIR/pam_mamori.so' | awk '{print \$NF}' | grep -Ev '^(pam_sm_|__asan|__odr_asan|__ubsan|__sanitizer|__lsan)'"
    ok "pam_mamori.so needs no libmamori.so" \
        sh -c "! readelf -d '$STAGE$SECUREDIR/pam_mamori.so' | grep -q 'NEEDED.*libmamori'"
else
    skip "pam_mamori.so installed" "not built (libpam0g-dev missing)"
fi

# Man pages and completion.
man_pages() {
    for p in man1/mamori.1 man1/mamori-logscan.1 man1/mamori-authscan.1 \
             man1/mamori-dns.1 man1/mamori-password.1 man1/mamori-audit.1 \
             man8/pam_mamori.8; do
        [ -f "$STAGE$MANDIR/$p" ] || { echo "missing $MANDIR/$p"; return 1; }
    done
}
ok "the man pages are in mandir" man_pages
if command -v man >/dev/null; then
    ok "man finds mamori(1) in the staged mandir" \
        sh -c "MANPAGER=cat MANWIDTH=80 man -M '$STAGE$MANDIR' mamori | grep -q 'mamori'"
    ok "man finds pam_mamori(8) in the staged mandir" \
        sh -c "MANPAGER=cat MANWIDTH=80 man -M '$STAGE$MANDIR' 8 pam_mamori | grep -q 'PAM'"
else
    skip "man renders the staged pages" "man-db not installed"
fi
COMPL=$(find "$STAGE" -path '*/bash-completion/completions/mamori' | head -n1)
ok "bash completion is in a bash-completion completions directory" test -n "$COMPL"
ok "the completion defines a completion for mamori" \
    bash -c ". '$COMPL' && complete -p mamori"

# A program of someone else's: compiled through pkg-config against the
# stage, run with the staged library, compared with the staged command.
# A sanitizer build's library needs the sanitizer runtime in the program.
SAN=""
readelf -d "$LIB" | grep -q 'NEEDED.*libasan' && SAN="-fsanitize=address,undefined"
EX=$SOURCE_ROOT/examples/libmamori/logscan_json.c
LOGS=$SOURCE_ROOT/examples/logs
# shellcheck disable=SC2046,SC2086
ok "the example builds with pkg-config --cflags --libs mamori" \
    cc -std=c11 -Wall -Wextra -Werror $SAN "$EX" \
        $(pkg-config --cflags --libs mamori) -o "$TMP/logscan_json"
ok "the example links libmamori.so.1" \
    sh -c "readelf -d '$TMP/logscan_json' | grep -q 'NEEDED.*\[libmamori\.so\.1\]'"
export LD_LIBRARY_PATH=$STAGE$LIBDIR
ok "the example scans examples/logs" \
    sh -c "'$TMP/logscan_json' '$LOGS' > '$TMP/ex.out' 2> '$TMP/ex.err'"
ok "the example runs the staged library" \
    sh -c "ldd '$TMP/logscan_json' | grep -q '$STAGE$LIBDIR/libmamori.so.1'"
ok "the example says which library it runs" \
    grep -qx "libmamori $VERSION (compiled against $VERSION)" "$TMP/ex.err"
ok "the example prints JSON objects" jq -e . "$TMP/ex.out"
ok "the example finds the SQL injection in nginx/access.log" \
    sh -c "jq -se '[.[] | select(.check == \"logscan.sqli\" and (.file | endswith(\"nginx/access.log\")) and .client == \"203.0.113.45\")] | length > 0' '$TMP/ex.out'"
# The same findings (check, file, line) as the staged command reports.
"$STAGE$BINDIR/mamori" logscan --format json --fail-on none "$LOGS" \
    > "$TMP/cmd.out" 2>/dev/null
same_findings() {
    jq -r 'select(.check != null) | [.check, .file, .line] | @tsv' "$TMP/ex.out" > "$TMP/a"
    jq -r 'select(.type == "finding") | [.check, .file, .line] | @tsv' "$TMP/cmd.out" > "$TMP/b"
    [ -s "$TMP/a" ] && diff "$TMP/a" "$TMP/b"
}
ok "the example and the staged mamori report the same findings" same_findings
ok "the example's totals count them" \
    sh -c "test \"\$(tail -n1 '$TMP/ex.out' | jq .findings)\" = \"\$(grep -c . '$TMP/a')\""
ok "the staged command's --version is the library's" \
    sh -c "test \"\$('$STAGE$BINDIR/mamori' --version)\" = 'mamori $VERSION'"

done_testing

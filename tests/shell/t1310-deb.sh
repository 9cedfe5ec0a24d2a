#!/bin/bash
# t1310-deb.sh — the Debian packages installed, run and purged in a
# throwaway root (scripts/deb-test.sh: an overlay on / in a private
# namespace; this machine's / is never written). Building them takes
# minutes (5 to 8 on a shared 2-core machine), too long for every test
# run, so this test checks packages that exist: those of `make deb`
# (build-deb/ in the source tree) or of MAMORI_DEBS=DIR, in about 40 s.
# MAMORI_TEST_DEB=1 builds them first (scripts/build-deb.sh, nocheck;
# give meson test a timeout multiplier: -t 4). Skipped otherwise, and
# when not root.
. "$(dirname "$0")/lib.sh"
: "${SOURCE_ROOT:?}"

debs=${MAMORI_DEBS:-$SOURCE_ROOT/build-deb}
if [ "${MAMORI_TEST_DEB:-}" = 1 ]; then
    debs=$TMP/deb
    DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" \
        sh "$SOURCE_ROOT/scripts/build-deb.sh" "$debs" > "$TMP/build.log" 2>&1
    ok "scripts/build-deb.sh builds the packages, lintian finds no error" \
        sh -c "grep -q '^build-deb: packages built' '$TMP/build.log' && ! grep -q '^E: ' '$TMP/build.log'"
    grep '^\(W\|E\): \|^build-deb: ' "$TMP/build.log" | sed 's/^/# /'
fi
if ! ls "$debs"/mamori_*.deb > /dev/null 2>&1; then
    skip "packages in a throwaway root" "no packages in $debs (make deb, or MAMORI_TEST_DEB=1)"
    done_testing; exit
fi
if ! test_have_prereq ROOT; then
    skip "packages in a throwaway root" "needs root"
    done_testing; exit
fi
echo "# packages of $debs, built $(stat -c %y "$(ls "$debs"/mamori_*.deb)")"
sh "$SOURCE_ROOT/scripts/deb-test.sh" "$debs" > "$TMP/deb-test.tap" 2>&1; st=$?
sed 's/^/# /' "$TMP/deb-test.tap"
ok "scripts/deb-test.sh: installed, ran, purged cleanly (see above)" test "$st" -eq 0
ok "scripts/deb-test.sh: every check passed" sh -c \
    "grep -q '^1\.\.[1-9]' '$TMP/deb-test.tap' && ! grep -q '^not ok' '$TMP/deb-test.tap'"
done_testing

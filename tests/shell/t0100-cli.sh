#!/bin/bash
# t0100-cli.sh — the command line itself: help, version, the command
# table, usage errors and their exit status (2).
. "$(dirname "$0")/lib.sh"

test_expect_success '--version names the version' '
    "$MAMORI" --version >out &&
    grep -Eq "^mamori [0-9]+\.[0-9]+\.[0-9]+$" out
'
# util/dlib.h: libraries one capability uses are opened by it, or every
# start, a log scan's too, maps and relocates their 49 dependencies.
test_expect_success 'a start loads none of the libraries opened when needed' '
    ldd "$MAMORI" >libs &&
    grep -q "libmamori" libs &&
    ! grep -E "lib(curl|pq|rpm|xml2|nftables|ssh|unbound|systemd)\." libs
'
test_expect_success '--help lists every command' '
    "$MAMORI" --help >out &&
    grep -q audit out &&
    grep -q logscan out
'
test_expect_success '--help documents the exit status' '
    "$MAMORI" --help >out &&
    grep -q "exit status" out
'
test_expect_success 'no command is a usage error' '
    test_expect_code 2 "$MAMORI"
'
test_expect_success 'unknown command is a usage error' '
    test_expect_code 2 "$MAMORI" frobnicate
'
test_expect_success 'unknown command says so' '
    test_must_fail "$MAMORI" frobnicate >out 2>&1 &&
    grep -q "not a mamori command" out
'
for cmd in audit logscan authscan password dns; do
    export cmd
    test_expect_success "$cmd -h prints usage and exits 0" '
        "$MAMORI" $cmd -h >out &&
        grep -q "usage: mamori $cmd" out
    '
    test_expect_success "$cmd --help documents exit status" '
        "$MAMORI" $cmd --help >out &&
        grep -q "exit status" out
    '
    test_expect_success "help $cmd is $cmd --help" '
        "$MAMORI" help $cmd >out &&
        grep -q "usage: mamori $cmd" out
    '
    test_expect_success "$cmd: unknown option exits 2" '
        test_expect_code 2 "$MAMORI" $cmd --no-such-option
    '
    test_expect_success "$cmd: bad --format exits 2" '
        test_expect_code 2 "$MAMORI" $cmd --format xml /dev/null
    '
    test_expect_success "$cmd: bad --lang exits 2" '
        test_expect_code 2 "$MAMORI" $cmd --lang fr /dev/null
    '
    test_expect_success "$cmd: bad --since exits 2" '
        test_expect_code 2 "$MAMORI" $cmd --since yesterday /dev/null
    '
    test_expect_success "$cmd: bad --fail-on exits 2" '
        test_expect_code 2 "$MAMORI" $cmd --fail-on severe /dev/null
    '
done
test_expect_success 'unwritable --output exits 2' '
    test_expect_code 2 "$MAMORI" logscan -o /nonexistent/dir/x.json /dev/null
'
test_expect_success 'missing input exits 2 with its name' '
    test_must_fail "$MAMORI" logscan /nonexistent.log 2>err &&
    grep -q "/nonexistent.log" err
'
test_expect_success 'missing input exit status is 2' '
    test_expect_code 2 "$MAMORI" logscan /nonexistent.log
'
test_expect_success 'audit --no-system without paths exits 2' '
    test_expect_code 2 "$MAMORI" audit --no-system
'
for page in mamori mamori-audit mamori-logscan mamori-authscan mamori-password mamori-dns mamori-history mamori-score mamori-selfcheck mamori-incident; do
    export page
    test_expect_success MAN "man page $page renders" '
        MANWIDTH=80 man -l "$SOURCE_ROOT/man/$page.1" >out 2>&1 &&
        grep -q "EXIT STATUS" out
    '
done
test_expect_success 'bash completion loads and completes commands' '
    . "$SOURCE_ROOT/completion/mamori.bash" &&
    COMP_WORDS=(mamori lo) && COMP_CWORD=1 && _mamori &&
    test "${COMPREPLY[*]}" = logscan
'
test_done

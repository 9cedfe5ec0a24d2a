#!/bin/bash
# t0100-cli.sh — the command line itself: help, version, the command
# table, usage errors and their exit status (2).
. "$(dirname "$0")/lib.sh"

expect_status() { # status cmd...
    want=$1; shift
    "$@"; got=$?
    [ "$got" -eq "$want" ] || { echo "exit $got, wanted $want" >&2; return 1; }
}

ok "--version names the version" sh -c '"$MAMORI" --version | grep -Eq "^mamori [0-9]+\.[0-9]+\.[0-9]+$"'
ok "--help lists every command" sh -c '"$MAMORI" --help | grep -q "audit" && "$MAMORI" --help | grep -q "logscan"'
ok "--help documents the exit status" sh -c '"$MAMORI" --help | grep -q "exit status"'
ok "no command is a usage error" expect_status 2 "$MAMORI"
ok "unknown command is a usage error" expect_status 2 "$MAMORI" frobnicate
ok "unknown command says so" sh -c '"$MAMORI" frobnicate 2>&1 | grep -q "not a mamori command"'
for cmd in audit logscan authscan password dns; do
    ok "$cmd -h prints usage and exits 0" sh -c "\"\$MAMORI\" $cmd -h | grep -q 'usage: mamori $cmd'"
    ok "$cmd --help documents exit status" sh -c "\"\$MAMORI\" $cmd --help | grep -q 'exit status'"
    ok "help $cmd is $cmd --help" sh -c "\"\$MAMORI\" help $cmd | grep -q 'usage: mamori $cmd'"
    ok "$cmd: unknown option exits 2" expect_status 2 "$MAMORI" $cmd --no-such-option
    ok "$cmd: bad --format exits 2" expect_status 2 "$MAMORI" $cmd --format xml /dev/null
    ok "$cmd: bad --lang exits 2" expect_status 2 "$MAMORI" $cmd --lang fr /dev/null
    ok "$cmd: bad --since exits 2" expect_status 2 "$MAMORI" $cmd --since yesterday /dev/null
    ok "$cmd: bad --fail-on exits 2" expect_status 2 "$MAMORI" $cmd --fail-on severe /dev/null
done
ok "unwritable --output exits 2" expect_status 2 "$MAMORI" logscan -o /nonexistent/dir/x.json /dev/null
ok "missing input exits 2 with its name" sh -c '"$MAMORI" logscan /nonexistent.log 2>&1 >/dev/null | grep -q "/nonexistent.log"; test $? -eq 0'
ok "missing input exit status is 2" expect_status 2 "$MAMORI" logscan /nonexistent.log
ok "audit --no-system without paths exits 2" expect_status 2 "$MAMORI" audit --no-system
if command -v man >/dev/null 2>&1; then
    for page in mamori mamori-audit mamori-logscan mamori-authscan mamori-password mamori-dns; do
        ok "man page $page renders" sh -c "MANWIDTH=80 man -l '$SOURCE_ROOT/man/$page.1' 2>&1 | grep -q 'EXIT STATUS'"
    done
else
    skip "man pages render" "man not installed"
fi
ok "bash completion loads and completes commands" bash -c ". '$SOURCE_ROOT/completion/mamori.bash'; COMP_WORDS=(mamori lo); COMP_CWORD=1; _mamori; [ \"\${COMPREPLY[*]}\" = logscan ]"
done_testing

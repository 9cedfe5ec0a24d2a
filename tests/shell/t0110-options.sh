#!/bin/bash
# t0110-options.sh — options are data: every command and verb lists in
# --help exactly the options of its table (mamori __complete options), a
# common option it does not honour is refused with exit 2, the bash
# completion is written from the same tables, --only/--skip filter
# findings, and dns spf-eval writes JSON when asked.
. "$(dirname "$0")/lib.sh"

EX="$SOURCE_ROOT/examples/logs"
KEYS=("audit" "authscan" "dns" "dns spf-eval" "logscan" "password"
      "password check" "password audit" "password policy" "password info")
COMMON=(--format --output --lang --min-severity --fail-on --quiet --color
        --no-color --no-progress --only --skip --since --until --threads)

# A value for each common option that takes one (valid where honoured).
value_of() {
    case $1 in
        --format) echo json ;; --output) echo "$TMP/out" ;; --lang) echo en ;;
        --min-severity|--fail-on) echo high ;; --color) echo never ;;
        --only|--skip) echo "meti.*" ;; --since|--until) echo 24h ;;
        --threads) echo 1 ;; *) ;;
    esac
}

# The long options in a --help text: lines "  -x, --name" or "      --name".
help_options() {
    grep -oE '^(  -[a-zA-Z], |      )--[a-z][a-z-]*' | sed 's/.*--/--/' | sort
}

for key in "${KEYS[@]}"; do
    # shellcheck disable=SC2086
    "$MAMORI" __complete options $key | sort > "$TMP/table"
    # shellcheck disable=SC2086
    "$MAMORI" $key --help 2>&1 | help_options > "$TMP/helpopts"
    ok "$key: --help lists exactly its option table" diff -u "$TMP/table" "$TMP/helpopts"
    refused=1
    for opt in "${COMMON[@]}"; do
        grep -qx -- "$opt" "$TMP/table" && continue
        v=$(value_of "$opt")
        "$MAMORI" $key "$opt" ${v:+"$v"} /dev/null > /dev/null 2> "$TMP/err"
        st=$?
        if [ "$st" -ne 2 ] || ! grep -q "does not apply" "$TMP/err"; then
            echo "# $key $opt: exit $st: $(cat "$TMP/err")"
            refused=0
        fi
    done
    ok "$key: common options not in its table are refused (exit 2)" test "$refused" -eq 1
done

ok "dns --help does not list --since or --until" \
    sh -c "! \"\$MAMORI\" dns --help | grep -qE -- '--(since|until)'"
ok "dns --since is refused with exit 2" sh -c "\"\$MAMORI\" dns --since 1d example.test; test \$? -eq 2"
ok "dns spf-eval --format html is refused" \
    sh -c "\"\$MAMORI\" dns spf-eval --format html --ip 192.0.2.1 --helo x 2>/dev/null; test \$? -eq 2"
ok "password check --stdin --format text is refused" \
    sh -c "echo x | \"\$MAMORI\" password check --stdin --format text 2>/dev/null; test \$? -eq 2"

# ---- completion -----------------------------------------------------------

"$MAMORI" __complete bash > "$TMP/mamori.bash"
ok "generated completion is valid bash" bash -n "$TMP/mamori.bash"
ok "completion/mamori.bash is the generated script" \
    diff -u "$SOURCE_ROOT/completion/mamori.bash" "$TMP/mamori.bash"
if [ -f "$BUILD_ROOT/completion/mamori" ]; then
    ok "the build's completion is the generated script" \
        diff -u "$BUILD_ROOT/completion/mamori" "$TMP/mamori.bash"
else
    skip "the build's completion is the generated script" "not built"
fi
# Completing "--" after each command offers every option of its table.
complete_options() { # words...
    bash -c '. "$1"; shift; COMP_WORDS=(mamori "$@" --); COMP_CWORD=$(($# + 1));
             _mamori; printf "%s\n" "${COMPREPLY[@]}"' _ "$TMP/mamori.bash" "$@" |
        grep -- '^--' | sort
}
for key in "${KEYS[@]}"; do
    # shellcheck disable=SC2086
    "$MAMORI" __complete options $key | sort > "$TMP/table"
    # shellcheck disable=SC2086
    complete_options $key > "$TMP/compl"
    ok "$key: completion offers every option of its table" diff -u "$TMP/table" "$TMP/compl"
done
ok "dns completion has --no-probe" \
    bash -c ". '$TMP/mamori.bash'; COMP_WORDS=(mamori dns --no-prob); COMP_CWORD=2; _mamori; [ \"\${COMPREPLY[*]}\" = --no-probe ]"
ok "dns spf-eval completion has --stdin" \
    bash -c ". '$TMP/mamori.bash'; COMP_WORDS=(mamori dns spf-eval --std); COMP_CWORD=3; _mamori; [ \"\${COMPREPLY[*]}\" = --stdin ]"
ok "--only completes check ids" \
    bash -c ". '$TMP/mamori.bash'; COMP_WORDS=(mamori logscan --only logscan.sq); COMP_CWORD=3; _mamori; [ \"\${COMPREPLY[*]}\" = logscan.sqli ]"
ok "password completes its verbs" \
    bash -c ". '$TMP/mamori.bash'; COMP_WORDS=(mamori password po); COMP_CWORD=2; _mamori; [ \"\${COMPREPLY[*]}\" = policy ]"

# ---- --only / --skip ------------------------------------------------------

checks() { # args... -> "check count" lines of the findings
    "$MAMORI" "$@" 2>/dev/null | jq -r 'select(.type=="finding") | .check' | sort | uniq -c |
        awk '{print $2, $1}'
}
checks logscan --format json --fail-on none "$EX" > "$TMP/all"
checks logscan --format json --fail-on none --only logscan.sqli "$EX" > "$TMP/only"
ok "logscan --only logscan.sqli keeps only SQL injection" \
    sh -c "test -s '$TMP/only' && grep -v '^logscan.sqli ' '$TMP/only' | (! grep -q .) &&
           grep '^logscan.sqli ' '$TMP/all' | diff - '$TMP/only'"
checks logscan --format json --fail-on none --skip 'logscan.s*' "$EX" > "$TMP/skip"
ok "logscan --skip 'logscan.s*' leaves out sqli, scanner, sensitive-file" \
    sh -c "grep -v '^logscan\.s' '$TMP/all' | diff - '$TMP/skip'"
checks logscan --format json --fail-on none --only meti.appsec --skip logscan.xss,logscan.cmdi "$EX" > "$TMP/both"
ok "logscan --only COUNTERMEASURE --skip A,B" \
    sh -c "grep -vE '^logscan\.(xss|cmdi) ' '$TMP/all' | diff - '$TMP/both'"
ok "--only with a typo is a usage error with a suggestion" \
    sh -c "\"\$MAMORI\" logscan --only logscan.sqlx '$EX' 2>&1 >/dev/null | grep -q \"did you mean 'logscan.sqli'\"; test \$? -eq 0 &&
           { \"\$MAMORI\" logscan --only logscan.sqlx '$EX' >/dev/null 2>&1; test \$? -eq 2; }"
ok "--only another capability's check is a usage error" \
    sh -c "\"\$MAMORI\" logscan --only 'dns.*' '$EX' >/dev/null 2>&1; test \$? -eq 2"
ok "--fail-on counts only the findings kept" \
    sh -c "\"\$MAMORI\" logscan --only logscan.scanner --fail-on critical '$EX' >/dev/null 2>&1; test \$? -eq 0 &&
           { \"\$MAMORI\" logscan --fail-on critical '$EX' >/dev/null 2>&1; test \$? -eq 1; }"
ok "summaries still count every finding" \
    sh -c "a=\$(\"\$MAMORI\" logscan --format json '$EX' 2>/dev/null | jq -c 'select(.type==\"summary\")');
           b=\$(\"\$MAMORI\" logscan --format json --only logscan.sqli '$EX' 2>/dev/null | jq -c 'select(.type==\"summary\")');
           test -n \"\$a\" && test \"\$a\" = \"\$b\""
ok "the left-out findings are counted on stderr" \
    sh -c "\"\$MAMORI\" logscan --only logscan.sqli '$EX' 2>&1 >/dev/null | grep -q 'left out by --only/--skip'"
checks audit --no-system --format json --fail-on none "$EX" > "$TMP/a-all"
checks audit --no-system --format json --fail-on none --skip 'logscan.*' "$EX" > "$TMP/a-skip"
ok "audit --skip 'logscan.*' keeps the other capabilities' findings" \
    sh -c "grep -v '^logscan\.' '$TMP/a-all' | diff - '$TMP/a-skip' && ! grep -q '^logscan' '$TMP/a-skip'"
checks audit --no-system --format json --fail-on none --only meti.network "$EX" > "$TMP/a-only"
ok "audit --only meti.network keeps the login attacks" \
    sh -c "test -s '$TMP/a-only' && ! grep -qv '^auth\.' '$TMP/a-only'"

# ---- dns spf-eval --format json ------------------------------------------

# No DNS is needed: "localhost" is no domain (none), junk is a usage line,
# and a byte that is not UTF-8 must still give valid JSON.
printf '192.0.2.1 - localhost\nnot a query at all\nnot-an-ip a@b.test h\n192.0.2.1 - h\xff\n' |
    "$MAMORI" dns spf-eval --stdin --format json > "$TMP/spf.json" 2> "$TMP/spf.err"
ok "spf-eval --stdin --format json: one valid JSON object per line" \
    sh -c "test \$(wc -l < '$TMP/spf.json') -eq 4 && jq -e -c . '$TMP/spf.json' >/dev/null"
ok "spf-eval JSON carries result and inputs" \
    sh -c "jq -r '[.result, .ip // \"-\"] | join(\" \")' '$TMP/spf.json' | head -2 | tr '\n' ';' | grep -qx 'none 192.0.2.1;usage -;'"
ok "spf-eval --format json for one query is one JSON object" \
    sh -c "\"\$MAMORI\" dns spf-eval --format json --ip 192.0.2.1 --helo localhost | jq -e '.result == \"none\" and .dns_terms == 0'"

# ---- notes and the terminal ----------------------------------------------

ok "a note on stderr never lands inside a finding line" \
    sh -c "\"\$MAMORI\" logscan --no-color '$EX/nginx' /nonexistent.log 2>&1 | grep -q '.mamori logscan: /nonexistent'; test \$? -eq 1"

# ---- explicit lists ---------------------------------------------------------

ok "every fuzz harness is listed in fuzz/meson.build, and only those" \
    sh -c "cd '$SOURCE_ROOT/fuzz' && ls fuzz_*.c | sed 's/\.c\$//' | sort > '$TMP/fz1' &&
           grep -oE \"^  'fuzz_[a-z0-9_]+',\" meson.build | tr -d \"', \" | sort | diff '$TMP/fz1' -"
done_testing

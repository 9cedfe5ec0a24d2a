#!/bin/bash
# t0220-hostile-io.sh — the tool's own input and output under hostile
# conditions (issue 12, issue 20): every line of a line list gets its
# answer (NUL bytes, overlong lines); an output is never an input, never
# reached through a symbolic link, and replaced only when complete; no
# byte of a file name reaches the terminal raw (diagnostics, progress
# bar); block lists nft accepts whatever the sets hold; a write error is
# exit 2 whatever was found; authscan with no input refuses; overlong
# lines are counted in "Bytes read"; non-UTF-8 file names are written as
# \xNN bytes in every format.
. "$(dirname "$0")/lib.sh"
SRC=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
LOG=$SRC/examples/logs/iis/u_ex261101.log
ESC=$(printf '\033')

# ---- one answer per input line -----------------------------------------
printf 'x\0y\npassword\nTq7#vLw9-pRz!Km4\n' |
    "$MAMORI" password check --stdin > "$TMP/pw.jsonl" 2>/dev/null
ok "password --stdin: a NUL line is one line (3 lines, 3 answers)" \
    test "$(wc -l < "$TMP/pw.jsonl")" -eq 3
ok "password --stdin: 'password' after it is still refused" \
    sh -c "sed -n 2p '$TMP/pw.jsonl' | jq -e '.accepted == false'"
ok "password --stdin: the third answer is the third line's" \
    sh -c "sed -n 3p '$TMP/pw.jsonl' | jq -e '.accepted == true'"
{ head -c 300000 /dev/zero | tr '\0' 'a'; printf '\npassword\nTq7#vLw9-pRz!Km4'; } |
    "$MAMORI" password check --stdin > "$TMP/pw2.jsonl" 2>/dev/null
ok "password --stdin: an overlong line is one too_long answer" \
    sh -c "test \$(wc -l < '$TMP/pw2.jsonl') -eq 3 &&
           sed -n 1p '$TMP/pw2.jsonl' | jq -e '.reasons == [\"too_long\"]' &&
           sed -n 2p '$TMP/pw2.jsonl' | jq -e '.accepted == false' &&
           sed -n 3p '$TMP/pw2.jsonl' | jq -e '.accepted == true'"
{ printf '192.0.2.1 a@x y\0z\n'; head -c 5000 /dev/zero | tr '\0' 'b';
  printf '\nnot a query at all\n'; } |
    timeout 20 "$MAMORI" dns spf-eval --stdin --resolver 127.0.0.1:1 > "$TMP/spf.txt" 2>&1
ok "spf-eval --stdin: NUL, overlong and junk lines get an answer each, in order" \
    sh -c "cut -f1,3 '$TMP/spf.txt' | tr '\t\n' ' ;' |
           grep -qx 'usage NUL byte in the line;usage line longer than 1024 bytes;usage want .IP MAIL-FROM HELO.;'"
printf 'x\0y\nexample.test\n' > "$TMP/domains.txt"
timeout 30 "$MAMORI" dns -f json --from-file "$TMP/domains.txt" --resolver 127.0.0.1:1 \
    --timeout 1 > "$TMP/dns.jsonl" 2> "$TMP/dns.err"
st=$?
ok "dns --from-file: the line after a NUL line is checked" \
    grep -q '"domain":"example.test"' "$TMP/dns.jsonl"
ok "dns --from-file: the NUL line is named and the run is not clean (exit 2)" \
    sh -c "test $st -eq 2 && grep -q 'domains.txt:1: NUL byte' '$TMP/dns.err'"

# ---- outputs ---------------------------------------------------------------
cp "$LOG" "$TMP/v.log"
cp "$LOG" "$TMP/v.orig"
"$MAMORI" logscan -o "$TMP/v.log" "$TMP/v.log" >/dev/null 2>"$TMP/o.err"
st=$?
ok "logscan -o INPUT: refused (exit 2)" test $st -eq 2
ok "logscan -o INPUT: the input is untouched" cmp -s "$TMP/v.log" "$TMP/v.orig"
ok "logscan -o INPUT: says why" grep -q "one of the inputs" "$TMP/o.err"
ln -s "$TMP/v.log" "$TMP/v-link.log"
"$MAMORI" logscan -o "$TMP/v.log" "$TMP/v-link.log" >/dev/null 2>&1
ok "logscan -o INPUT reached through a link: refused, untouched" \
    sh -c "test $? -eq 2 && cmp -s '$TMP/v.log' '$TMP/v.orig'"
printf 'Nov  1 10:00:0%d h sshd[1]: Failed password for root from 203.0.113.10 port 1 ssh2\n' \
    1 2 3 4 5 6 7 8 9 > "$TMP/a4.log"
cp "$TMP/a4.log" "$TMP/a4.orig"
# A file inside an input directory is read by the scan too.
mkdir -p "$TMP/vd" && cp "$TMP/v.orig" "$TMP/vd/access.log"
"$MAMORI" logscan -o "$TMP/vd/access.log" "$TMP/vd" >/dev/null 2>&1
st=$?
ok "logscan -o FILE-INSIDE-AN-INPUT-DIRECTORY: refused, untouched" \
    sh -c "test $st -eq 2 && cmp -s '$TMP/vd/access.log' '$TMP/v.orig'"
"$MAMORI" logscan -q -o "$TMP/vd/report.txt" "$TMP/vd" >/dev/null 2>&1
ok "logscan -o NEW-FILE-IN-AN-INPUT-DIRECTORY: written" test -s "$TMP/vd/report.txt"
"$MAMORI" authscan -o "$TMP/a4.log" "$TMP/a4.log" >/dev/null 2>&1
ok "authscan -o INPUT: refused, untouched" \
    sh -c "test $? -eq 2 && cmp -s '$TMP/a4.log' '$TMP/a4.orig'"
"$MAMORI" authscan -q --emit nft --emit-file "$TMP/a4.log" "$TMP/a4.log" >/dev/null 2>&1
ok "authscan --emit-file INPUT: refused (exit 2), untouched" \
    sh -c "test $? -eq 2 && cmp -s '$TMP/a4.log' '$TMP/a4.orig'"
ln -s "$TMP/planted-target" "$TMP/report.txt"
"$MAMORI" logscan -o "$TMP/report.txt" "$LOG" >/dev/null 2>"$TMP/l.err"
ok "-o SYMLINK: refused (exit 2), nothing written through it" \
    sh -c "test $? -eq 2 && test ! -e '$TMP/planted-target' && grep -q 'symbolic link' '$TMP/l.err'"
echo keep > "$TMP/kept"
ln -s "$TMP/kept" "$TMP/block.nft"
"$MAMORI" authscan -q --emit nft --emit-file "$TMP/block.nft" "$TMP/a4.log" >/dev/null 2>&1
ok "--emit-file SYMLINK: refused (exit 2), its target untouched" \
    sh -c "test $? -eq 2 && test \"\$(cat '$TMP/kept')\" = keep"
echo old > "$TMP/out.txt"
ino=$(stat -c %i "$TMP/out.txt")
"$MAMORI" logscan -o "$TMP/out.txt" "$LOG" >/dev/null 2>&1
ok "-o FILE: replaced by a new file when complete" \
    sh -c "test \$(stat -c %i '$TMP/out.txt') != $ino && grep -q Findings '$TMP/out.txt'"
ok "-o FILE: no temporary left beside it" \
    sh -c "! ls -A '$TMP' | grep -q mamori-out"
"$MAMORI" logscan -f json -o /dev/stdout "$LOG" > "$TMP/stdout.jsonl" 2>/dev/null
ok "-o /dev/stdout still works" jq -e -s 'length > 0' "$TMP/stdout.jsonl"
ok "--help says the output is never written through a link" \
    sh -c "'$MAMORI' logscan --help | grep -q 'symbolic link'"

# ---- a write error is exit 2, whatever was found ----------------------------
if [ -w /dev/full ]; then
    "$MAMORI" authscan -q --fail-on low --emit nft --emit-file /dev/full "$TMP/a4.orig" >/dev/null 2>&1
    ok "--emit-file /dev/full with findings: exit 2" test $? -eq 2
    "$MAMORI" logscan -o /dev/full "$LOG" >/dev/null 2>&1
    ok "-o /dev/full with findings: exit 2" test $? -eq 2
    "$MAMORI" authscan --fail-on low -o /dev/full "$TMP/a4.orig" >/dev/null 2>&1
    ok "authscan -o /dev/full with findings: exit 2" test $? -eq 2
else
    skip "write errors are exit 2" "no writable /dev/full"
fi

# ---- nothing from outside reaches the terminal raw --------------------------
EVIL="$TMP/evil${ESC}]52;c;aGVsbG8=$(printf '\a')${ESC}[2J.log"
cp "$LOG" "$EVIL"
"$MAMORI" logscan "$EVIL.missing" >/dev/null 2>"$TMP/diag.err"
ok "diagnostics: the file name is escaped (no raw ESC on stderr)" \
    sh -c "grep -q 'x1b\]52' '$TMP/diag.err' && ! grep -q '$ESC' '$TMP/diag.err'"
"$MAMORI" logscan -o "$EVIL.dir/x" "$LOG" >/dev/null 2>"$TMP/err.err"
ok "errors: the file name is escaped (no raw ESC on stderr)" \
    sh -c "test -s '$TMP/err.err' && ! grep -q '$ESC' '$TMP/err.err'"
if command -v script >/dev/null; then
    # A pty on stderr: the progress bar is drawn (its own ESC [ K stays).
    script -qec "'$MAMORI' logscan --color always '$EVIL' >/dev/null" /dev/null \
        > "$TMP/tty.txt" 2>&1
    ok "progress bar on a terminal: drawn, with the name escaped" \
        grep -q 'x1b\]52' "$TMP/tty.txt"
    ok "progress bar on a terminal: no raw ESC ] 52 or ESC [ 2J" \
        sh -c "! grep -q '$ESC\]52\|$ESC\[2J' '$TMP/tty.txt'"
else
    skip "progress bar escapes the file name" "no script(1) to give it a terminal"
fi

# ---- nft block lists nft accepts ---------------------------------------------
printf 'Nov  1 10:00:0%d h sshd[1]: Failed password for root from 2001:db8::10 port 1 ssh2\n' \
    1 2 3 4 5 6 7 8 9 > "$TMP/a6.log"
printf 'Nov  1 10:00:01 h sshd[1]: Accepted publickey for bob from 10.1.1.1 port 1 ssh2\n' \
    > "$TMP/a0.log"
cat "$TMP/a4.orig" "$TMP/a6.log" > "$TMP/a46.log"
NFT_OK=0
if command -v nft >/dev/null; then
    printf 'define a = { 192.0.2.1 }\ntable inet t { chain c { ip saddr $a drop; }; }\n' > "$TMP/probe.nft"
    nft -c -f "$TMP/probe.nft" >/dev/null 2>&1 && NFT_OK=1
fi
for case in a4 a6 a0 a46; do
    "$MAMORI" authscan -q --fail-on none --emit nft --emit-file "$TMP/$case.nft" \
        "$TMP/$case.log" >/dev/null 2>&1
    ok "--emit nft ($case): no empty set" \
        sh -c "! tr -d ' \t\n' < '$TMP/$case.nft' | grep -q '={}' &&
               grep -A1 '^define mamori_block_v4 = {' '$TMP/$case.nft' | grep -q '^	[0-9]' &&
               grep -A1 '^define mamori_block_v6 = {' '$TMP/$case.nft' | grep -q '^	[0-9a-f]*:'"
    cat > "$TMP/use-$case.nft" <<EOS
include "$TMP/$case.nft"
table inet mamori_test {
    chain input {
        ip saddr \$mamori_block_v4 drop
        ip6 saddr \$mamori_block_v6 drop
    }
}
EOS
    if [ $NFT_OK = 1 ]; then
        ok "--emit nft ($case): nft -c accepts rules using both sets" \
            nft -c -f "$TMP/use-$case.nft"
    else
        skip "--emit nft ($case): nft -c accepts it" "nft missing or cannot check here (root, netlink)"
    fi
done
ok "--emit nft: the attackers are in their sets" \
    sh -c "grep -q '203.0.113.10' '$TMP/a46.nft' && grep -q '2001:db8::10' '$TMP/a46.nft'"

# ---- authscan with no input -----------------------------------------------
"$MAMORI" authscan < /dev/null > "$TMP/none.out" 2> "$TMP/none.err"
ok "authscan with no input: a usage error (exit 2), not a clean report" \
    sh -c "test $? -eq 2 && ! grep -q 'files read' '$TMP/none.out'"
ok "authscan with no input: says to name paths, '-', --journal or mamori audit" \
    sh -c "grep -q \"'-'\" '$TMP/none.err' && grep -q -- '--journal' '$TMP/none.err' &&
           grep -q 'mamori audit' '$TMP/none.err'"

# ---- counts and file names ------------------------------------------------
{ cat "$LOG"; head -c 3000000 /dev/zero | tr '\0' 'x'; echo; cat "$LOG"; } > "$TMP/long.log"
size=$(stat -c %s "$TMP/long.log")
"$MAMORI" logscan -f json "$TMP/long.log" > "$TMP/long.jsonl" 2>/dev/null
ok "Bytes read counts overlong lines (the whole file)" \
    jq -e -s --argjson n "$size" 'any(.[]; .type=="summary" and .counters.bytes == $n)' "$TMP/long.jsonl"
BAD="$TMP/$(printf 'a\377b').log"
cp "$LOG" "$BAD"
"$MAMORI" logscan -f json "$BAD" > "$TMP/bad.jsonl" 2>/dev/null
# JSON text a\\xffb.log: the decoded name holds the four characters \xff.
ok "JSON: a non-UTF-8 byte of a file name is written as \\xff, not Latin-1" \
    sh -c "grep -qF '\"file\":\"$TMP/a\\\\xffb.log\"' '$TMP/bad.jsonl' &&
           ! grep -q 'a\\\\u00ffb' '$TMP/bad.jsonl'"
"$MAMORI" logscan -f html "$BAD" > "$TMP/bad.html" 2>/dev/null
ok "HTML: the same byte as \\xff" grep -q 'a\\xffb\.log' "$TMP/bad.html"
"$MAMORI" logscan --color never "$BAD" > "$TMP/bad.txt" 2>/dev/null
ok "text: the same byte as \\xff" grep -q 'a\\xffb\.log' "$TMP/bad.txt"
"$MAMORI" logscan -f sarif "$BAD" > "$TMP/bad.sarif" 2>/dev/null
ok "SARIF: the byte percent-encoded in the URI" grep -q 'a%FFb\.log' "$TMP/bad.sarif"
# A hostile .xz names its own dictionary size: the decoder's memory is
# bounded (24 MiB, every preset to xz -7); a larger one is named, not read.
if command -v xz >/dev/null; then
    printf '1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] "GET /?id=%d HTTP/1.1" 200 1 "-" "x"\n' \
        $(seq 1 2000) > "$TMP/x.log"
    xz -6 -c "$TMP/x.log" > "$TMP/x6.log.xz"
    xz -9 -c "$TMP/x.log" > "$TMP/x9.log.xz"
    ok ".xz (xz -6) is read" sh -c "'$MAMORI' logscan -f json --fail-on none '$TMP/x6.log.xz' | jq -e -s '.[-1].counters.lines == 2000' >/dev/null"
    "$MAMORI" logscan -q --fail-on none "$TMP/x9.log.xz" >/dev/null 2>"$TMP/x9.err"
    st=$?
    ok ".xz asking for more memory than allowed: exit 2, says how to read it" \
        sh -c "test $st -eq 2 && grep -q 'xz -dc' '$TMP/x9.err'"
else
    skip ".xz memory bound" "no xz"
fi
done_testing

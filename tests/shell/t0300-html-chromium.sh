#!/bin/bash
# t0300-html-chromium.sh — a request carrying <script> stays inert in the
# HTML report, proved in a real browser: headless Chromium loads the
# report of a log whose paths, user agents and referers carry XSS
# payloads, and we read back the DOM it built. The payloads would set
# document.title to PWNED or create <img>/<svg>/<script> elements; the
# test passes only if the title is untouched, no such element exists, and
# the payload text IS on the page (escaped), so it cannot pass vacuously.
. "$(dirname "$0")/lib.sh"

CHROMIUM=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$c; break; fi
done

# Combined log format; the payloads sit where attackers put them. Apache
# logs '"' inside a field as \" so those are written that way.
cat >"$TMP/x.log" <<'EOF'
203.0.113.9 - - [01/Nov/2026:12:00:00 +0000] "GET /search?q=<script>document.title='PWNED'</script> HTTP/1.1" 200 512 "-" "Mozilla/5.0"
203.0.113.9 - - [01/Nov/2026:12:00:01 +0000] "GET /p?x=<img src=x onerror=\"document.title='PWNED'\"> HTTP/1.1" 200 512 "<script>document.title='PWNED'</script>" "Mozilla/5.0"
203.0.113.9 - - [01/Nov/2026:12:00:02 +0000] "GET /q?a=</title><script>document.title='PWNED'</script> HTTP/1.1" 404 0 "-" "<svg/onload=document.title='PWNED'>"
203.0.113.9 - - [01/Nov/2026:12:00:03 +0000] "GET /r?b=\"><svg/onload=document.title='PWNED'> HTTP/1.1" 200 10 "-" "<img src=x onerror=document.title='PWNED'>"
203.0.113.9 - - [01/Nov/2026:12:00:04 +0000] "GET /s?c=</textarea></style></noscript><script>document.title='PWNED'</script> HTTP/1.1" 200 10 "-" "sqlmap/1.7"
198.51.100.7 - - [01/Nov/2026:12:00:05 +0000] "GET /index.html HTTP/1.1" 200 1024 "-" "Mozilla/5.0"
EOF

report() {
    "$MAMORI" logscan --format html -o "$TMP/r.html" "$TMP/x.log"
    rc=$?
    # 0: nothing at or above --fail-on; 1: findings (expected here).
    [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || return 1
    [ -s "$TMP/r.html" ]
}
ok "logscan writes an HTML report of the hostile log" report

# The page alone, before any browser: no live markup from the log.
ok "report has a strict CSP" \
    grep -q "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'" "$TMP/r.html"
ok "report source holds no <script> element" \
    sh -c '[ -s "$1" ] && ! grep -qi "<script" "$1"' _ "$TMP/r.html"
ok "report source holds the payload escaped" \
    grep -qF "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" "$TMP/r.html"

dump_dom() { # output-file, extra chromium options...
    out=$1; shift
    HOME="$TMP" timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --disable-extensions \
        --user-data-dir="$TMP/prof" "$@" --dump-dom "file://$TMP/r.html" \
        >"$out" 2>"$TMP/chromium.err"
    [ -s "$out" ]
}

# Checks on a DOM serialized by Chromium: text is serialized with < as
# &lt;, so a raw "<img" can only be an element the parser created.
dom_title_safe() {
    grep -q "<title>mamori" "$1" && ! grep -qi "PWNED</title>" "$1"
}
dom_no_payload_elements() {
    ! grep -Eqi '<(script|img|iframe|object|embed|textarea|noscript)[ />]' "$1" &&
    ! grep -Eqi '<svg[^>]*onload' "$1" &&
    ! grep -Eqi '<body[^>]' "$1" &&
    ! grep -Eqi '<[a-z]+ [^>]*on(error|load)=' "$1"
}
dom_shows_payload() {
    grep -qF "&lt;script&gt;document.title='PWNED'&lt;/script&gt;" "$1" &&
    grep -qF "&lt;/title&gt;&lt;script&gt;" "$1" &&
    grep -q 'class="findings"' "$1"
}

if [ -z "$CHROMIUM" ]; then
    for t in "DOM loads" "title not PWNED" "no payload element" \
             "payload shown as text" "with virtual time: title not PWNED" \
             "with virtual time: no payload element"; do
        skip "chromium: $t" "chromium is not installed"
    done
elif [ ! -s "$TMP/r.html" ]; then
    for t in "DOM loads" "title not PWNED" "no payload element" \
             "payload shown as text" "with virtual time: title not PWNED" \
             "with virtual time: no payload element"; do
        T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1))
        echo "not ok $T_N - chromium: $t (no report was written)"
    done
else
    ok "chromium: DOM loads" dump_dom "$TMP/dom.html"
    ok "chromium: title not PWNED" dom_title_safe "$TMP/dom.html"
    ok "chromium: no payload element" dom_no_payload_elements "$TMP/dom.html"
    ok "chromium: payload shown as text" dom_shows_payload "$TMP/dom.html"
    # Give any timer or event handler time to run before the dump.
    dump_dom "$TMP/dom2.html" --virtual-time-budget=2000 || true
    ok "with virtual time: title not PWNED" dom_title_safe "$TMP/dom2.html"
    ok "with virtual time: no payload element" \
        dom_no_payload_elements "$TMP/dom2.html"
fi

done_testing

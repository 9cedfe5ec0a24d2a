#!/bin/bash
# t0232-logscan-json.sh — access logs written one JSON object a line, as
# Caddy (its only access-log format), Traefik and nginx (log_format with
# escape=json, and without it: \xHH) write them: detected per file,
# escaped payloads decoded before detection (Caddy writes '<' as \u003c),
# the client after trusted proxies taken, the server's own messages in
# the same file skipped, and /var/log/caddy found by `mamori audit`.
. "$(dirname "$0")/lib.sh"

ROOT="$TMP/root"
mkdir -p "$ROOT/var/log/caddy" "$ROOT/var/log/nginx" "$ROOT/etc"
echo 'ID=debian' > "$ROOT/etc/os-release"
# Caddy: fields as caddyhttp logs them (request.*, headers as lists).
caddy_line() { # ts client uri
    printf '{"level":"info","ts":%s,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"10.0.0.2","remote_port":"40000","client_ip":"%s","proto":"HTTP/2.0","method":"GET","host":"shop.example","uri":"%s","headers":{"User-Agent":["Mozilla/5.0 (X11; Linux x86_64)"],"Accept":["*/*"]}},"bytes_read":0,"user_id":"","duration":0.001,"size":512,"status":200,"resp_headers":{"Server":["Caddy"]}}\n' "$1" "$2" "$3"
}
{
    printf '{"level":"info","ts":1793500000.1,"logger":"http","msg":"server running","name":"srv0","protocols":["h1","h2","h3"]}\n'
    caddy_line 1793500001.5 198.51.100.1 '/products?page=2\u0026sort=price'
    caddy_line 1793500002.5 203.0.113.7 '/search?q=\u003cscript\u003ealert(document.cookie)\u003c/script\u003e'
    caddy_line 1793500003.5 203.0.113.8 '/item?id=1%27%20UNION%20SELECT%20password%20FROM%20users--'
    caddy_line 1793500004.5 198.51.100.1 '/static/app.js'
} > "$ROOT/var/log/caddy/access.log"
# nginx log_format escape=json, and one without (nginx's \x22 for '"').
{
    printf '{"time_local":"30/Oct/2026:10:00:00 +0900","remote_addr":"203.0.113.9","request":"GET /download?file=..%%2f..%%2f..%%2fetc%%2fpasswd HTTP/1.1","status":"200","body_bytes_sent":"1024","http_referer":"","http_user_agent":"curl/8.0"}\n'
    printf '{"time_local":"30/Oct/2026:10:00:01 +0900","remote_addr":"198.51.100.3","request":"GET /about HTTP/1.1","status":"200","body_bytes_sent":"2048","http_referer":"https://shop.example/","http_user_agent":"Mozilla/5.0"}\n'
    printf '{"time_local":"30/Oct/2026:10:00:02 +0900","remote_addr":"203.0.113.10","request":"GET /a?id=1\\x22 or \\x221\\x22=\\x221 HTTP/1.1","status":"200","body_bytes_sent":"5","http_referer":"","http_user_agent":"Mozilla/5.0"}\n'
} > "$ROOT/var/log/nginx/access.json"

"$MAMORI" logscan --format json --fail-on none "$ROOT/var/log/caddy/access.log" > "$TMP/caddy.jsonl" 2>"$TMP/caddy.err"; st=$?
ok "caddy: scanned (exit 0)" test "$st" -eq 0
ok "caddy: the escaped script is found as XSS, decoded in the evidence" \
    jq -se '[.[] | select(.type == "finding" and .category == "xss")] | length == 1 and (.[0].evidence | test("<script>"))' "$TMP/caddy.jsonl"
ok "caddy: the client is the one after trusted proxies, not the proxy" \
    jq -se '[.[] | select(.type == "finding")] | map(.client) | sort == ["203.0.113.7", "203.0.113.8"]' "$TMP/caddy.jsonl"
ok "caddy: the SQL injection is found" \
    jq -se '[.[] | select(.type == "finding" and .category == "sqli")] | length == 1' "$TMP/caddy.jsonl"
ok "caddy: 4 requests, the server's message skipped, nothing malformed" \
    jq -se '[.[] | select(.type == "summary" and .capability == "logscan")][0].counters | .requests == 4 and .malformed == 0' "$TMP/caddy.jsonl"
ok "caddy: the time is the line's (ts)" \
    jq -se '[.[] | select(.type == "finding" and .category == "xss")][0].time == "2026-11-01T02:26:42Z"' "$TMP/caddy.jsonl"
ok "caddy: no error, no 'not a web access log'" sh -c "! grep -q 'not a web access log' '$TMP/caddy.err'"

# An escaped request line is decoded in the parser's scratch: a finding
# kept past the next line keeps its own method and protocol.
{
    printf '{"remote_addr":"203.0.113.11","request":"GET /?id=1%%27%%20UNION%%20SELECT%%20password%%20FROM%%20users--%%20\\"x\\" HTTP/1.1","status":"200"}\n'
    printf '{"remote_addr":"198.51.100.12","request":"ZZZZZZZZZZZZ /\\"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz ZZZZZZZZ","status":"200"}\n'
} > "$TMP/kept.json"
"$MAMORI" logscan --format json --fail-on none "$TMP/kept.json" > "$TMP/kept.jsonl" 2>/dev/null
ok "json: a kept finding's method and request are its own line's" \
    jq -se '[.[] | select(.type == "finding" and .category == "sqli")][0] | .method == "GET" and (.request | endswith("HTTP/1.1"))' "$TMP/kept.jsonl"

# mamori's own JSON report in the same directory is not read as a log.
mkdir -p "$TMP/withreport"
cp "$ROOT/var/log/caddy/access.log" "$TMP/withreport/access.log"
cp "$TMP/caddy.jsonl" "$TMP/withreport/report.jsonl"
"$MAMORI" logscan --format json --fail-on none "$TMP/withreport" > "$TMP/withreport.jsonl" 2>/dev/null
ok "json: a report of mamori's beside the log adds no finding" \
    jq -se '[.[] | select(.type == "finding")] | length == 2' "$TMP/withreport.jsonl"

gzip -c "$ROOT/var/log/nginx/access.json" > "$TMP/access.json.1.gz"
"$MAMORI" logscan --format json --fail-on none "$ROOT/var/log/nginx/access.json" "$TMP/access.json.1.gz" > "$TMP/nginx.jsonl" 2>"$TMP/nginx.err"; st=$?
ok "nginx json: scanned, plain and gzip (exit 0)" test "$st" -eq 0
ok "nginx json: traversal and the \\x22-escaped SQL injection, in both files" \
    jq -se '[.[] | select(.type == "finding") | .category] | sort == ["sqli", "sqli", "traversal", "traversal"]' "$TMP/nginx.jsonl"
ok "nginx json: the benign lines raise nothing" \
    jq -se '[.[] | select(.type == "finding" and .client == "198.51.100.3")] | length == 0' "$TMP/nginx.jsonl"

"$MAMORI" audit --root "$ROOT" --only 'logscan.*' --no-history --format json --fail-on none > "$TMP/audit.jsonl" 2>"$TMP/audit.err"; st=$?
ok "audit --root: /var/log/caddy is read (exit below 2)" test "$st" -lt 2
ok "audit --root: the Caddy log's XSS is in the audit" \
    jq -se '[.[] | select(.type == "finding" and .category == "xss")] | length >= 1' "$TMP/audit.jsonl"

done_testing

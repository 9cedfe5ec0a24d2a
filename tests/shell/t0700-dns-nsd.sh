#!/bin/bash
# t0600-dns-nsd.sh — `mamori dns` end to end against a real authoritative
# server: nsd on 127.0.0.1 (a free high port) serving the fixture zones of
# tests/dns/zones (well configured, broken, hostile, DNSSEC-signed with
# ldns-signzone, and a signed zone tampered with), plus nginx with a
# throwaway CA for the MTA-STS policies. Nothing outside 127.0.0.0/8 is
# contacted: every name resolves to 127.0.0.x or is never connected to.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/nsd.sh"

ZONES=$TESTS_DIR/dns/zones
NSD_PID=""
NGINX_PID=""
SINK_PID=""
cleanup() {
    for p in $NSD_PID $NGINX_PID $SINK_PID; do kill "$p" 2>/dev/null; done
    for p in $NSD_PID $NGINX_PID $SINK_PID; do wait "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT

for tool in nsd ldns-signzone ldns-keygen drill openssl python3 jq; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        skip "mamori dns against nsd" "$tool not installed (scripts/install-deps.sh)"
        done_testing
        exit
    fi
done


Z=$TMP/zones
mkdir -p "$Z"
chmod 755 "$TMP"
# Fresh DKIM keys of the sizes the fixtures need.
# Each as zone-file strings of at most 255 bytes: "p=..." "...".
dkim_key() {
    openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$1" 2>/dev/null |
        openssl pkey -pubout -outform DER 2>/dev/null | base64 -w0 |
        python3 -c 'import sys; k = "p=" + sys.stdin.read().strip(); print(" ".join("\"%s\"" % k[i:i + 200] for i in range(0, len(k), 200)))'
}
K2048=$(dkim_key 2048); K1024=$(dkim_key 1024); K512=$(dkim_key 512)
HUGE=$(python3 -c 'print(" ".join("\"" + ("x%02d" % i) * 60 + "\"" for i in range(40)))')
for f in "$ZONES"/*.zone; do
    b=$(basename "$f")
    sed -e "s|@DKIM2048@|$K2048|; s|@DKIM1024@|$K1024|; s|@DKIM512@|$K512|" \
        -e "s|@HUGE@|$HUGE|" "$f" > "$Z/$b"
done
# Sign signed.test and bogus.test; then break one signed record of bogus.
(
    cd "$Z" || exit 1
    for zone in signed.test bogus.test; do
        k=$(ldns-keygen -a ECDSAP256SHA256 -k "$zone") || exit 1
        ldns-signzone "$zone.zone" "$k" || exit 1
        mv "$zone.zone.signed" "$zone.zone"
        cp "$k.key" "$zone.anchor"
    done
    sed -i 's/"v=spf1 -all"/"v=spf1 +all"/' bogus.test.zone
) > "$TMP/sign.log" 2>&1 || { cat "$TMP/sign.log" >&2; }
cat "$Z/signed.test.anchor" "$Z/bogus.test.anchor" > "$TMP/anchors"

if ! nsd_start "$Z" good.test "$Z"/*.zone; then
    ok "nsd starts on 127.0.0.1" false
    done_testing
    exit
fi
ok "nsd serves the fixtures on 127.0.0.1:$PORT" true

# nginx with a throwaway CA serves the MTA-STS policies.
HP=""
if command -v nginx >/dev/null 2>&1; then
    HP=$(free_port)
    W=$TMP/www
    mkdir -p "$W/mta-sts.good.test/.well-known" "$W/mta-sts.sts.test/.well-known" "$TMP/ngx"
    printf 'version: STSv1\nmode: enforce\nmx: mx.good.test\nmax_age: 86400\n' \
        > "$W/mta-sts.good.test/.well-known/mta-sts.txt"
    printf 'version: STSv1\r\nmode: testing\r\nmx: mx1.sts.test\r\nmax_age: 604800\r\n' \
        > "$W/mta-sts.sts.test/.well-known/mta-sts.txt"
    (
        cd "$TMP" || exit 1
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
            -days 2 -subj /CN=mamori-test-ca
        openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr \
            -subj /CN=mta-sts.good.test
        printf 'subjectAltName=DNS:mta-sts.good.test,DNS:mta-sts.sts.test\n' > ext
        openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
            -out srv.pem -days 2 -extfile ext
    ) > "$TMP/ca.log" 2>&1
    cat > "$TMP/nginx.conf" <<CONF
daemon off;
master_process off;
pid $TMP/nginx.pid;
error_log $TMP/nginx.err;
events {}
http {
    access_log off;
    client_body_temp_path $TMP/ngx/body;
    proxy_temp_path $TMP/ngx/proxy;
    fastcgi_temp_path $TMP/ngx/fastcgi;
    uwsgi_temp_path $TMP/ngx/uwsgi;
    scgi_temp_path $TMP/ngx/scgi;
    server {
        listen 127.0.0.1:$HP ssl;
        ssl_certificate $TMP/srv.pem;
        ssl_certificate_key $TMP/srv.key;
        root $W/\$host;
        default_type text/plain;
    }
}
CONF
    nginx -p "$TMP" -c "$TMP/nginx.conf" > "$TMP/nginx.out" 2>&1 &
    NGINX_PID=$!
    sleep 0.5
fi
HTTPS=(--no-https)
[ -n "$HP" ] && HTTPS=(--https-ca "$TMP/ca.pem" --https-port "$HP")

OUT=$TMP/out.jsonl
DOMAINS="good.test bad.test syntax.test limits.test loop.limits.test multi.limits.test
         parked.test nullmx.parked.test ext.parked.test hostile.test sts.test
         signed.test bogus.test"
# shellcheck disable=SC2086
"$MAMORI" dns --format json --fail-on none --resolver "127.0.0.1:$PORT" \
    --trust-anchor "$TMP/anchors" "${HTTPS[@]}" --ns-port "$PORT" --timeout 10 $DOMAINS \
    > "$OUT" 2> "$TMP/err.txt"
st=$?
[ "$st" -eq 2 ] || sed 's/^/# stderr: /' "$TMP/err.txt" | head -20
# hostile.test's CNAME loop at _dmarc leaves its DMARC check unmade: that
# is exit 2 whatever --fail-on says (issue 12), and only that domain.
ok "mamori dns exits 2 with --fail-on none: one domain not fully checked" test "$st" -eq 2
ok "the domain not fully checked is named, and only it" sh -c "grep 'lookups\? failed' '$TMP/err.txt' | grep -v '^mamori dns: hostile.test: error: 1 lookup failed' | grep -q . && exit 1; grep -q '^mamori dns: hostile.test: error: 1 lookup failed' '$TMP/err.txt'"

# The text report shows every record to publish whole, one a line, ready
# to copy (issue 20: it was cut with "..." at 80 columns).
# Both runs DNS lookups only (no probes, no HTTPS), whose answers do not
# depend on timing, so the two reports are of the same findings.
for fmt in json text; do
    # shellcheck disable=SC2086
    "$MAMORI" dns --format $fmt --color never --fail-on none --resolver "127.0.0.1:$PORT" \
        --trust-anchor "$TMP/anchors" --no-probe --no-https --timeout 30 $DOMAINS \
        > "$TMP/fix.$fmt" 2>/dev/null
done
mv "$TMP/fix.text" "$TMP/out.txt"
# (Which of several SPF records a fix starts from follows the resolver's
# order of the answer, which differs between runs: the names are
# compared, and a long record that does not depend on it, whole.)
jq -r 'select(.type == "finding" and .fix) | .fix' "$TMP/fix.json" | sort -u > "$TMP/fixes"
sed -n 's/^    publish: //p' "$TMP/out.txt" | sort -u > "$TMP/shown"
cut -d' ' -f1-2 "$TMP/fixes" | sort -u > "$TMP/fix-names"
cut -d' ' -f1-2 "$TMP/shown" | sort -u > "$TMP/shown-names"
ok "text: a record to publish for every one in JSON" cmp "$TMP/fix-names" "$TMP/shown-names"
ok "text: no record to publish is cut" sh -c "! grep -q '\\.\\.\\.\$\\|…\$' '$TMP/shown'"
ok "text: a long one (over 80 columns) is shown whole" \
    grep -qxF '_dmarc.bad.test. TXT "v=DMARC1; p=quarantine; sp=none; fo=1; foo=bar; rua=mailto:dmarc-reports@bad.test"' "$TMP/shown"
ok "every line is JSON" jq -e . "$OUT"
ok "the summary lists every domain in input order" jq -se --arg d "$(echo $DOMAINS)" \
    '[.[-1].tables.by_domain[].domain] | join(" ") == $d' "$OUT"

has() {  # has DOMAIN CHECK [jq condition on the finding]
    jq -se --arg d "$1" --arg c "$2" "[.[] | select(.type == \"finding\" and .domain == \$d and .check == \$c) | select(${3:-true})] | length > 0" "$OUT"
}
hasnt() { ! has "$@"; }
row() {  # row DOMAIN jq-condition on its summary row
    jq -se --arg d "$1" "[.[-1].tables.by_domain[] | select(.domain == \$d)][0] | $2" "$OUT"
}

ok "good.test: nothing at medium or above" jq -se '[.[] | select(.type == "finding" and .domain == "good.test" and (.severity == "medium" or .severity == "high" or .severity == "critical"))] | length == 0' "$OUT"
ok "good.test: no SPF, DMARC or DKIM finding" jq -se '[.[] | select(.type == "finding" and .domain == "good.test" and (.category == "spf" or .category == "dmarc" or .category == "dkim"))] | length == 0' "$OUT"
ok "good.test: the 2048-bit key at s1 counts" row good.test '.dkim_keys == 1 and .spf == "-all" and .dmarc == "reject"'
ok "findings carry meti.dns and common.mail" has bad.test dns.spf.all-pass '(.countermeasures | index("meti.dns")) != null and (.countermeasures | index("common.mail")) != null'

ok "bad.test: +all is critical" has bad.test dns.spf.all-pass '.severity == "critical"'
ok "bad.test: the fix replaces +all with -all" has bad.test dns.spf.all-pass '.fix == "bad.test. TXT \"v=spf1 ptr -all\""'
ok "bad.test: ptr reported, fix drops it" has bad.test dns.spf.ptr '.fix == "bad.test. TXT \"v=spf1 +all\""'
ok "bad.test: sp=none weaker than p" has bad.test dns.dmarc.subdomain
ok "bad.test: no rua" has bad.test dns.dmarc.no-rua
ok "bad.test: unknown DMARC tag foo" has bad.test dns.dmarc.invalid '.severity == "low" and (.detail | test("foo"))'
ok "bad.test: 1024-bit DKIM key is weak" has bad.test dns.dkim.weak-key '.bits == 1024 and .name == "default._domainkey.bad.test"'
ok "bad.test: 512-bit DKIM key is broken" has bad.test dns.dkim.broken-key '.bits == 512 and .severity == "high"'
ok "bad.test: t=y reported" has bad.test dns.dkim.testing
ok "bad.test: revoked key reported" has bad.test dns.dkim.revoked '.name == "selector2._domainkey.bad.test"'
ok "bad.test: MX host without address" has bad.test dns.mx.invalid '.detail | test("nowhere.bad.test")'
ok "bad.test: no MTA-STS, TLS-RPT, CAA" sh -c "$(declare -f has); OUT='$OUT'; has bad.test dns.mtasts.missing && has bad.test dns.tlsrpt.missing && has bad.test dns.caa.missing"

ok "syntax.test: SPF error at offset 21" has syntax.test dns.spf.syntax '.offset == 21 and (.detail | test("foo"))'
ok "syntax.test: fix drops the bad term" has syntax.test dns.spf.syntax '.fix == "syntax.test. TXT \"v=spf1 ip4:192.0.2.1 -all\""'
ok "syntax.test: p=rejected is invalid" has syntax.test dns.dmarc.invalid '.severity == "high"'
ok "syntax.test: DKIM p= not base64" has syntax.test dns.dkim.invalid '.name == "mail._domainkey.syntax.test"'
ok "syntax.test: MTA-STS without id" has syntax.test dns.mtasts.invalid
ok "syntax.test: TLS-RPT with ftp:" has syntax.test dns.tlsrpt.invalid

ok "limits.test: 11 includes -> permerror" has limits.test dns.spf.permerror '.detail | test("10|limit|DNS")'
ok "loop.limits.test: include loop -> permerror" has loop.limits.test dns.spf.permerror
ok "multi.limits.test: two SPF records" has multi.limits.test dns.spf.multiple
ok "multi.limits.test: two DMARC records" has multi.limits.test dns.dmarc.multiple

ok "parked.test: no MX and no SPF -> publish v=spf1 -all" has parked.test dns.spf.parked '.fix == "parked.test. TXT \"v=spf1 -all\""'
ok "parked.test: no MX, null MX suggested" has parked.test dns.mx.missing '.fix == "parked.test. MX 0 ."'
ok "nullmx.parked.test: null MX but SPF allows senders" has nullmx.parked.test dns.spf.parked
ok "nullmx.parked.test: no MTA-STS asked of a null MX" hasnt nullmx.parked.test dns.mtasts.missing
ok "nullmx.parked.test: summary says null MX" row nullmx.parked.test '.mx == "null"'
ok "ext.parked.test: unauthorised external rua" has ext.parked.test dns.dmarc.report-auth '.fix == "ext.parked.test._report._dmarc.report.test. TXT \"v=DMARC1\""'
ok "ext.parked.test: rua to a domain that takes no mail" has ext.parked.test dns.dmarc.report-auth '.detail | test("nomail.test")'
ok "good.test's rua to itself needs no authorisation" hasnt good.test dns.dmarc.report-auth

ok "hostile.test: checked without crash" row hostile.test '.domain == "hostile.test"'
ok "hostile.test: CNAME loop at _dmarc is a lookup failure" has hostile.test dns.lookup '.name == "_dmarc.hostile.test"'
ok "hostile.test: binary SPF is a syntax error" has hostile.test dns.spf.syntax
ok "hostile.test: MX through a CNAME chain resolves" hasnt hostile.test dns.mx.invalid

# The same domains through mamori's own stub resolver (lib/dns/stub.c:
# a server and no --trust-anchor, so libunbound is not used): the same
# findings, DNSSEC validation aside. hostile.test's kilobytes of TXT come
# back truncated over UDP and are fetched again over TCP.
# shellcheck disable=SC2086
"$MAMORI" dns --format json --fail-on none --resolver "127.0.0.1:$PORT" \
    "${HTTPS[@]}" --ns-port "$PORT" --timeout 10 $DOMAINS > "$TMP/stub.jsonl" 2>/dev/null
findings_of() {  # sorted domain/check/name/detail of the non-DNSSEC findings
    jq -cs '[.[] | select(.type == "finding" and .category != "dnssec" and
        .domain != "signed.test" and .domain != "bogus.test") |
        [.domain, .check, .name, (if .check == "dns.lookup" then "" else .detail end)]] | sort' "$1"
}
findings_of "$OUT" > "$TMP/f.unbound"
findings_of "$TMP/stub.jsonl" > "$TMP/f.stub"
ok "stub resolver: the same findings as libunbound" cmp -s "$TMP/f.unbound" "$TMP/f.stub"
cmp -s "$TMP/f.unbound" "$TMP/f.stub" || diff <(jq -c '.[]' "$TMP/f.unbound") <(jq -c '.[]' "$TMP/f.stub") | sed 's/^/# /' | head -20
ok "stub resolver: found findings at all" test "$(jq length "$TMP/f.stub")" -gt 20
ok "stub resolver: the huge TXT came over TCP (binary SPF seen)" jq -se '[.[] | select(.domain == "hostile.test" and .check == "dns.spf.syntax")] | length == 1' "$TMP/stub.jsonl"
ok "stub resolver: CNAME loop is a lookup failure" jq -se '[.[] | select(.domain == "hostile.test" and .check == "dns.lookup" and .name == "_dmarc.hostile.test")] | length == 1' "$TMP/stub.jsonl"
ok "stub resolver: MX through a CNAME chain resolves" jq -se '[.[] | select(.domain == "hostile.test" and .check == "dns.mx.invalid")] | length == 0' "$TMP/stub.jsonl"

ok "signed.test: DNSSEC validates" row signed.test '.dnssec == "secure"'
ok "signed.test: no DNSSEC finding" hasnt signed.test dns.dnssec.unsigned
ok "bogus.test: tampered zone is bogus (critical)" has bogus.test dns.dnssec.bogus '.severity == "critical"'
ok "good.test: unsigned zone reported" has good.test dns.dnssec.unsigned

if [ -n "$HP" ]; then
    ok "good.test: MTA-STS policy fetched over HTTPS, enforce" row good.test '.mta_sts == "enforce"'
    ok "sts.test: testing mode reported" has sts.test dns.mtasts.testing
    ok "sts.test: backup MX missing from the policy" has sts.test dns.mtasts.invalid '.detail | test("backup.sts.test")'
    "$MAMORI" dns --format json --fail-on none --resolver "127.0.0.1:$PORT" \
        --https-port "$HP" sts.test > "$TMP/noca.jsonl" 2>/dev/null
    ok "without the test CA the certificate is refused" jq -se '[.[] | select(.check == "dns.mtasts.invalid" and (.detail | test("certificate|SSL|issuer")))] | length == 1' "$TMP/noca.jsonl"
else
    skip "MTA-STS over HTTPS" "nginx not installed"
fi

# Exit status, languages, --from-file.
"$MAMORI" dns -q --resolver "127.0.0.1:$PORT" --no-https bad.test >/dev/null 2>&1; st=$?
ok "exit 1: findings at or above high" test "$st" -eq 1
printf '# a list\nsyntax.test\n\n  good.test  # trailing comment\nbad.test\n' > "$TMP/list.txt"
"$MAMORI" dns --format json --fail-on none --resolver "127.0.0.1:$PORT" --no-https \
    --from-file "$TMP/list.txt" > "$TMP/list.jsonl" 2>/dev/null
ok "--from-file: comments skipped, order kept" jq -se '[.[-1].tables.by_domain[].domain] == ["syntax.test","good.test","bad.test"]' "$TMP/list.jsonl"
"$MAMORI" dns --lang ja --fail-on none --resolver "127.0.0.1:$PORT" --no-https bad.test > "$TMP/ja.txt" 2>&1
ok "--lang ja: Japanese titles" grep -q "SPFがインターネット上のすべてのサーバ" "$TMP/ja.txt"
"$MAMORI" dns --resolver "not-an-address" good.test >/dev/null 2>"$TMP/bad.err"; st=$?
ok "a bad --resolver is a usage error" sh -c "test $st -eq 2 && grep -q 'bad resolver address' '$TMP/bad.err'"
"$MAMORI" dns --fail-on none --resolver "127.0.0.1:$PORT" 'bad name!' >/dev/null 2>"$TMP/name.err"
ok "an invalid name is skipped with a warning" grep -q "not a domain name" "$TMP/name.err"

# spf-eval, like spfquery.
eval_spf() { "$MAMORI" dns spf-eval --resolver "127.0.0.1:$PORT" "$@" 2>&1; }
ok "spf-eval: listed address passes" sh -c "$(declare -f eval_spf); PORT=$PORT MAMORI='$MAMORI'; eval_spf --ip 192.0.2.7 --mail-from a@good.test --helo mx.good.test | grep -qx 'result: pass'"
ok "spf-eval: other address fails" sh -c "$(declare -f eval_spf); PORT=$PORT MAMORI='$MAMORI'; eval_spf --ip 198.51.100.1 --mail-from a@good.test --helo x | grep -qx 'result: fail'"
ok "spf-eval: +all passes anyone" sh -c "$(declare -f eval_spf); PORT=$PORT MAMORI='$MAMORI'; eval_spf --ip 198.51.100.1 --mail-from a@bad.test --helo x | grep -qx 'result: pass'"
ok "spf-eval: 11 includes -> permerror" sh -c "$(declare -f eval_spf); PORT=$PORT MAMORI='$MAMORI'; eval_spf --ip 198.51.100.1 --mail-from a@limits.test --helo x | grep -qx 'result: permerror'"
ok "spf-eval: no record -> none" sh -c "$(declare -f eval_spf); PORT=$PORT MAMORI='$MAMORI'; eval_spf --ip 198.51.100.1 --mail-from a@report.test --helo x | grep -qx 'result: none'"
printf '192.0.2.7 a@good.test mx.good.test\n\n198.51.100.1 - bad.test\nnot a query at all\n198.51.100.1 a@limits.test x\n' |
    "$MAMORI" dns spf-eval --stdin --resolver "127.0.0.1:$PORT" > "$TMP/stream.txt" 2>&1
ok "spf-eval --stdin: one result line per query, in order" sh -c "cut -f1,2 '$TMP/stream.txt' | tr '\t\n' ' ;' | grep -qx 'pass good.test;pass bad.test;usage -;permerror i10.limits.test;'"

# A server that never answers: the deadline holds.
SINK_PORT=$(free_port)
python3 -c '
import socket, sys, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", int(sys.argv[1])))
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("127.0.0.1", int(sys.argv[1]))); t.listen(64)
time.sleep(120)' "$SINK_PORT" &
SINK_PID=$!
sleep 0.3
start=$(date +%s)
"$MAMORI" dns --format json --fail-on none --resolver "127.0.0.1:$SINK_PORT" \
    --timeout 2 good.test bad.test > "$TMP/dead.jsonl" 2>/dev/null
st=$?
took=$(( $(date +%s) - start ))
ok "silent server: exit 2, not a clean result" test "$st" -eq 2
ok "silent server: done within the deadline (${took}s for 2 domains at 2s)" test "$took" -le 6
ok "silent server: lookup failures reported" jq -se '[.[] | select(.check == "dns.lookup")] | length >= 2' "$TMP/dead.jsonl"

# mamori audit --domain: the same checks inside the one report.
"$MAMORI" audit --no-system --domain bad.test --resolver "127.0.0.1:$PORT" \
    --format json --fail-on none > "$TMP/audit.jsonl" 2>"$TMP/audit.err"; st=$?
ok "audit --domain exits 0 with --fail-on none" test "$st" -eq 0
ok "audit --domain reports bad.test's +all" jq -se '[.[] | select(.type == "finding" and .check == "dns.spf.all-pass" and .domain == "bad.test")] | length == 1' "$TMP/audit.jsonl"
ok "audit --domain adds a dns summary" jq -se '[.[] | select(.type == "summary" and .capability == "dns")] | length == 1' "$TMP/audit.jsonl"
done_testing

#!/bin/bash
# t1600-web.sh — `mamori web` against nginx from Debian on 127.0.0.1 high
# ports, with certificates made here by openssl: a good server (TLS 1.2
# and 1.3, Mozilla's intermediate suites and groups, HSTS), a bad one
# (TLS 1.0 and 1.1 with a NULL suite and a CBC suite without forward
# secrecy at @SECLEVEL=0, a 1024-bit RSA key signed with SHA-1,
# autoindex, server_tokens, a served .git/HEAD and .env), a self-signed
# certificate for another name, an expired one, one expiring in 20
# days, a plain-HTTP site that answers 200 to everything (soft 404),
# nginx's welcome page, and an http:// URL redirected to the good one.
# Every verdict is checked: the set of checks per site, the grade, the
# fields that carry the evidence.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/shell/nsd.sh"   # free_port

if ! test_have_prereq NGINX,JQ; then
    skip "mamori web against nginx" "nginx or jq not installed"
    test_done
fi

PKI=$TMP/pki
P_OCSP=$(free_port)
mkdir -p "$PKI" "$TMP/ngx" "$TMP/www/good" "$TMP/www/bad/.git" "$TMP/www/soft"
(
    cd "$PKI" || exit 1
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
        -days 30 -subj /CN=mamori-test-ca \
        -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=keyCertSign,cRLSign
    printf 'subjectAltName=DNS:localhost\n' > san.ext
    # NAME BITS DIGEST DAYS: a leaf for localhost signed by the test CA
    leaf() {
        openssl req -newkey "rsa:$2" -nodes -keyout "$1.key" -out "$1.csr" \
            -subj /CN=localhost &&
        openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key \
            -CAcreateserial -out "$1.pem" -days "$4" "-$3" -extfile san.ext
    }
    leaf good 2048 sha256 200 && leaf weak 1024 sha1 200 &&
    leaf soon 2048 sha256 20 &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout self.key -out self.pem \
        -days 200 -subj /CN=other.test -addext subjectAltName=DNS:other.test &&
    # expired: openssl ca sets the dates (no clock tricks needed)
    printf '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\npolicy=p\ndefault_md=sha256\nunique_subject=no\n[p]\ncommonName=supplied\n' > ca.cnf &&
    : > index.txt && echo 01 > serial &&
    openssl req -newkey rsa:2048 -nodes -keyout old.key -out old.csr \
        -subj /CN=localhost &&
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key \
        -in old.csr -out old.pem -startdate 20200101000000Z \
        -enddate 20200201000000Z -extfile san.ext -notext &&
    # two leaves naming an OCSP responder (openssl ocsp, started below):
    # one good, one revoked; and the responses a server staples for them
    printf 'subjectAltName=DNS:localhost\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:%s\n' \
        "$P_OCSP" > ocsp.ext &&
    for n in ogood orev; do
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout $n.key -out $n.csr \
            -subj /CN=localhost &&
        openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key \
            -in $n.csr -out $n.pem -days 200 -extfile ocsp.ext -notext ||
            exit 1
    done &&
    openssl ca -config ca.cnf -cert ca.pem -keyfile ca.key -revoke orev.pem \
        -crl_reason keyCompromise &&
    # one the responder never saw issued (not in index.txt): "unknown"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout ounk.key -out ounk.csr -subj /CN=localhost &&
    openssl x509 -req -in ounk.csr -CA ca.pem -CAkey ca.key \
        -CAcreateserial -out ounk.pem -days 200 -extfile ocsp.ext &&
    for n in ogood orev; do
        openssl ocsp -issuer ca.pem -cert $n.pem -no_nonce -reqout $n.req &&
        openssl ocsp -index index.txt -rsigner ca.pem -rkey ca.key -CA ca.pem \
            -ndays 7 -reqin $n.req -respout $n.staple || exit 1
    done
) > "$TMP/pki.log" 2>&1 || { cat "$TMP/pki.log"; exit 1; }
# The responder: `openssl ocsp -index` answers each request; its own
# -port would listen on every address, so a few lines of Python listen
# on 127.0.0.1 and hand it each request.
cat > "$TMP/ocspd.py" <<'PY'
import http.server, subprocess, sys
port, pki = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        req = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        out = subprocess.run(["openssl", "ocsp", "-index", "index.txt",
            "-rsigner", "ca.pem", "-rkey", "ca.key", "-CA", "ca.pem",
            "-ndays", "7", "-reqin", "/dev/stdin", "-respout", "/dev/stdout"],
            cwd=pki, input=req, capture_output=True).stdout
        self.send_response(200)
        self.send_header("Content-Type", "application/ocsp-response")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
python3 "$TMP/ocspd.py" "$P_OCSP" "$PKI" > "$TMP/ocsp.log" 2>&1 &
OCSP_PID=$!
test_when_finished "kill $OCSP_PID 2>/dev/null; wait $OCSP_PID 2>/dev/null; true"

echo '<html><body>good</body></html>' > "$TMP/www/good/index.html"
echo 'ref: refs/heads/main' > "$TMP/www/bad/.git/HEAD"
printf 'DB_PASSWORD=hunter2\n' > "$TMP/www/bad/.env"
mkdir -p "$TMP/www/bad/old"
printf 'API_TOKEN=abc\n' > "$TMP/www/bad/old/.env"
echo 'not an index' > "$TMP/www/bad/notes.txt"
mkdir -p "$TMP/www/default"
cp /usr/share/nginx/html/index.html "$TMP/www/default/" 2>/dev/null ||
    printf '<html><head><title>Welcome to nginx!</title></head></html>\n' \
        > "$TMP/www/default/index.html"

P_GOOD=$(free_port) P_BAD=$(free_port) P_SELF=$(free_port)
P_OLD=$(free_port) P_SOON=$(free_port) P_SOFT=$(free_port)
P_REDIR=$(free_port) P_DEF=$(free_port)
P_OGOOD=$(free_port) P_OREV=$(free_port) P_OREVS=$(free_port)
P_OUNK=$(free_port) P_EOL=$(free_port)
MOZ=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305
# PORT CERT [EXTRA]: a server block with Mozilla's intermediate TLS and
# the cert
modern() {
    cat <<S
    server {
        listen 127.0.0.1:$1 ssl;
        ssl_certificate $PKI/$2.pem;
        ssl_certificate_key $PKI/$2.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers $MOZ;
        ssl_ecdh_curve X25519:prime256v1:secp384r1;
        server_tokens off;
        root $TMP/www/good;
        ${3:-}
    }
S
}
cat > "$TMP/nginx.conf" <<CONF
daemon off;
master_process off;
pid $TMP/nginx.pid;
error_log $TMP/nginx.err;
events {}
http {
    access_log $TMP/access.log;
    client_body_temp_path $TMP/ngx/body;
    proxy_temp_path $TMP/ngx/proxy;
    fastcgi_temp_path $TMP/ngx/fastcgi;
    uwsgi_temp_path $TMP/ngx/uwsgi;
    scgi_temp_path $TMP/ngx/scgi;
    server {
        listen 127.0.0.1:$P_GOOD ssl;
        ssl_certificate $PKI/good.pem;
        ssl_certificate_key $PKI/good.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers $MOZ;
        ssl_ecdh_curve X25519:prime256v1:secp384r1;
        server_tokens off;
        add_header Strict-Transport-Security "max-age=63072000" always;
        add_header Content-Security-Policy "default-src 'none'; frame-ancestors 'none'" always;
        add_header X-Content-Type-Options nosniff always;
        add_header X-Frame-Options DENY always;
        add_header Referrer-Policy no-referrer always;
        root $TMP/www/good;
    }
    server {
        listen 127.0.0.1:$P_BAD ssl;
        ssl_certificate $PKI/weak.pem;
        ssl_certificate_key $PKI/weak.key;
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
        ssl_ciphers AES128-SHA:NULL-SHA256:@SECLEVEL=0;
        server_tokens on;
        autoindex on;
        add_header Strict-Transport-Security "max-age=300; preload" always;
        root $TMP/www/bad;
    }
$(modern "$P_SELF" self)
$(modern "$P_OLD" old)
$(modern "$P_SOON" soon)
$(modern "$P_OGOOD" ogood "ssl_stapling on; ssl_stapling_file $PKI/ogood.staple;")
$(modern "$P_OREV" orev)
$(modern "$P_OREVS" orev "ssl_stapling on; ssl_stapling_file $PKI/orev.staple;")
$(modern "$P_OUNK" ounk)
    server {
        listen 127.0.0.1:$P_SOFT;
        server_tokens off;
        location / { default_type text/plain; return 200 "page=home\n"; }
    }
    server {
        listen 127.0.0.1:$P_EOL;
        server_tokens off;
        add_header X-Powered-By "PHP/5.6.40" always;
        location / { default_type text/plain; return 200 "old\n"; }
    }
    server {
        listen 127.0.0.1:$P_DEF;
        server_tokens off;
        root $TMP/www/default;
    }
    server {
        listen 127.0.0.1:$P_REDIR;
        server_tokens off;
        location / { return 301 https://localhost:$P_GOOD\$request_uri; }
    }
}
CONF
nginx -p "$TMP" -c "$TMP/nginx.conf" > "$TMP/nginx.out" 2>&1 &
NGINX_PID=$!
test_when_finished "kill $NGINX_PID 2>/dev/null; wait $NGINX_PID 2>/dev/null; true"
for _ in $(seq 50); do
    curl -sk -o /dev/null "https://localhost:$P_GOOD/" && break
    sleep 0.1
done

GOOD=https://localhost:$P_GOOD/ BAD=https://localhost:$P_BAD/
SELF=https://localhost:$P_SELF/ OLD=https://localhost:$P_OLD/
SOON=https://localhost:$P_SOON/ SOFT=http://localhost:$P_SOFT/
REDIR=http://localhost:$P_REDIR/ DEF=http://localhost:$P_DEF/
"$MAMORI" web --format json --fail-on none --ca "$PKI/ca.pem" --timeout 60 \
    "$GOOD" "$BAD" "$SELF" "$OLD" "$SOON" "$SOFT" "$REDIR" "$DEF" \
    > "$TMP/out.json" 2> "$TMP/err.txt"
echo $? > "$TMP/status"
cp "$TMP/out.json" "$TMP/err.txt" "$TMP/nginx.err" "$TMP/access.log" . 2>/dev/null

# URL: the sorted, unique checks of its findings, one line
checks() {
    jq -r --arg u "$1" 'select(.type == "finding" and .url == $u) | .check' \
        "$TMP/out.json" | sort -u | tr '\n' ' '
}
row() { # URL KEY: the summary's value for the site
    jq -r --arg u "$1" --arg k "$2" 'select(.type == "summary" and
        .capability == "web") | .tables.sites[] | select(.url == $u) | .[$k]' \
        "$TMP/out.json"
}
field() { # URL CHECK JQ-EXPR
    jq -c --arg u "$1" --arg c "$2" "select(.type == \"finding\" and
        .url == \$u and .check == \$c) | $3" "$TMP/out.json"
}

test_expect_success 'the run ends with status 0 and no error' '
    test "$(cat "$TMP/status")" = 0 && ! grep -q error "$TMP/err.txt"
'
test_expect_success 'good: A+ and only the OCSP stapling a test CA cannot give' '
    test "$(row "$GOOD" tls_grade)" = "A+" &&
    test "$(row "$GOOD" tls_score)" = 93 &&
    test "$(row "$GOOD" tls_caps)" = "" &&
    test "$(checks "$GOOD")" = "web.tls.no-ocsp-stapling "
'
test_expect_success 'bad: every weakness of the TLS and of the files' '
    want="web.exposed.secrets web.exposed.vcs web.hsts.preload-ineligible web.listing web.tls.cert-weak-key web.tls.cert-weak-signature web.tls.mozilla-intermediate web.tls.no-aead web.tls.no-forward-secrecy web.tls.no-ocsp-stapling web.tls.protocol-obsolete web.tls.weak-cipher web.version-disclosure " &&
    test "$(checks "$BAD")" = "$want"
'
test_expect_success 'bad: grade T (SHA-1), F if it were trusted; the evidence' '
    test "$(row "$BAD" tls_grade)" = T &&
    test "$(row "$BAD" tls_grade_if_trusted)" = F &&
    test "$(row "$BAD" protocols)" = "SSLv3? TLSv1 TLSv1.1 TLSv1.2" &&
    row "$BAD" tls_caps | grep -q "TLS 1.0 or 1.1 accepted" &&
    row "$BAD" tls_caps | grep -q "without encryption" &&
    test "$(field "$BAD" web.tls.protocol-obsolete .protocols)" = "[\"TLSv1\",\"TLSv1.1\"]" &&
    test "$(field "$BAD" web.tls.protocol-obsolete .evidence)" = "\"accepts TLSv1, TLSv1.1\"" &&
    field "$BAD" web.tls.weak-cipher .suites | grep -q "NULL-SHA256" &&
    test "$(field "$BAD" web.tls.cert-weak-key .key_bits)" = 1024 &&
    test "$(field "$BAD" web.exposed.vcs .path)" = "\"/.git/HEAD\"" &&
    test "$(field "$BAD" web.exposed.secrets .path)" = "\"/.env\"" &&
    field "$BAD" web.version-disclosure .product | grep -q "nginx/" &&
    test "$(field "$BAD" web.version-disclosure .software)" = "\"nginx\"" &&
    field "$BAD" web.tls.mozilla-intermediate .differences | grep -q "does not accept TLSv1.3"
'
test_expect_success 'self-signed for another name: untrusted and mismatched' '
    test "$(checks "$SELF")" = "web.tls.cert-name-mismatch web.tls.cert-untrusted " &&
    test "$(row "$SELF" tls_grade)" = T
'
test_expect_success 'expired: critical, grade T' '
    test "$(checks "$OLD")" = "web.tls.cert-expired " &&
    field "$OLD" web.tls.cert-expired .days_left | grep -q "^-" &&
    test "$(field "$OLD" web.tls.cert-expired .severity)" = "\"critical\"" &&
    test "$(row "$OLD" tls_grade)" = T
'
test_expect_success 'expiring in 20 days: medium' '
    test "$(checks "$SOON")" = "web.tls.cert-expiring web.tls.no-ocsp-stapling " &&
    test "$(field "$SOON" web.tls.cert-expiring .severity)" = "\"medium\"" &&
    test "$(row "$SOON" tls_grade)" = "A"
'
test_expect_success 'a site that answers 200 to everything is not flagged' '
    test "$(checks "$SOFT")" = "" &&
    test "$(row "$SOFT" tls_grade)" = null &&
    grep -q "mamori-[0-9a-f]*-not-here" "$TMP/access.log"
'
test_expect_success 'http redirected to https is judged on the https side' '
    test "$(row "$REDIR" tls_grade)" = "A+" || {
        # seen once under ASan on a loaded machine: say what it was
        jq -c --arg u "$REDIR" "select(.type == \"summary\" and .capability == \"web\") |
            .tables.sites[] | select(.url == \$u)" "$TMP/out.json" | sed "s/^/# /"
        jq -c --arg u "$REDIR" "select(.url == \$u)" "$TMP/out.json" | sed "s/^/# /"
        sed "s/^/# /" "$TMP/err.txt"
        false
    }
'
test_expect_success "nginx's welcome page is a default page" '
    test "$(checks "$DEF")" = "web.default-page "
'
test_expect_success 'headers graded as the Observatory grades them' '
    test "$(row "$GOOD" headers_grade)" = "A+" &&
    test "$(row "$GOOD" headers_score)" -ge 100 &&
    test "$(row "$BAD" headers_score)" -lt 60 &&
    case "$(row "$BAD" headers_grade)" in D*|F) ;; *) false ;; esac
'
preload() { # URL KEY: the HSTS preload table's value for the site
    jq -r --arg u "$1" --arg k "$2" 'select(.type == "summary" and
        .capability == "web") | .tables.hsts_preload[] | select(.url == $u) | .[$k]' \
        "$TMP/out.json"
}
test_expect_success 'HSTS preload: asked without meeting the requirements' '
    test "$(preload "$GOOD" hsts_preload)" = ineligible &&
    preload "$GOOD" reasons | grep -q "no preload directive" &&
    test "$(preload "$BAD" hsts_preload)" = ineligible &&
    field "$BAD" web.hsts.preload-ineligible .reasons > reasons &&
    grep -q "max-age 300, under a year" reasons &&
    grep -q "no includeSubDomains" reasons &&
    grep -q "certificate is not valid" reasons &&
    grep -q "localhost has no registrable domain" reasons &&
    test "$(preload "$SOFT" hsts_preload)" = "" &&
    test -z "$(field "$GOOD" web.hsts.preload-ineligible .check)"
'
test_expect_success 'requests name mamori and its version' '
    grep -q "\"mamori/[0-9.]*\"" "$TMP/access.log"
'
test_expect_success 'one worker or eight: the same findings in the same order' '
    "$MAMORI" web --format json --fail-on none --ca "$PKI/ca.pem" \
        --concurrency 1 "$GOOD" "$BAD" "$SELF" "$OLD" "$SOON" "$SOFT" "$REDIR" "$DEF" \
        > one.json 2> one.err &&
    jq -c "select(.type == \"finding\") | [.url, .check, .evidence]" one.json |
        grep -v "expires in" > a &&
    jq -c "select(.type == \"finding\") | [.url, .check, .evidence]" \
        "$TMP/out.json" | grep -v "expires in" > b &&
    test_cmp a b
'
test_expect_success 'mamori audit --site adds the findings to the report' '
    "$MAMORI" audit --no-system --format json --fail-on none --site "$BAD" \
        > audit.json 2> audit.err &&
    grep -q "\"check\":\"web.exposed.vcs\"" audit.json &&
    grep -q "\"capability\":\"web\"" audit.json
'
test_expect_success '--from-file: one URL a line, comments and blanks skipped' '
    printf "# sites\n\n  %s  # the good one\n%s\n" "$GOOD" "$SOFT" > sites.txt &&
    "$MAMORI" web --format json --fail-on none --ca "$PKI/ca.pem" --no-tls \
        --no-exposure --from-file sites.txt > ff.json &&
    test "$(jq -r "select(.type == \"summary\") | .tables.sites[].url" ff.json | tr "\n" " ")" = "$GOOD $SOFT "
'
test_expect_success '--from-logscan: files logscan saw served are asked again' '
    for l in "GET /old/.env HTTP/1.1\" 200" "GET /gone/.env?x=1 HTTP/1.1\" 200" \
             "GET /never/.env HTTP/1.1\" 404" "GET /.env HTTP/1.1\" 200"; do
        echo "203.0.113.9 - - [01/Dec/2026:10:00:00 +0000] \"$l 40 \"-\" \"curl/8\""
    done > attack.log &&
    "$MAMORI" logscan --format json --fail-on none attack.log > logscan.json &&
    before=$(grep -c "GET /.env HTTP" "$TMP/access.log") &&
    "$MAMORI" web --format json --fail-on none --no-tls \
        --from-logscan logscan.json "$BAD" > re.json 2> re.err &&
    jq -r "select(.check == \"web.exposed.logscan-served\") | .path" re.json > got &&
    echo /old/.env > want && test_cmp want got &&
    grep -q "GET /gone/.env HTTP" "$TMP/access.log" &&
    ! grep -q "GET /never/.env" "$TMP/access.log" &&
    test "$(grep -c "GET /.env HTTP" "$TMP/access.log")" = $((before + 1)) &&
    echo "not json" > junk.json &&
    "$MAMORI" web --format json --fail-on none --no-tls --no-exposure \
        --from-logscan junk.json "$BAD" > /dev/null 2> junk.err &&
    grep -q "not JSON" junk.err &&
    ! "$MAMORI" web --from-logscan missing.json "$BAD" > /dev/null 2> miss.err &&
    grep -q "cannot read the logscan report" miss.err
'
test_expect_success 'mamori audit: the files its logscan row saw served are asked again' '
    "$MAMORI" audit --no-system --no-history --format json --fail-on none \
        --site "$BAD" attack.log > served.json 2> served.err &&
    jq -r "select(.check == \"web.exposed.logscan-served\") | .path" served.json > got &&
    echo /old/.env > want && test_cmp want got
'
test_expect_success 'OCSP: stapled good, revoked by the responder, stapled revoked' '
    OGOOD=https://localhost:$P_OGOOD/ OREV=https://localhost:$P_OREV/ &&
    OREVS=https://localhost:$P_OREVS/ &&
    "$MAMORI" web --format json --fail-on none --ca "$PKI/ca.pem" \
        --no-exposure "$OGOOD" "$OREV" "$OREVS" > "$TMP/out.json" 2> ocsp.err &&
    test "$(checks "$OGOOD")" = "" &&
    test "$(row "$OGOOD" tls_grade)" = A &&
    test "$(checks "$OREV")" = "web.tls.cert-revoked " &&
    test "$(field "$OREV" web.tls.cert-revoked .ocsp)" = "\"responder\"" &&
    field "$OREV" web.tls.cert-revoked .evidence | grep -q "keyCompromise" &&
    test "$(field "$OREV" web.tls.cert-revoked .severity)" = "\"critical\"" &&
    test "$(row "$OREV" tls_grade)" = T &&
    test "$(checks "$OREVS")" = "web.tls.cert-revoked " &&
    test "$(field "$OREVS" web.tls.cert-revoked .ocsp)" = "\"stapled\"" &&
    test "$(row "$OREVS" tls_grade)" = T
'
test_expect_success 'OCSP: a certificate the responder does not know is low' '
    OUNK=https://localhost:$P_OUNK/ &&
    "$MAMORI" web --format json --fail-on none --ca "$PKI/ca.pem" \
        --no-exposure "$OUNK" > "$TMP/out.json" 2> ocsp.err &&
    test "$(checks "$OUNK")" = "web.tls.cert-ocsp-unknown web.tls.no-ocsp-stapling " &&
    test "$(field "$OUNK" web.tls.cert-ocsp-unknown .severity)" = "\"low\"" &&
    test "$(field "$OUNK" web.tls.cert-ocsp-unknown .ocsp)" = "\"responder\""
'
test_expect_success 'end of life: the nginx installed here is no finding, PHP 5.6 is' '
    EOL=http://localhost:$P_EOL/ &&
    "$MAMORI" web --format json --fail-on none --ca "$PKI/ca.pem" \
        --no-exposure "$BAD" "$EOL" > "$TMP/out.json" 2> eol.err &&
    test "$(field "$BAD" web.eol-product .check)" = "" &&
    jq -r --arg u "$BAD" "select(.type == \"summary\") | .tables.versions[] |
        select(.url == \$u) | [.header, .product, (.supported | tostring)] |
        join(\" \")" "$TMP/out.json" > got &&
    grep -Eq "^Server nginx (true|null)$" got &&
    test "$(field "$EOL" web.eol-product .severity)" = "\"high\"" &&
    test "$(field "$EOL" web.eol-product .branch)" = "\"5.6\"" &&
    test "$(field "$EOL" web.eol-product .eol)" = "\"2018-12-31\"" &&
    jq -e --arg u "$EOL" "select(.type == \"summary\") | .tables.versions[] |
        select(.url == \$u and .product == \"PHP\") |
        .supported == false and .eol == \"2018-12-31\"" "$TMP/out.json"
'
test_expect_success 'a port with nothing behind it is an error, never clean' '
    P=$(free_port) &&
    "$MAMORI" web --format json --fail-on none --timeout 5 \
        "https://localhost:$P/" > out 2> err; st=$? &&
    test $st = 2 &&
    grep -q web.site.unreachable out && grep -q "localhost:$P" err
'
test_done

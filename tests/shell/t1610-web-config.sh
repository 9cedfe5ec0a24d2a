#!/bin/bash
# t1610-web-config.sh — `mamori web --root DIR`: the nginx and Apache
# configuration of a fixture machine (tests/fixtures/web-root, shaped
# after Debian's files), includes followed (absolute, relative, globbed,
# a continued Apache line), each weakness with its file and line and the
# line to write instead; a root without either server gives nothing.
. "$(dirname "$0")/lib.sh"

if ! test_have_prereq JQ; then
    skip "mamori web --root" "jq not installed"
    test_done
fi
ROOT=$TESTS_DIR/fixtures/web-root

test_expect_success 'every weakness, with file and line' '
    "$MAMORI" web -f json --fail-on none --root "$ROOT" > out 2> err &&
    jq -r "select(.type == \"finding\") | \"\(.server) \(.check) \" +
        (.file | sub(\".*/web-root\"; \"\")) + \":\(.line) \(.directive)\"" \
        out > got &&
    cat > want <<-\W &&
	nginx web.tls.protocol-obsolete /etc/nginx/nginx.conf:19 ssl_protocols
	nginx web.tls.weak-cipher /etc/nginx/conf.d/tls.conf:2 ssl_ciphers
	nginx web.listing /etc/nginx/sites-enabled/shop:11 autoindex
	nginx web.version-disclosure /etc/nginx/nginx.conf:11 server_tokens
	apache web.tls.protocol-obsolete /etc/apache2/mods-enabled/ssl.conf:3 SSLProtocol
	apache web.listing /etc/apache2/apache2.conf:9 Options
	apache web.version-disclosure /etc/apache2/conf-enabled/security.conf:2 ServerTokens
	apache web.version-disclosure /etc/apache2/conf-enabled/security.conf:3 ServerSignature
	apache web.tls.weak-cipher /etc/apache2/sites-enabled/intranet.conf:5 SSLCipherSuite
	W
    test_cmp want got &&
    test ! -s err
'
test_expect_success 'the fix is the line to write' '
    jq -r "select(.type == \"finding\") | .fix" out > fixes &&
    grep -qx "ssl_protocols TLSv1.2 TLSv1.3;" fixes &&
    grep -qx "autoindex off;" fixes &&
    grep -qx "server_tokens off;" fixes &&
    grep -qx "SSLProtocol -all +TLSv1.2 +TLSv1.3" fixes &&
    grep -qx "Options -Indexes" fixes &&
    grep -q "^ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:" fixes
'
test_expect_success 'the evidence names what is weak' '
    jq -r "select(.type == \"finding\") | .evidence" out > ev &&
    grep -q "enables DES-CBC3-SHA" ev &&
    grep -q "enables RC4-SHA" ev &&
    grep -q "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3" ev
'
test_expect_success 'mamori audit --root reviews the same files' '
    "$MAMORI" audit -f json --fail-on none --root "$ROOT" > audit.json 2> audit.err &&
    test "$(jq -r "select(.type == \"finding\" and (.check | startswith(\"web.\"))) | .check" audit.json | wc -l)" = 9 &&
    grep -q "\"capability\":\"web\"" audit.json
'
test_expect_success 'a root without nginx or Apache: no finding' '
    mkdir -p empty/etc &&
    "$MAMORI" web -f json --root empty > out2 &&
    ! grep -q "\"type\":\"finding\"" out2
'
test_expect_success 'an unreadable include is a warning, not an abort' '
    mkdir -p r/etc/nginx &&
    printf "http {\n include missing.conf;\n server_tokens off;\n}\n" \
        > r/etc/nginx/nginx.conf &&
    "$MAMORI" web -f json --root r > out3 2> err3 &&
    grep -q "missing.conf" err3
'
test_expect_success 'a syntax error is a warning naming the line' '
    mkdir -p s/etc/nginx &&
    printf "http {\n autoindex on;\n server_tokens \"off;\n}\n" \
        > s/etc/nginx/nginx.conf &&
    "$MAMORI" web -f json --fail-on none --root s > out4 2> err4 &&
    grep -q "cannot parse" err4
'
test_done

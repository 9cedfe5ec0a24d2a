#!/bin/sh
# bench/web.sh BUILD_DIR — how fast `mamori web` checks sites, against
# testssl.sh (Debian's package) on the same servers. nginx on 127.0.0.1
# (free ports) serves one site with a good TLS configuration and one
# with a bad one (TLS 1.0/1.1, a suite without forward secrecy, a
# 1024-bit SHA-1 certificate), and WEB_SITES (default 100) more server
# blocks on ports of their own for the many-sites run. Prints the seconds
# of one site fully checked (TLS, exposure) by mamori and by testssl.sh
# (protocols, ciphers per protocol, certificate: `testssl.sh -p -E -S`),
# the ratio against the issue's target (at least 20x faster, one site in
# under 3 s), the time for all the sites at --concurrency 8, and whether
# both tools agree on the protocols and on the certificate's key size.
# Nothing leaves 127.0.0.0/8. Output also in bench/out/web.txt.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
N=${WEB_SITES:-100}
OUT=${BENCH_OUT:-bench/out}
MAMORI=$BUILD/src/mamori
REPORT=$OUT/web.txt
mkdir -p "$OUT" || exit 2
[ -x "$MAMORI" ] || { echo "bench: no $MAMORI (build first)" >&2; exit 2; }
command -v nginx >/dev/null || { echo "bench: nginx not installed" >&2; exit 2; }
T=$(mktemp -d /tmp/mamori-webbench.XXXXXX)
NGINX_PID=""
trap '[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }

(
    cd "$T" || exit 1
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
        -days 30 -subj /CN=bench-ca -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=keyCertSign,cRLSign
    printf 'subjectAltName=DNS:localhost\n' > san.ext
    for c in "good 2048 sha256" "weak 1024 sha1"; do
        set -- $c
        openssl req -newkey "rsa:$2" -nodes -keyout "$1.key" -out "$1.csr" \
            -subj /CN=localhost &&
        openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key \
            -CAcreateserial -out "$1.pem" -days 90 "-$3" -extfile san.ext
    done
) > "$T/pki.log" 2>&1 || { cat "$T/pki.log"; exit 2; }
mkdir -p "$T/www" "$T/ngx"
echo '<html>bench</html>' > "$T/www/index.html"
P_GOOD=$(port) P_BAD=$(port)
MANY=""
{
    printf 'daemon off;\nmaster_process off;\npid %s/nginx.pid;\nerror_log %s/nginx.err;\n' "$T" "$T"
    printf 'events {}\nhttp {\n access_log off;\n client_body_temp_path %s/ngx/b;\n' "$T"
    printf ' server_tokens off;\n root %s/www;\n' "$T"
    printf ' ssl_certificate %s/good.pem;\n ssl_certificate_key %s/good.key;\n' "$T" "$T"
    printf ' server { listen 127.0.0.1:%s ssl; ssl_protocols TLSv1.2 TLSv1.3; }\n' "$P_GOOD"
    printf ' server { listen 127.0.0.1:%s ssl; ssl_certificate %s/weak.pem; ssl_certificate_key %s/weak.key;\n' "$P_BAD" "$T" "$T"
    printf '   ssl_protocols TLSv1 TLSv1.1 TLSv1.2; ssl_ciphers AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0; }\n'
    i=0
    while [ "$i" -lt "$N" ]; do
        p=$(port)
        printf ' server { listen 127.0.0.1:%s ssl; ssl_protocols TLSv1.2 TLSv1.3; }\n' "$p"
        MANY="$MANY https://localhost:$p/"
        i=$((i + 1))
    done
    printf '}\n'
} > "$T/nginx.conf"
echo "$MANY" | tr ' ' '\n' | sed '/^$/d' > "$T/sites.txt"
nginx -p "$T" -c "$T/nginx.conf" > "$T/nginx.out" 2>&1 &
NGINX_PID=$!
for _ in $(seq 50); do
    curl -sk -o /dev/null "https://localhost:$P_GOOD/" && break
    sleep 0.1
done

{
echo "mamori web vs testssl.sh, nginx on 127.0.0.1 ($(nproc) cores)"
for s in good bad; do
    [ "$s" = good ] && P=$P_GOOD || P=$P_BAD
    t0=$(now)
    "$MAMORI" web --format json --fail-on none --ca "$T/ca.pem" \
        "https://localhost:$P/" > "$T/m-$s.json" 2>/dev/null
    t1=$(now)
    m=$(echo "$t1 - $t0" | bc -l)
    grade=$(jq -r 'select(.type=="summary") | .tables.sites[0].tls_grade' "$T/m-$s.json")
    mp=$(jq -r 'select(.check=="web.tls.protocol-obsolete") | .protocols | join(",")' "$T/m-$s.json")
    printf '%-5s mamori      %6.2f s  grade %s  obsolete protocols: %s\n' "$s" "$m" "$grade" "${mp:-none}"
    if command -v testssl >/dev/null || command -v testssl.sh >/dev/null; then
        TS=$(command -v testssl || command -v testssl.sh)
        t0=$(now)
        "$TS" --quiet --color 0 --warnings off --openssl /usr/bin/openssl \
            --jsonfile "$T/t-$s.json" -p -E -S "localhost:$P" > "$T/t-$s.txt" 2>&1
        t1=$(now)
        ts=$(echo "$t1 - $t0" | bc -l)
        tp=$(jq -r '[.[] | select((.id=="TLS1" or .id=="TLS1_1") and (.finding|test("^offered"))) | .id] | join(",")' "$T/t-$s.json" 2>/dev/null)
        printf '%-5s testssl.sh  %6.2f s  obsolete protocols: %s  (%.0fx slower)\n' "$s" "$ts" "${tp:-none}" "$(echo "$ts / $m" | bc -l)"
    else
        echo "$s testssl.sh not installed (make bench installs it)"
    fi
done
t0=$(now)
"$MAMORI" web --format json --fail-on none --ca "$T/ca.pem" --no-exposure \
    --concurrency 8 --from-file "$T/sites.txt" > "$T/many.json" 2>/dev/null
t1=$(now)
graded=$(jq -r 'select(.type=="summary") | .tables.sites[] | select(.tls_grade != null) | .url' "$T/many.json" | wc -l)
printf '%d sites (TLS only, --concurrency 8): %.2f s, %d graded\n' "$N" "$(echo "$t1 - $t0" | bc -l)" "$graded"
} | tee "$REPORT"

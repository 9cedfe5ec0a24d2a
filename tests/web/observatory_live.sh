#!/bin/bash
# observatory_live.sh — the live part of the Observatory conformance test
# (sourced by observatory_conformance.sh, which has set $driver, $obs,
# $here, $i and $fail): nginx on 127.0.0.1 serves sites whose http://
# and https:// sides, redirections, CORS answers, cookies on redirects
# and certificates differ; the Observatory's own retriever
# (observatory_live.mjs) and `mamori web`'s (obs_driver --live, the code
# of site.c and obs_site.c) fetch each and both must print the same
# score, grade and results. Needs nginx and openssl; skips its cases
# otherwise. LIVE_CASES is the number of cases, for the plan.
LIVE_CASES=9

live_skip() {
    for _ in $(seq $LIVE_CASES); do
        i=$((i + 1))
        echo "ok $i # SKIP $1"
    done
}

live_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

live_run() {
    if ! command -v nginx >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
        live_skip "nginx or openssl not installed"
        return
    fi
    local T
    T=$(mktemp -d)
    local PKI=$T/pki
    mkdir -p "$PKI" "$T/ngx"
    (
        cd "$PKI" || exit 1
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
            -days 30 -subj /CN=mamori-obs-ca \
            -addext basicConstraints=critical,CA:TRUE \
            -addext keyUsage=keyCertSign,cRLSign &&
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > san.ext &&
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout good.key -out good.csr \
            -subj /CN=localhost &&
        openssl x509 -req -in good.csr -CA ca.pem -CAkey ca.key \
            -CAcreateserial -out good.pem -days 30 -extfile san.ext &&
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout self.key -out self.pem \
            -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost
    ) > "$T/pki.log" 2>&1 || { live_skip "openssl failed"; rm -rf "$T"; return; }

    local p n
    declare -A H S
    for n in 1 2 3 4 5 6 7 8; do
        H[$n]=$(live_port)
        S[$n]=$(live_port)
    done
    local HDRS='add_header Strict-Transport-Security "max-age=63072000" always;
        add_header X-Content-Type-Options nosniff always;
        add_header X-Frame-Options DENY always;
        add_header Referrer-Policy no-referrer always;
        add_header Content-Security-Policy "default-src '"'"'none'"'"'" always;'
    # PORT CERT EXTRA: an https server
    tls() {
        cat <<S
    server {
        listen 127.0.0.1:$1 ssl;
        ssl_certificate $PKI/$2.pem;
        ssl_certificate_key $PKI/$2.key;
        default_type text/html;
        $3
    }
S
    }
    cat > "$T/nginx.conf" <<CONF
daemon off;
master_process off;
pid $T/nginx.pid;
error_log $T/nginx.err;
events {}
http {
    access_log off;
    client_body_temp_path $T/ngx/body;
    proxy_temp_path $T/ngx/proxy;
    fastcgi_temp_path $T/ngx/fastcgi;
    uwsgi_temp_path $T/ngx/uwsgi;
    scgi_temp_path $T/ngx/scgi;
    server_tokens off;
    # 1: http redirects to https on the same host; CORS public
    server { listen 127.0.0.1:${H[1]}; return 301 https://localhost:${S[1]}\$request_uri; }
$(tls "${S[1]}" good "$HDRS add_header Access-Control-Allow-Origin * always;
        location / { return 200 '<!doctype html><p>one</p>'; }")
    # 2: http redirects to https on another host
    server { listen 127.0.0.1:${H[2]}; return 301 https://127.0.0.1:${S[2]}/; }
$(tls "${S[2]}" good "$HDRS location / { return 200 '<p>two</p>'; }")
    # 3: http to http first, then https; a session cookie without Secure
    server { listen 127.0.0.1:${H[3]};
        location = / { return 301 http://localhost:${H[3]}/next; }
        location / { return 301 https://localhost:${S[3]}/; } }
$(tls "${S[3]}" good "$HDRS add_header Set-Cookie 'sessionid=1; Path=/; HttpOnly' always;
        location / { return 200 '<p>three</p>'; }")
    # 4: no redirection; CORS reflects the Origin with credentials
    server { listen 127.0.0.1:${H[4]}; default_type text/html; location / { return 200 '<p>four</p>'; } }
$(tls "${S[4]}" good "add_header Access-Control-Allow-Origin \$http_origin always;
        add_header Access-Control-Allow-Credentials true always;
        location / { return 200 '<p>four</p>'; }")
    # 5: no http at all (H5 is left closed); no headers
$(tls "${S[5]}" good "location / { return 200 '<p>five</p>'; }")
    # 6: http redirects to http elsewhere and stays there
    server { listen 127.0.0.1:${H[6]}; default_type text/html;
        location = / { return 301 http://127.0.0.1:${H[6]}/plain; }
        location / { return 200 '<p>six</p>'; } }
$(tls "${S[6]}" good "$HDRS location / { return 200 '<p>six</p>'; }")
    # 7: self-signed: both chains unverified; CORS asked of /robots.txt
    server { listen 127.0.0.1:${H[7]}; return 301 https://localhost:${S[7]}/; }
$(tls "${S[7]}" self "$HDRS location / { return 200 '<p>seven</p>'; }
        location = /robots.txt { add_header Access-Control-Allow-Origin * always; return 200 'User-agent: *'; }")
    # 8: a cookie set on the https side's redirect
    server { listen 127.0.0.1:${H[8]}; return 301 https://localhost:${S[8]}/; }
$(tls "${S[8]}" good "$HDRS
        location = / { add_header Set-Cookie 'csrftoken=1; Secure; Path=/' always; return 302 /home; }
        location / { return 200 '<p>eight</p>'; }")
}
CONF
    nginx -p "$T" -c "$T/nginx.conf" > "$T/nginx.out" 2>&1 &
    local pid=$!
    # stopped however the run ends (a test timeout sends TERM)
    LIVE_PID=$pid LIVE_T=$T
    trap 'kill "$LIVE_PID" 2>/dev/null; rm -rf "$LIVE_T" "${want_all:-}"' EXIT
    trap 'exit 143' TERM INT
    for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:${H[1]}/" && break
        sleep 0.1
    done
    # NAME URL-GIVEN-TO-MAMORI HTTP-PORT HTTPS-PORT
    local cases=(
        "redirect-same-host https://localhost:${S[1]}/ ${H[1]} ${S[1]}"
        "redirect-off-host https://localhost:${S[2]}/ ${H[2]} ${S[2]}"
        "redirect-http-first https://localhost:${S[3]}/ ${H[3]} ${S[3]}"
        "no-redirect-cors-reflect https://localhost:${S[4]}/ ${H[4]} ${S[4]}"
        "no-http https://localhost:${S[5]}/ ${H[5]} ${S[5]}"
        "redirect-never-https https://localhost:${S[6]}/ ${H[6]} ${S[6]}"
        "self-signed-cors-robots https://localhost:${S[7]}/ ${H[7]} ${S[7]}"
        "cookie-on-https-redirect https://localhost:${S[8]}/ ${H[8]} ${S[8]}"
        "given-as-http http://localhost:${H[1]}/ ${H[1]} ${S[1]}"
    )
    local c name url hp sp want got k=0 args=()
    for c in "${cases[@]}"; do
        read -r name url hp sp <<<"$c"
        args+=(localhost "$hp" "$sp")
    done
    NODE_EXTRA_CA_CERTS=$PKI/ca.pem node "$here/observatory_live.mjs" \
        "$obs" "${args[@]}" > "$T/want" 2>&1
    for c in "${cases[@]}"; do
        read -r name url hp sp <<<"$c"
        i=$((i + 1))
        k=$((k + 1))
        want=$(awk -v k="$k" '/^== /{on = ($2 == k); next} on' "$T/want")
        [ -n "$want" ] || want=$(cat "$T/want")
        got=$("$driver" --live "$url" "$PKI/ca.pem" "$hp" "$sp" 2>&1)
        if [ "$want" = "$got" ]; then
            echo "ok $i - live $name: $(head -n 1 <<<"$got")"; [ -n "${LIVE_VERBOSE:-}" ] && sed "s/^/#   /" <<<"$got"
        else
            echo "not ok $i - live $name"
            diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
            fail=1
        fi
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -rf "$T"
}

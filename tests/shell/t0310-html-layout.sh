#!/bin/bash
# t0310-html-layout.sh — the HTML report fits the page: nothing wider than
# the window at 1280 and 390 CSS pixels (a desktop and a phone), measured
# in headless Chromium on the reports of examples/logs (in both languages),
# of every attack of tests/corpus and of mamori patch (with its charts of
# the updates waiting and of the days exposed).
#
# The shipped report forbids scripts (CSP default-src 'none'), so the test
# measures a copy: only in that copy is the CSP relaxed to let one inline
# script in, which measures document.documentElement.scrollWidth and the
# right edge of every element, and posts the result to the page around
# it. That page holds the copy in an iframe of the width under test
# (headless Chromium will not make a window narrower than 500 pixels, an
# iframe can be) and is what --dump-dom prints.
. "$(dirname "$0")/lib.sh"

CHROMIUM=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$c; break; fi
done
SRC=${SOURCE_ROOT:-$(dirname "$0")/../..}

# The reports: examples/logs in English and Japanese, the attack corpus
# (request lines wrapped as a combined log, as the golden record does).
"$MAMORI" logscan --format html --fail-on none -o "$TMP/ex.html" \
    "$SRC/examples/logs" 2>/dev/null
"$MAMORI" logscan --format html --fail-on none --lang ja -o "$TMP/ex-ja.html" \
    "$SRC/examples/logs" 2>/dev/null
cat "$SRC"/tests/corpus/attacks/*.txt | awk '{printf "10.0.0.%d - - [01/Jan/2024:00:00:%02d +0000] \"GET %s HTTP/1.1\" 200 123 \"-\" \"x\"\n", NR%250, NR%60, $0}' >"$TMP/corpus.log"
"$MAMORI" logscan --format html --fail-on none -o "$TMP/corpus.html" \
    "$TMP/corpus.log" 2>/dev/null
# mamori patch on its fixture root with OSV records: the charts of the
# updates waiting and of the days exposed, in both languages.
FIX=$SRC/tests/fixtures
for l in en ja; do
    "$MAMORI" patch --root "$FIX/patch-bad" --osv "$FIX/patch-osv" \
        --format html --lang "$l" --fail-on none -o "$TMP/patch-$l.html" \
        2>/dev/null
done
REPORTS="ex ex-ja corpus patch-en patch-ja"
# chart ID: the <svg> a table's bar chart is, by its aria-label.
chart() { grep -o "<svg class=\"chart bars\"[^>]*aria-label=\"$2\"" "$TMP/$1.html"; }
ok "patch: a chart of the updates waiting, by suite" \
    chart patch-en "updates waiting, by suite"
ok "patch: a chart of the days exposed" \
    chart patch-en "days exposed: fixes released, not installed"
ok "patch: the exposure bars, longest first (openssl 1384+ days, glibc)" \
    sh -c 'sed -n "/aria-label=\"days exposed/,/<\/svg>/p" "$0" |
           grep -o "<title>[a-z]*: [0-9]*" | sed "s/<title>//" |
           awk -F": " "NR == 1 && \$1 == \"openssl\" && \$2 > 1380 { a = 1 }
                       NR == 2 && \$1 == \"glibc\" { b = 1 }
                       END { exit !(a && b && NR == 2) }"' "$TMP/patch-en.html"
ok "patch: the charts' titles in Japanese" \
    chart patch-ja "修正版の公開から未適用のままの日数"

for r in $REPORTS; do
    ok "$r: report written" test -s "$TMP/$r.html"
    ok "$r: the shipped report keeps its strict CSP and runs nothing" sh -c \
        "grep -q \"content=\\\"default-src 'none'; style-src 'unsafe-inline'\" '$TMP/$r.html' && ! grep -qi '<script' '$TMP/$r.html'"
done

# measure REPORT WIDTH: prints "scrollWidth=N innerWidth=N over=N ..."
measure() {
    r=$1; w=$2; d="$TMP/m-$r-$w"
    mkdir -p "$d"
    sed -e "s/default-src 'none'; style-src 'unsafe-inline'/default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'/" \
        "$TMP/$r.html" >"$d/r.html"
    # Elements inside an SVG are drawn in its viewBox; the SVG is measured.
    sed -i 's#</body>#<script>(function(){var d=document.documentElement,w=window.innerWidth,bad=[];document.querySelectorAll("body *").forEach(function(e){if(e.closest("svg")\&\&e.tagName!=="svg")return;var r=e.getBoundingClientRect();if(r.right>w+0.5)bad.push(e.tagName+"."+e.className+"="+Math.round(r.right))});parent.postMessage("scrollWidth="+d.scrollWidth+" innerWidth="+w+" over="+bad.length+" "+bad.slice(0,8).join(" "),"*")})();</script></body>#' \
        "$d/r.html"
    cat >"$d/wrap.html" <<EOF
<!DOCTYPE html><html><body style="margin:0"><pre id="out">none</pre>
<iframe src="r.html" style="border:0;width:${w}px;height:2000px"></iframe>
<script>window.addEventListener("message",function(e){document.getElementById("out").textContent=e.data});</script>
</body></html>
EOF
    win=$((w < 600 ? 600 : w + 20))
    HOME="$TMP" timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --hide-scrollbars --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update \
        --disable-sync --disable-extensions --user-data-dir="$TMP/prof" \
        --window-size=$win,2100 --virtual-time-budget=5000 \
        --dump-dom "file://$d/wrap.html" 2>"$TMP/chromium.err" |
        grep -o 'scrollWidth=[^<]*'
}

# fits REPORT WIDTH: the page and every element within WIDTH.
fits() {
    m=$(measure "$1" "$2")
    echo "$m"
    case "$m" in
    "scrollWidth=$2 innerWidth=$2 over=0 "*) return 0 ;;
    *) return 1 ;;
    esac
}

# The measurement itself must see an overflow: a copy with a wide block.
wide_fails() {
    sed 's#<main>#<main><div style="width:3000px">wide</div>#' "$TMP/ex.html" >"$TMP/wide.html"
    ! fits wide 1280
}

for r in $REPORTS; do
    for w in 1280 390; do
        if [ -z "$CHROMIUM" ]; then
            skip "$r at $w px: no horizontal overflow" "chromium is not installed"
        else
            ok "$r at $w px: no horizontal overflow" fits "$r" "$w"
        fi
    done
done
if [ -z "$CHROMIUM" ]; then
    skip "the measurement sees an overflow" "chromium is not installed"
else
    ok "the measurement sees an overflow" wide_fails
fi

done_testing

#!/bin/bash
# t0120-guidance-citations.sh — people read the guidance by its name: each
# finding's citation names the document (IPA's 情報セキュリティ10大脅威,
# METI's message to industry) and the section in the report's language,
# never an internal file number such as "IPA 000".
. "$(dirname "$0")/lib.sh"
SRC=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
EX="$SRC/examples/logs"

"$MAMORI" logscan -f sarif --fail-on none "$EX" >"$TMP/en.sarif" 2>/dev/null
"$MAMORI" logscan -f sarif --fail-on none --lang ja "$EX" >"$TMP/ja.sarif" 2>/dev/null
rules='.runs[0].tool.driver.rules[]'
ok "English citations name the documents in English" \
    jq -e "[$rules | .properties.guidance] | length > 0 and
           all(test(\"^(IPA|METI), \") and (explode | all(. < 128)))" "$TMP/en.sarif"
ok "Japanese citations name the documents in Japanese" \
    jq -e "[$rules | .properties.guidance] | length > 0 and
           all(test(\"「\"))" "$TMP/ja.sarif"
ok "whom-to-tell texts name IPA's document, not its file number" \
    jq -e "[$rules | .properties.whomToTell] | all(test(\"IPA 000\") | not)" "$TMP/en.sarif"
ok "no check's data cites a file number" \
    sh -c "! grep -l 'IPA 000\|METI 002' '$SRC'/data/checks/*.check"
"$MAMORI" logscan -f html --fail-on none "$EX" >"$TMP/r.html" 2>/dev/null
ok "the HTML report shows the document's name" grep -q 'Information Security 10 Major Threats' "$TMP/r.html"
# Every countermeasure id the build accepts is explained in the docs.
ids=$(python3 -c "import sys; sys.path.insert(0, '$SRC/tools'); import gen_checks; print(' '.join(sorted(gen_checks.COUNTERMEASURES)))")
missing=
for id in $ids; do grep -q "\`$id\`" "$SRC/docs/countermeasures.md" || missing="$missing $id"; done
ok "docs/countermeasures.md explains every countermeasure id${missing:+ (missing:$missing)}" test -z "$missing" -a -n "$ids"
done_testing

#!/bin/sh
# run-audit.sh — `make run`: mamori's main job, `mamori audit`, on this
# machine's logs and the bundled examples (examples/logs), printed on the
# terminal and written as an HTML report beside the build.
# Exit status 1 from mamori means "findings at or above --fail-on": that is
# the point of the examples, so it does not fail `make run`.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
mamori=$build/src/mamori
html=$build/audit-report.html

"$mamori" audit --format text examples/logs
status=$?
"$mamori" audit --format html -o "$html" --no-progress examples/logs 2>/dev/null
echo
echo "HTML report: $html"
echo "(mamori exited $status: 0 nothing at or above --fail-on, 1 findings, 2 errors)"
[ "$status" -le 1 ]

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
case $status in
0) echo "mamori audit: nothing at or above --fail-on (exit 0)" ;;
1) echo "mamori audit: findings at or above --fail-on (exit 1), as expected for examples/" ;;
*) echo "mamori audit: exit $status: some input could not be read (see the messages above)" ;;
esac
[ "$status" -le 1 ]

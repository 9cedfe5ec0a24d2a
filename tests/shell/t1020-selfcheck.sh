#!/bin/bash
# t1020-selfcheck.sh — mamori selfcheck: the dialogue on a real terminal
# (a pseudo-terminal driven from Python) asks, re-asks on a wrong key,
# skips and stops; the answers are kept and feed the next audit's grades
# (security software and incident readiness become measured); an
# answers file with a bad line keeps the rest and names the line; the
# form holds every question with the known answers chosen; without a
# terminal and without --answers it is a usage error.
. "$(dirname "$0")/lib.sh"

DB=$TMP/h.db
export DB

# Answers prompts in a pseudo-terminal: each argument is typed after the
# next prompt (a line ending in ">"); the transcript goes to stdout.
cat > "$TMP/drive_tty.py" <<'PY'
import os, pty, sys, select
replies = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(os.environ["MAMORI"], [os.environ["MAMORI"], "selfcheck", "--db",
              os.environ["DB"], "--format", "json", "--fail-on", "none"])
out = b""
while True:
    r, _, _ = select.select([fd], [], [], 10)
    if not r:
        sys.exit("timed out waiting for a prompt")
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if out.rstrip().endswith(b">") and replies:
        os.write(fd, (replies.pop(0) + "\n").encode())
        out += b"\n"
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
PY

test_expect_success PYTHON3 'the dialogue asks, re-asks, skips and stops' '
    python3 drive_tty.py d x p n "?" s q > transcript &&
    grep -c "Please type d, p, n, ?, s or q" transcript > wrong &&
    echo 1 > want && test_cmp want wrong &&
    grep "^1/25\." transcript && grep "^6/25\." transcript &&
    ! grep "^7/25\." transcript &&
    tr -d "\r" < transcript | grep "\"type\":\"summary\"" > summary.json &&
    jq -r ".tables.answers[] | select(.answer != \"none\") | \"\(.question) \(.answer) \(.answered_by)\"" summary.json > got &&
    printf "q01 done person\nq02 partly person\nq03 no person\nq04 unknown person\n" > want &&
    test_cmp want got
'

test_expect_success PYTHON3,JQ 'the answers are kept: the next dialogue asks only the rest' '
    python3 drive_tty.py q > transcript2 &&
    grep "^5/25\." transcript2 && ! grep "^4/25\." transcript2
'

test_expect_success JQ 'the next audit carries the answers into the grades' '
    "$MAMORI" audit --no-system --db "$DB" -f json --fail-on none \
        "$SOURCE_ROOT/examples/logs" > audit.json &&
    jq -r "select(.type == \"finding\" and (.check | startswith(\"selfcheck.\"))) | \"\(.id) \(.severity)\"" audit.json | sort > got &&
    printf "q02 medium\nq03 critical\nq04 medium\n" > want && test_cmp want got &&
    jq -e "select(.capability == \"score\") | .tables.factors[] | select(.factor == \"incident\") | .grade != \"-\"" audit.json &&
    jq -e "select(.capability == \"score\") | .tables.factors[] | select(.factor == \"passwords\") | .score <= 60" audit.json
'

test_expect_success JQ 'an answers file: good lines kept, a bad one named' '
    printf "q05 = done\nq06 = maybe\nq07=実施している\n" > answers.txt &&
    test_expect_code 2 "$MAMORI" selfcheck --db "$DB" --answers answers.txt -f json > out.json 2> err &&
    grep "answers.txt:2: warning: not an answer" err &&
    jq -r "select(.capability == \"selfcheck\") | .tables.answers[] | select(.question == \"q05\" or .question == \"q07\") | .answer" out.json > got &&
    printf "done\ndone\n" > want && test_cmp want got
'

test_expect_success 'the form holds every question, the known answers chosen' '
    "$MAMORI" selfcheck --db "$DB" --form form.html --lang ja &&
    test "$(grep -c "<fieldset" form.html)" = 25 &&
    grep "name=\"q01\" value=\"done\" checked" form.html &&
    grep "name=\"q03\" value=\"no\" checked" form.html &&
    grep "Content-Security-Policy" form.html | grep "script-src .sha256-"
'

test_expect_success 'without a terminal, --answers or --form is needed' '
    test_expect_code 2 "$MAMORI" selfcheck --db "$DB" < /dev/null 2> err &&
    grep "not a terminal" err
'

test_done

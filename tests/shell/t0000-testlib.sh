#!/bin/bash
# t0000-testlib.sh — the harness itself (tests/shell/lib.sh), as git's
# t0000-basic.sh checks test-lib.sh: small scripts using each helper are
# run on the side and their TAP output compared with what it must be.
. "$(dirname "$0")/lib.sh"
LIB="$(cd "$(dirname "$0")" && pwd)/lib.sh"
export LIB

# Runs the script on stdin with lib.sh; its output (dates in test_cmp's
# diff headers dropped) in out, its status in status.
run_sub() {
    { echo ". '$LIB'"; cat; } > sub.sh &&
    { MAMORI=/bin/true bash sub.sh > out.raw 2>err; echo $? > status; } &&
    sed -E 's/^(# (---|\+\+\+) [^\t]*)\t.*/\1/' out.raw > out
}

test_expect_success 'a passing and a failing body, with the output of the failing one' '
    run_sub <<-\EOF &&
	test_expect_success "passes" "echo hidden"
	test_expect_success "fails" "echo shown && false"
	test_done
	EOF
    cat > expect <<-\EOF &&
	ok 1 - passes
	not ok 2 - fails
	#   echo shown && false
	# shown
	1..2
	EOF
    test_cmp expect out &&
    test "$(cat status)" = 1
'
test_expect_success 'test_cmp shows a unified diff' '
    run_sub <<-\EOF &&
	test_expect_success "differs" "printf \"a\nb\n\" > e && printf \"a\nc\n\" > a && test_cmp e a"
	test_done
	EOF
    grep -q "^# -b$" out &&
    grep -q "^# +c$" out &&
    grep -q "^# --- e" out
'
test_expect_success 'a missing prereq skips visibly, with its name' '
    run_sub <<-\EOF &&
	test_lazy_prereq NEVER "false"
	test_set_prereq ALWAYS
	test_expect_success NEVER "needs NEVER" "false"
	test_expect_success ALWAYS,!NEVER "needs ALWAYS, not NEVER" "true"
	test_expect_success !ALWAYS "needs no ALWAYS" "false"
	test_done
	EOF
    cat > expect <<-\EOF &&
	ok 1 - needs NEVER # SKIP missing NEVER
	ok 2 - needs ALWAYS, not NEVER
	ok 3 - needs no ALWAYS # SKIP missing !ALWAYS
	1..3
	EOF
    test_cmp expect out &&
    test "$(cat status)" = 0
'
test_expect_success 'MAMORI_TEST_NO_PREREQ pretends a prereq is missing' '
    export MAMORI_TEST_NO_PREREQ=ROOT &&
    run_sub <<-\EOF &&
	test_expect_success ROOT "as root" "true"
	test_done
	EOF
    grep -q "^ok 1 - as root # SKIP missing ROOT$" out
'
test_expect_success 'test_when_finished runs after a failure, newest first' '
    export ORDER="$PWD/order" &&
    run_sub <<-\EOF &&
	test_expect_success "registers two" "
	    test_when_finished \"echo first >> \$ORDER\" &&
	    test_when_finished \"echo second >> \$ORDER\" &&
	    false"
	test_done
	EOF
    grep -q "^not ok 1 - registers two" out &&
    printf "second\nfirst\n" > expect &&
    test_cmp expect order
'
test_expect_success 'a failing clean-up fails the check' '
    run_sub <<-\EOF &&
	test_expect_success "clean-up fails" "test_when_finished false && true"
	test_done
	EOF
    grep -q "^not ok 1 - clean-up fails" out
'
test_expect_success 'an exit or cd in a body does not reach the script' '
    run_sub <<-\EOF &&
	test_expect_success "exits" "cd / && exit 0"
	test_expect_success "still here, in TMP" "test \"\$PWD\" = \"\$TMP\""
	test_done
	EOF
    grep -q "^ok 2 - still here" out
'
test_expect_success 'test_must_fail: a failure passes; success, a signal or no command fail' '
    run_sub <<-\EOF &&
	test_expect_success "fails" "test_must_fail false"
	test_expect_success "succeeds" "test_must_fail true"
	test_expect_success "aborts" "test_must_fail sh -c \"kill -ABRT \\\$\\\$\""
	test_expect_success "absent" "test_must_fail no-such-command-here"
	test_done
	EOF
    grep -q "^ok 1 - fails" out &&
    grep -q "^not ok 2 - succeeds" out &&
    grep -q "^not ok 3 - aborts" out &&
    grep -q "^not ok 4 - absent" out
'
test_expect_success 'test_expect_code' '
    run_sub <<-\EOF &&
	test_expect_success "two" "test_expect_code 2 sh -c \"exit 2\""
	test_expect_success "not three" "test_expect_code 3 sh -c \"exit 2\""
	test_done
	EOF
    grep -q "^ok 1 - two" out &&
    grep -q "^not ok 2 - not three" out
'
test_expect_success 'test_expect_failure: a known breakage is TODO' '
    run_sub <<-\EOF &&
	test_expect_failure "still broken" "false"
	test_expect_failure "fixed" "true"
	test_done
	EOF
    grep -q "^not ok 1 - still broken # TODO known breakage$" out &&
    grep -q "^ok 2 - fixed # TODO known breakage vanished$" out &&
    test "$(cat status)" = 0
'
test_expect_success 'the first helpers still work' '
    run_sub <<-\EOF &&
	ok "passes" true
	ok "fails" sh -c "echo why; false"
	skip "skipped" "no reason"
	done_testing
	echo "after: $?"
	EOF
    cat > expect <<-\EOF &&
	ok 1 - passes
	not ok 2 - fails
	# out: why
	ok 3 - skipped # SKIP no reason
	1..3
	after: 1
	EOF
    test_cmp expect out
'
test_expect_success 'a top-level test_when_finished runs at exit, and TMP goes' '
    run_sub <<-\EOF &&
	echo "$TMP" > "$PWD/tmpname"
	test_when_finished "echo at-exit >&2"
	test_done
	EOF
    grep -q at-exit err &&
    test ! -e "$(cat tmpname)"
'
test_done

# TAP for the shell tests, sourced from the top of the repository: . tests/tap.sh
# check STATUS DESCRIPTION [DIAGNOSTIC...] is the next test: it passes if STATUS
# is 0; if it fails, each DIAGNOSTIC is printed below it as a comment.
# $failures counts the tests that failed.
n=0
failures=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failures=$((failures + 1))
		shift 2
		for l in "$@"; do echo "#   $l"; done
	fi
}

# program NAME PLAN, for a test of one of our programs: $P is bin/NAME ($DIGITS_BIN
# instead of bin/ if set).  If it is not built, the whole file is skipped; otherwise
# the plan is printed and $tmp is a fresh directory, removed on exit.
program() {
	P=${DIGITS_BIN:-bin}/$1
	if [ ! -x "$P" ]; then echo "1..0 # SKIP $P is not built (make $1)"; exit 0; fi
	echo "1..$2"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/digits-$1.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
}

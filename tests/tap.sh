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

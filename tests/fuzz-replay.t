#!/bin/sh
# The fuzz harnesses of make fuzz, built with the ordinary compiler (and with
# SANITIZE=1 under ASan and UBSan), replayed on the regression cases: the hostile
# files of tests/hostile, the findings kept in tests/fuzz/found, the sample
# drawings.  Each harness must get through all of them without a report.
. tests/tap.sh
R=${DIGITS_BUILD:-build/opt}/fuzz
if [ ! -x "$R/replay-model" ]; then echo "1..0 # SKIP $R/replay-* not built (make test builds them)"; exit 0; fi
echo "1..4"
found() { [ -d "tests/fuzz/found/$1" ] && ls -d tests/fuzz/found/"$1"/* 2>/dev/null; }
replay() {  # replay NAME FILES...
	name=$1; shift
	"$R/replay-$name" "$@" $(found "$name") >"$tmp/out" 2>&1; rc=$?
	[ $rc -eq 0 ] && ! grep -q 'ERROR: AddressSanitizer\|runtime error\|LeakSanitizer' "$tmp/out"
	check $? "the $name harness replays its $(($# + $(found "$name" | wc -l))) cases cleanly" \
		"exit status $rc" "$(head -c 800 "$tmp/out")"
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/digits-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
replay idx tests/hostile/*.idx*
replay model tests/hostile/*.model
for m in tests/hostile/*.model; do
	python3 -c 'import sys, zlib; d = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(zlib.decompress(d[24:]))' "$m" >"$tmp/$(basename "$m").payload" 2>/dev/null \
		|| rm -f "$tmp/$(basename "$m").payload"
done
replay payload "$tmp"/*.payload
replay strokes tests/hostile/*.strokes assets/strokes/*.strokes
[ $failures -eq 0 ]

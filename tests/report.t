#!/bin/sh
# The report command's harness: a report that fails halfway (a file it must write
# is in the way) exits 1, names the file, and leaves no temporary file and no
# .tex behind; a model of another kind, or a learning curve that does not parse,
# is refused with a message that says where.
. tests/tap.sh
B=${DIGITS_BIN:-bin}
for k in 2 3 4; do
	[ -x "$B/chapter$k" ] || { echo "1..0 # SKIP $B/chapter$k is not built (make chapter$k)"; exit 0; }
done
program chapter1 12
export SOURCE_DATE_EPOCH=0

# Small models, quick to train: the reports below fail before their experiments.
"$B/chapter1" train -e 1 -o "$tmp/c1.model" >/dev/null 2>&1 &&
"$B/chapter2" train -n 1000 -e 1 -o "$tmp/c2.model" >/dev/null 2>&1 &&
"$B/chapter3" train -l 784-32-10 -n 1000 -e 1 -o "$tmp/c3.model" >/dev/null 2>&1 &&
"$B/chapter4" train -c 2,4 -H 8 -n 500 -e 1 -b 50 -o "$tmp/c4.model" >/dev/null 2>&1
check $? "four small models train"

# fails N BLOCKER: report N into a fresh folder where BLOCKER is a directory.
fails() {
	out="$tmp/out$1"
	rm -rf "$out"; mkdir -p "$out/$2"; touch "$out/$2/x"
	"$B/chapter$1" report -m "$tmp/c$1.model" -d "$out" >"$tmp/log" 2>&1
	rc=$?
	[ $rc = 1 ] && grep -q "$2" "$tmp/log"
	check $? "chapter $1: a report that cannot write $2 exits 1 and names it" \
		"exit $rc" "$(tail -2 "$tmp/log")"
	left=$(cd "$out" && ls -a | grep -e '\.tmp\.' -e "^chapter$1\.tex\$")
	[ -z "$left" ]
	check $? "chapter $1: and leaves no temporary file and no chapter$1.tex" "left: $left"
}
fails 1 chapter1-weights.png
fails 2 chapter2-miss-03.png
fails 3 chapter3.csv
fails 4 chapter4-maps1.png
[ -s "$tmp/out2/chapter2-miss-02.png" ] && [ ! -e "$tmp/out2/chapter2-miss-04.png" ]
check $? "chapter 2 failed midway: the pictures before the blocked one were written"

mkdir "$tmp/kind"
"$B/chapter2" report -m "$tmp/c1.model" -d "$tmp/kind" >"$tmp/log" 2>&1
rc=$?
[ $rc = 1 ] && grep -q 'expected a mlp model, found perceptron' "$tmp/log" && [ -z "$(ls -A "$tmp/kind")" ]
check $? "a perceptron given to chapter 2's report: exit 1, says so, writes nothing" \
	"exit $rc" "$(cat "$tmp/log")"

mkdir "$tmp/bad"
cp "$tmp/c1.model" "$tmp/bad/c1.model"
printf 'epoch,mistakes,valid_last,valid_averaged,seconds\n1,5,80.0,x,0\n' >"$tmp/bad/c1.csv"
"$B/chapter1" report -m "$tmp/bad/c1.model" -d "$tmp/bad/out" >"$tmp/log" 2>&1
rc=$?
[ $rc = 1 ] && grep -q 'c1.csv:2: expected 5 numbers' "$tmp/log" && [ -z "$(ls -A "$tmp/bad/out" 2>/dev/null)" ]
check $? "a learning curve with a bad line: exit 1, names file and line, writes nothing" \
	"exit $rc" "$(cat "$tmp/log")"
[ $failures -eq 0 ]

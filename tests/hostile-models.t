#!/bin/sh
# Models that are not what a command expects: every command that reads a model
# checks its kind and the metadata it reads, and fails with one line naming the
# file, what was expected and what was found, exit 1, no signal, nothing written.
. tests/tap.sh
program chapter1 6
B=${DIGITS_BIN:-bin}
"$B/chapter2" train -n 200 -e 1 -o "$tmp/c2.model" >/dev/null 2>&1
check $? "a small chapter 2 model trains (the model of another kind)"

"$B/chapter1" report --model "$tmp/c2.model" --out "$tmp/out" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ]; check $? "chapter1 report on an mlp model exits 1 (got $rc)" "$(cat "$tmp/err")"
grep -q "c2.model: expected a model of kind perceptron (chapter 1), found kind mlp (chapter 2)" "$tmp/err"
check $? "  naming the file and both kinds" "$(cat "$tmp/err")"
[ "$(wc -l <"$tmp/err")" -eq 1 ]; check $? "  in one line"
[ ! -e "$tmp/out" ]; check $? "  and writes nothing"
for c in 3 4; do
	"$B/chapter$c" report --model "$tmp/c2.model" --out "$tmp/out" >/dev/null 2>"$tmp/err$c"
done
[ ! -e "$tmp/out" ] && grep -q "kind mlp2 (chapter 3), found kind mlp" "$tmp/err3" \
	&& grep -q "kind cnn (chapter 4), found kind mlp" "$tmp/err4"
check $? "chapter3 and chapter4 report refuse it too, writing nothing" "$(cat "$tmp"/err3 "$tmp"/err4)"
[ $failures -eq 0 ]

#!/bin/sh
# Chapter 2's program: usage, errors, a short deterministic training run, eval.
. tests/tap.sh
program chapter2 13

"$P" --help >"$tmp/help" 2>&1
check $? "--help exits 0"
grep -q -- '--layers SIZES.*\[784-30-10\]' "$tmp/help" && grep -q -- '--eta X.*\[3.0\]' "$tmp/help" \
	&& grep -q -- '--batch N.*\[10\]' "$tmp/help" && grep -q -- '--epochs N.*\[30\]' "$tmp/help"
check $? "--help shows the defaults: 784-30-10, eta 3.0, batch 10, 30 epochs"

"$P" >/dev/null 2>&1; [ $? -eq 2 ]
check $? "no command: exit 2"
"$P" train --layers 785-30-10 >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] && grep -q 'first size must be 784' "$tmp/err"
check $? "--layers 785-30-10: exit 2, says the first size must be 784"
"$P" train --eta 3x >/dev/null 2>&1; [ $? -eq 2 ]
check $? "--eta 3x: exit 2"
"$P" train --kernels sse9 >/dev/null 2>&1; [ $? -eq 2 ]
check $? "--kernels sse9: exit 2"

SOURCE_DATE_EPOCH=0 "$P" train -n 3000 -e 2 -o "$tmp/a.model" >"$tmp/a.out" 2>&1
check $? "train on 3,000 images for 2 epochs runs"
[ -s "$tmp/a.model" ] && [ "$(wc -l <"$tmp/a.csv")" -eq 3 ] && head -1 "$tmp/a.csv" | grep -q '^epoch,cost,valid_accuracy,seconds$'
check $? "it writes the model and a learning curve with a header and 2 epochs"
SOURCE_DATE_EPOCH=0 "$P" train -n 3000 -e 2 -o "$tmp/b.model" >/dev/null 2>&1 && cmp -s "$tmp/a.model" "$tmp/b.model"
check $? "with SOURCE_DATE_EPOCH, the same seed gives the same model bytes"
"$P" eval "$tmp/a.model" >"$tmp/eval" 2>&1 && tail -1 "$tmp/eval" | grep -Eq '^test accuracy: [0-9]+\.[0-9]{2}% \([0-9]+/10000\)$'
check $? "eval prints the test accuracy line"
[ "$(tail -1 "$tmp/eval")" = "$(tail -1 "$tmp/a.out")" ]
check $? "eval of the saved model agrees with the accuracy train reported"
"$P" train -l 784-20-16-10 -n 2000 -e 1 -M per-example -o "$tmp/c.model" >/dev/null 2>&1 \
	&& "$P" eval "$tmp/c.model" 2>&1 | grep -q 'chapter 2'
check $? "two hidden layers, per-example method: trains, saves, and loads"
"$P" eval "$tmp/missing.model" >/dev/null 2>&1; [ $? -eq 1 ]
check $? "eval of a missing model: exit 1"
[ $failures -eq 0 ]

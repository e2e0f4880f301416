#!/bin/sh
# bin/chapter1 as a user meets it: --help, bad options, a missing data file,
# a deterministic short training run, and the eval line's format.
. tests/tap.sh
program chapter1 14

$P --help > "$tmp/help" 2>&1; rc=$?
check $rc "--help exits 0"
grep -q -- '--epochs N .*\[10\]' "$tmp/help"; check $? "--help shows the default epochs [10]" "$(head -c 300 "$tmp/help")"
grep -q -- '--seed N .*\[1\]' "$tmp/help"; check $? "--help shows the default seed [1]"

$P train --bogus > "$tmp/out" 2>&1; rc=$?
[ $rc = 2 ]; check $? "an unknown option exits 2 (got $rc)"
grep -q "unknown option '--bogus'" "$tmp/out"; check $? "and names the option" "$(cat "$tmp/out")"

$P train --epochs 12x > "$tmp/out" 2>&1; rc=$?
[ $rc = 2 ] && grep -q "expected an integer from 1 to 1000, found '12x'" "$tmp/out"
check $? "--epochs 12x exits 2 saying what was expected (rc $rc)" "$(cat "$tmp/out")"

$P frobnicate > "$tmp/out" 2>&1; rc=$?
[ $rc = 2 ]; check $? "an unknown command exits 2"

mkdir "$tmp/nodata"
DIGITS_DATA=$tmp/nodata $P train -o "$tmp/x.model" > "$tmp/out" 2>&1; rc=$?
[ $rc = 1 ]; check $? "a missing data file exits 1 (got $rc)"
grep -q "nodata/train-images-idx3-ubyte: cannot open" "$tmp/out" && grep -q 'make data' "$tmp/out"
check $? "naming the missing file and how to get it" "$(cat "$tmp/out")"
[ ! -e "$tmp/x.model" ]; check $? "and writes no model"

SOURCE_DATE_EPOCH=0 $P train --epochs 1 --seed 3 -o "$tmp/a.model" > "$tmp/train.out" 2>&1
SOURCE_DATE_EPOCH=0 $P train --epochs 1 --seed 3 -o "$tmp/b.model" > /dev/null 2>&1
cmp -s "$tmp/a.model" "$tmp/b.model"; check $? "the same seed gives the same model file, byte for byte"
[ -s "$tmp/a.csv" ] && head -1 "$tmp/a.csv" | grep -q '^epoch,mistakes,valid_last,valid_averaged,seconds$'
check $? "training writes the learning curve beside the model" "$(head -2 "$tmp/a.csv" 2>&1)"

$P eval "$tmp/a.model" > "$tmp/eval.out" 2>&1
last=$(tail -n 1 "$tmp/eval.out")
echo "$last" | grep -Eq '^test accuracy: [0-9]{2}\.[0-9]{2}% \([0-9]+/10000\)$'
check $? "eval's last line is 'test accuracy: NN.NN% (K/10000)'" "$last"
acc=$(echo "$last" | sed 's/test accuracy: \([0-9]*\)\..*/\1/')
[ "${acc:-0}" -ge 88 ]; check $? "one epoch of the averaged perceptron gets at least 88% ($last)"

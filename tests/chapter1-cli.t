#!/bin/sh
# bin/chapter1 as a user meets it: --help, bad options, a missing data file,
# a deterministic short training run, and the eval line's format.
BIN=${DIGITS_BIN:-bin}
P=$BIN/chapter1
T=$(mktemp -d "${TMPDIR:-/tmp}/digits-ch1.XXXXXX")
trap 'rm -rf "$T"' EXIT
. tests/tap.sh
echo 1..14

$P --help > "$T/help" 2>&1; rc=$?
check $rc "--help exits 0"
grep -q -- '--epochs N .*\[10\]' "$T/help"; check $? "--help shows the default epochs [10]" "$(head -c 300 "$T/help")"
grep -q -- '--seed N .*\[1\]' "$T/help"; check $? "--help shows the default seed [1]"

$P train --bogus > "$T/out" 2>&1; rc=$?
[ $rc = 2 ]; check $? "an unknown option exits 2 (got $rc)"
grep -q "unknown option '--bogus'" "$T/out"; check $? "and names the option" "$(cat "$T/out")"

$P train --epochs 12x > "$T/out" 2>&1; rc=$?
[ $rc = 2 ] && grep -q "expected an integer from 1 to 1000, found '12x'" "$T/out"
check $? "--epochs 12x exits 2 saying what was expected (rc $rc)" "$(cat "$T/out")"

$P frobnicate > "$T/out" 2>&1; rc=$?
[ $rc = 2 ]; check $? "an unknown command exits 2"

mkdir "$T/nodata"
DIGITS_DATA=$T/nodata $P train -o "$T/x.model" > "$T/out" 2>&1; rc=$?
[ $rc = 1 ]; check $? "a missing data file exits 1 (got $rc)"
grep -q "nodata/train-images-idx3-ubyte: cannot open" "$T/out" && grep -q 'make data' "$T/out"
check $? "naming the missing file and how to get it" "$(cat "$T/out")"
[ ! -e "$T/x.model" ]; check $? "and writes no model"

SOURCE_DATE_EPOCH=0 $P train --epochs 1 --seed 3 -o "$T/a.model" > "$T/train.out" 2>&1
SOURCE_DATE_EPOCH=0 $P train --epochs 1 --seed 3 -o "$T/b.model" > /dev/null 2>&1
cmp -s "$T/a.model" "$T/b.model"; check $? "the same seed gives the same model file, byte for byte"
[ -s "$T/a.csv" ] && head -1 "$T/a.csv" | grep -q '^epoch,mistakes,valid_last,valid_averaged,seconds$'
check $? "training writes the learning curve beside the model" "$(head -2 "$T/a.csv" 2>&1)"

$P eval "$T/a.model" > "$T/eval.out" 2>&1
last=$(tail -n 1 "$T/eval.out")
echo "$last" | grep -Eq '^test accuracy: [0-9]{2}\.[0-9]{2}% \([0-9]+/10000\)$'
check $? "eval's last line is 'test accuracy: NN.NN% (K/10000)'" "$last"
acc=$(echo "$last" | sed 's/test accuracy: \([0-9]*\)\..*/\1/')
[ "${acc:-0}" -ge 88 ]; check $? "one epoch of the averaged perceptron gets at least 88% ($last)"

#!/bin/sh
# Chapter 4's program: usage, errors, missing data, a short deterministic
# training run (the same bytes on one thread and two), eval.
. tests/tap.sh
program chapter4 13

"$P" --help >"$tmp/help" 2>&1
check $? "--help exits 0"
grep -q -- '--channels C1,C2.*\[16,32\]' "$tmp/help" && grep -q -- '--kernel K.*\[5\]' "$tmp/help" \
	&& grep -q -- '--augment on|off.*\[on\]' "$tmp/help" && grep -q -- '--epochs N.*\[12\]' "$tmp/help"
check $? "--help shows the defaults: 16,32 kernels of 5x5, augmentation on, 12 epochs"

"$P" >/dev/null 2>&1; [ $? -eq 2 ]
check $? "no command: exit 2"
"$P" train --channels 16 >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] && grep -q 'expected two counts' "$tmp/err"
check $? "--channels 16: exit 2, says two counts are expected"
"$P" train --augment maybe >/dev/null 2>&1; [ $? -eq 2 ]
check $? "--augment maybe: exit 2"
"$P" train --frobnicate >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] && grep -q "unknown option '--frobnicate'" "$tmp/err"
check $? "an unknown option: exit 2, named"
DIGITS_DATA="$tmp/nowhere" "$P" train -n 100 -e 1 -o "$tmp/x.model" >/dev/null 2>"$tmp/err"; [ $? -eq 1 ] \
	&& grep -q 'make data' "$tmp/err"
check $? "missing MNIST: exit 1 with a hint to run make data"

run() {  # run THREADS MODEL
	SOURCE_DATE_EPOCH=0 OMP_NUM_THREADS=$1 "$P" train -c 4,8 -H 16 -n 1000 -e 2 -b 50 -o "$2"
}
run 2 "$tmp/a.model" >"$tmp/a.out" 2>&1
check $? "train a small network on 1,000 images for 2 epochs"
[ -s "$tmp/a.model" ] && [ "$(wc -l <"$tmp/a.csv")" -eq 3 ] \
	&& head -1 "$tmp/a.csv" | grep -q '^epoch,cost,train_accuracy,valid_accuracy,eta,seconds$'
check $? "it writes the model and a learning curve with a header and 2 epochs"
run 1 "$tmp/b.model" >/dev/null 2>&1 && cmp -s "$tmp/a.model" "$tmp/b.model"
check $? "with SOURCE_DATE_EPOCH, the same seed gives the same model bytes on 2 threads and on 1"
"$P" eval "$tmp/a.model" >"$tmp/eval" 2>&1 && tail -1 "$tmp/eval" | grep -Eq '^test accuracy: [0-9]+\.[0-9]{2}% \([0-9]+/10000\)$' \
	&& grep -q 'chapter 4, convolutional network' "$tmp/eval"
check $? "eval prints the kind and the test accuracy line"
[ "$(tail -1 "$tmp/eval")" = "$(tail -1 "$tmp/a.out")" ]
check $? "eval of the saved model agrees with the accuracy train reported"
"$P" eval "$tmp/missing.model" >/dev/null 2>&1; [ $? -eq 1 ]
check $? "eval of a missing model: exit 1"
[ $failures -eq 0 ]

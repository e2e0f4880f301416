#!/bin/sh
# Chapter 5's program: usage, errors, a report without models or samples, bench's
# arguments, eval of a missing model, --channels parsed strictly; a small committee
# trained, evaluated, refused where it is not a committee; the pen members' votes,
# chosen and given.
. tests/tap.sh
program chapter5 16

"$P" --help >"$tmp/help" 2>&1
check $? "--help exits 0"
grep -q -- 'report \[OPTIONS\]' "$tmp/help" && grep -q -- '--out DIR.*\[book/gen\]' "$tmp/help"
check $? "--help lists report and its options with their defaults"
"$P" >/dev/null 2>&1; [ $? -eq 2 ]
check $? "no command: exit 2"
"$P" frobnicate >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] && grep -q "unknown command 'frobnicate'" "$tmp/err"
check $? "an unknown command: exit 2, named"
"$P" report --frobnicate >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] && grep -q "unknown option '--frobnicate'" "$tmp/err"
check $? "an unknown option of report: exit 2, named"
mkdir "$tmp/empty" "$tmp/out"
"$P" report --model "$tmp/empty/chapter5.model" --out "$tmp/out" >/dev/null 2>"$tmp/err"; [ $? -eq 1 ] \
	&& grep -q "no models to judge with: run \`make models'" "$tmp/err" && [ ! -e "$tmp/out/chapter5.tex" ]
check $? "report with no models beside --model: exit 1, says how to make them, writes nothing"
"$P" bench extra >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] && grep -q "bench takes no arguments" "$tmp/err"
check $? "bench with an argument: exit 2"
"$P" eval "$tmp/missing.model" >/dev/null 2>&1; [ $? -eq 1 ]
check $? "eval of a missing model: exit 1"
"$P" train --channels 16,32x -o "$tmp/x.model" >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] \
	&& grep -q -- "--channels: expected two counts from 1 to [0-9]*.*found '16,32x'" "$tmp/err" \
	&& [ ! -e "$tmp/x.model" ]
check $? "train --channels 16,32x: strictly parsed, exit 2, nothing written"
"$P" train --members 13 -o "$tmp/c.model" >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] \
	&& grep -q -- "--members: expected an integer from 1 to 12, found .13." "$tmp/err" && [ ! -e "$tmp/c.model" ]
check $? "train --members 13: more than a committee holds, exit 2, nothing written"
"$P" train -k 2 -e 1 -n 300 -o "$tmp/c.model" >"$tmp/train" 2>&1
[ $? -eq 0 ] && [ -s "$tmp/c.model" ] && [ "$(grep -c '^[12],1,' "$tmp/c.csv")" -eq 2 ]
check $? "a committee of two trains for an epoch each: model, and one curve line per member" \
	"$(tail -3 "$tmp/train")"
"$P" eval "$tmp/c.model" >"$tmp/eval" 2>&1 && grep -q 'chapter 5, committee of networks' "$tmp/eval" \
	&& grep -q "test accuracy: $(sed -n 's/^committee of 2: validation .*, test \([0-9.]*\)%$/\1/p' "$tmp/train")%" "$tmp/eval"
check $? "eval reads it back as chapter 5's committee, with the accuracy train printed" "$(cat "$tmp/eval")"
B=${DIGITS_BIN:-bin}
"$B/chapter4" report --model "$tmp/c.model" --out "$tmp/out4" >/dev/null 2>"$tmp/err"; [ $? -eq 1 ] \
	&& grep -q "expected a model of kind cnn (chapter 4), found kind committee (chapter 5)" "$tmp/err" \
	&& [ ! -e "$tmp/out4" ]
check $? "chapter 4's report refuses the committee in one line, writing nothing" "$(cat "$tmp/err")"
small="-c 4,8 -H 16 -e 1 -n 300"
"$P" train -k 3 -q 1 $small -o "$tmp/v.model" >"$tmp/votes" 2>&1
line=$(grep "^pen members' votes x" "$tmp/votes")
echo "$line" | awk '{ w = substr($4, 2) + 0; v = $6 + 0; e = substr($7, 2) + 0
	exit !(w >= 1 && w <= 3 && v >= e) }'
check $? "one pen member of three: a vote from 1 to 3 chosen, reading MNIST's validation \
digits no worse than equal votes" "$line"
"$P" train -k 2 -q 1 -w 2 $small -o "$tmp/w.model" >"$tmp/votes" 2>&1
grep -q "^pen members' votes x2.0: " "$tmp/votes"
check $? "--pen-votes 2: the pen member's vote is taken as given" "$(tail -3 "$tmp/votes")"
"$P" train --pen-votes 4 -o "$tmp/x.model" >/dev/null 2>"$tmp/err"; [ $? -eq 2 ] \
	&& grep -q -- "--pen-votes: expected" "$tmp/err" && [ ! -e "$tmp/x.model" ]
check $? "--pen-votes 4: more than PEN_VOTES_MAX, exit 2, nothing written" "$(cat "$tmp/err")"
[ $failures -eq 0 ]

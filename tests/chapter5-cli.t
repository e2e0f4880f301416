#!/bin/sh
# Chapter 5's program: usage, errors, a report without models or samples, bench's
# arguments, eval of a missing model.
. tests/tap.sh
program chapter5 8

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
[ $failures -eq 0 ]

#!/bin/sh
# The app without a window (chapter 6): --classify on the sample drawings, the
# documented messages for a malformed strokes file, missing models and no display.
BIN=${DIGITS_BIN:-bin}
[ -x "$BIN/digits" ] || { echo "1..0 # SKIP $BIN/digits is not built (make chapter6)"; exit 0; }
[ -f models/chapter1.model ] || { echo "1..0 # SKIP no models/chapter1.model (make models)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..11"
. tests/tap.sh

"$BIN/digits" --classify assets/strokes/*.strokes > "$tmp/out" 2> "$tmp/err"
check $? "--classify of the 20 sample drawings exits with status 0"
nmodels=$(ls models/chapter[0-9].model | wc -l)
lines=$(wc -l < "$tmp/out")
[ "$lines" -eq $((20 * nmodels)) ]; check $? "one line per file and model ($lines lines, $nmodels models)"
! grep -Pqv '^assets/strokes/[0-9]-[ab]\.strokes\t[a-z0-9_-]+\t[0-9]\t[01]\.[0-9]{4}$' "$tmp/out"
check $? "every line is path<TAB>model<TAB>digit<TAB>score"
wrong=$(awk -F'\t' '{ split($1, p, "/"); if (substr(p[3], 1, 1) != $3) print $1 " as " $3 " by " $2 }' "$tmp/out")
[ -z "$wrong" ]; check $? "every model reads every sample right${wrong:+: wrong: $wrong}"

printf '0.1 0.2\n0.3 0.4\n\n0.5 oops\n' > "$tmp/bad.strokes"
"$BIN/digits" --classify "$tmp/bad.strokes" assets/strokes/7-a.strokes > "$tmp/out" 2> "$tmp/err"
status=$?
[ $status -eq 1 ] && grep -q "^digits: $tmp/bad.strokes:4: expected two numbers x y in \[0,1\], found '0.5 oops'\$" "$tmp/err"
check $? "a malformed file is an error naming the file and line, exit status 1 ($status: $(head -1 "$tmp/err"))"
grep -q '^assets/strokes/7-a.strokes' "$tmp/out"; check $? "and the good files after it are still judged"

"$BIN/digits" --classify "$tmp/none.strokes" > /dev/null 2> "$tmp/err"
[ $? -eq 1 ] && grep -q "none.strokes: cannot open" "$tmp/err"; check $? "a missing file is named"

mkdir "$tmp/empty"
"$BIN/digits" --models "$tmp/empty" --classify assets/strokes/7-a.strokes > "$tmp/out" 2> "$tmp/err"
status=$?
[ $status -eq 1 ] && grep -q "chapter 1 (averaged perceptron): not trained: run \`make models/chapter1.model'" "$tmp/err" &&
    grep -q "no models to judge with: run \`make models'" "$tmp/err"
check $? "missing models: each says how to make it, and with none the exit status is 1"

env -u DISPLAY -u WAYLAND_DISPLAY "$BIN/digits" > "$tmp/out" 2> "$tmp/err"
status=$?
[ $status -eq 1 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q "^digits: cannot open a window, no display" "$tmp/err"
check $? "without a display: one line, exit status 1 ($status: $(cat "$tmp/err"))"

env -u DISPLAY -u WAYLAND_DISPLAY "$BIN/digits" --strokes assets/strokes/7-a.strokes --screenshot "$tmp/s.png" 2> "$tmp/err"
[ $? -eq 1 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && [ ! -e "$tmp/s.png" ]
check $? "--screenshot without a display: the same one line, no picture"

"$BIN/digits" --size 12 2> "$tmp/err"
[ $? -eq 2 ] && grep -q "size: expected WxH" "$tmp/err"; check $? "a bad option value is a usage error, exit status 2"

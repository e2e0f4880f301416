#!/bin/sh
# Teaching the app your handwriting (chapter 6), with real X events under Xvfb:
# digit keys label the drawing into the personal set (new files, never
# overwritten); F fine-tunes a copy of the CNN on it in the background while the
# window keeps drawing and judging (frames counted), and the copy reads the
# held-out drawings better; a fine-tune that fails, or is interrupted by kill,
# leaves the models folder as it was.  Models are copied into a scratch folder.
# ASAN_OPTIONS=detect_leaks=0: Mesa's GL driver leaks under SANITIZE=1, not us.
. tests/xdrive.sh
x_test chapter4.model
echo "1..8"
. tests/tap.sh
mkdir "$tmp/models"
cp models/chapter4.model "$tmp/models/" && cp models/chapter4.model "$tmp/original.model"
export DIGITS_TUNE_HOLD="$tmp/hold"
opts="--models $tmp/models --save-dir $tmp/saved --tune-mnist 500 --tune-test 1000"
untouched() { cmp -s "$tmp/models/chapter4.model" "$tmp/original.model" && [ "$(ls -A "$tmp/models" | wc -l)" -eq "$1" ]; }

"$BIN/digits" --finetune $opts > "$tmp/o" 2> "$tmp/e"
status=$?
[ $status -eq 1 ] && grep -q "fine-tuning failed: .*personal" "$tmp/e" && untouched 1
check $? "a fine-tune that fails (no personal set yet) says why, exits 1, leaves the models as they were" \
    "status $status: $(cat "$tmp/e")" "$(ls -A "$tmp/models")"

app_start_or_bail $opts
drag assets/strokes/4-a.strokes
xdotool key --window "$wid" 4
wait_for '^# labelled' 1
xdotool key --window "$wid" 4
wait_for '^# labelled' 2
p1=$(grep '^# labelled' "$tmp/out" | sed -n 1p | cut -d' ' -f3)
p2=$(grep '^# labelled' "$tmp/out" | sed -n 2p | cut -d' ' -f3)
[ "$p1" = "$tmp/saved/personal/4-0001.strokes" ] && [ "$p2" = "$tmp/saved/personal/4-0002.strokes" ] &&
    [ -s "$p1" ] && [ -s "$p2" ]
check $? "key 4 labels the drawing into the personal set, twice without overwriting ($p1, $p2)"
"$BIN/digits" --models models --classify "$p1" | cut -f3 | sort -u > "$tmp/labelled"
[ "$(cat "$tmp/labelled")" = 4 ]
check $? "the labelled file holds the drawing: every model reads it as a 4" "$(cat "$tmp/labelled")"

"$BIN/digits" --styled-set $opts > /dev/null
# The job waits at the start of its training while $tmp/hold exists (DIGITS_TUNE_HOLD), so
# that it is surely still running while the window is used and while it is killed.
ended='^# tuned \|^# tuning stopped\|^# tuning failed'
: > "$tmp/hold"
xdotool key --window "$wid" c key --window "$wid" f
wait_for '^# tuning stage training' 1 900
drag assets/strokes/7-a.strokes
judged=$(grep -c '^canvas' "$tmp/out")
rm -f "$tmp/hold"
wait_for "$ended" 1 900
set -- $(grep '^# tuned ' "$tmp/out")
[ "$2" = tuned ] && awk -v a="$7" -v b="$6" 'BEGIN { exit !(a > b) }'
check $? "the fine-tuned model reads the held-out drawings better (${6:-?} -> ${7:-?} of ${5:-?})" \
    "$(grep '^# tun' "$tmp/out")" "$(tail -3 "$tmp/err")"
tuned_at=$(grep -n '^# tuned ' "$tmp/out" | cut -d: -f1)
last_verdict=$(grep -n '^canvas' "$tmp/out" | sed -n "${judged}p" | cut -d: -f1)
[ -n "$tuned_at" ] && [ -n "$last_verdict" ] && [ "$last_verdict" -lt "$tuned_at" ] && [ "${12:-0}" -ge 20 ]
check $? "meanwhile the window drew ${12:-?} frames and judged a drawing ($judged verdict lines before it ended)"
[ -s "$tmp/models/chapter4-tuned-001.model" ] && untouched 2
check $? "the new model is a new file, chapter4-tuned-001.model; chapter4.model is untouched" \
    "$(ls -A "$tmp/models")"

: > "$tmp/hold"
xdotool key --window "$wid" f
wait_for '^# tuning stage training' 2 900
kill -TERM $app
wait $app
status=$?
[ $status -eq 1 ] && grep -q '^# tuning stopped' "$tmp/out"
check $? "kill during a second fine-tune: it stops, the app exits with status 1 ($status)" \
    "$(grep '^# tun' "$tmp/out")"
untouched 2
check $? "and nothing is written: no second model, no temporary file, chapter4.model untouched" \
    "$(ls -A "$tmp/models")"
exit 0

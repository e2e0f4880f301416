#!/bin/sh
# The inside view (chapter 6), driven with real X events under Xvfb: key I turns
# it on (the canvas moves over and the frame fills with the networks' views);
# each stroke dragged with xdotool changes what it shows; pointing at another
# network's section moves the saliency map to that network; I turns it off.
# What a frame showed comes from the app itself (--print-predictions reads the
# frame back: how many pixels right of the canvas are coloured, a hash, and
# whether the frame, drawn only where it changed, equals the frame drawn whole).
# ASAN_OPTIONS=detect_leaks=0: Mesa's GL driver leaks under SANITIZE=1, not us.
. tests/xdrive.sh
x_test chapter2.model chapter4.model
echo "1..8"
. tests/tap.sh
frame() { grep '^# frame' "$tmp/out" | sed -n "${1}p"; }     # frame N's line
field() { echo "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }

app_start_or_bail --size 1000x640 --save-dir "$tmp/saved"
check $? "the window opened ($cx,$cy, side $side)" "$(cat "$tmp/err")"
old_side=$side

drag assets/strokes/4-a.strokes 1 1 && wait_for '^# frame' 1
f1=$(frame 1)
xdotool key --window "$wid" i
wait_for '^# frame' 2 && wait_for '^# canvas' 2
f2=$(frame 2)
canvas_at
[ "$(field "$f1" inside)" = 0 ] && [ "$(field "$f2" inside)" = 1 ] && [ "$side" -lt "$old_side" ] &&
    [ "$(field "$f2" coloured)" -gt $(($(field "$f1" coloured) + 2000)) ]
check $? "I shows the inside view: the canvas shrinks ($old_side to $side) and the coloured pixels beside it grow" \
    "before: $f1" "after:  $f2"

xdotool key --window "$wid" c
drag assets/strokes/4-a.strokes 1 1 && wait_for '^# frame' 3
f3=$(frame 3)
drag assets/strokes/4-a.strokes 2 2 && wait_for '^# frame' 4
f4=$(frame 4)
[ "$(field "$f3" hash)" != "$(field "$f2" hash)" ] && [ "$(field "$f4" hash)" != "$(field "$f3" hash)" ]
check $? "each stroke added changes the inside view" "$f2" "$f3" "$f4"
[ "$(field "$f4" saliency)" = 4 ]
check $? "the saliency map is the best network's (chapter 4) at first" "$f4"

nmodels=$(ls models/chapter[0-9].model | wc -l)
! grep '^canvas' "$tmp/out" | tail -n "$nmodels" | cut -f3 | grep -qv '^4$'
check $? "while the inside view is on the verdicts go on: every model reads the 4" \
    "$(grep '^canvas' "$tmp/out" | tail -n "$nmodels" | tr '\t' ' ')"

set -- $(grep '^# section 2 ' "$tmp/out" | tail -1)
xdotool mousemove --window "$wid" $(($4 + $6 / 2)) $(($5 + $7 / 2))
wait_for '^# frame' 5
f5=$(frame 5)
[ "$(field "$f5" saliency)" = 2 ] && [ "$(field "$f5" hash)" != "$(field "$f4" hash)" ]
check $? "pointing at chapter 2's section moves the saliency map to chapter 2" "$f5"

xdotool key --window "$wid" i
wait_for '^# frame' 6
[ "$(field "$(frame 6)" inside)" = 0 ]
check $? "I again goes back to the verdicts" "$(frame 6)"
! grep '^# frame' "$tmp/out" | grep -qv ' whole 1$'
check $? "every frame drawn where it changed is the frame drawn whole" \
    "$(grep '^# frame' "$tmp/out" | grep -v ' whole 1$')"
xdotool key --window "$wid" q 2>/dev/null
wait $app

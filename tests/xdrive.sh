# Driving the app's window with real X events (xdotool under Xvfb), sourced by
# the window tests from the top of the repository: . tests/xdrive.sh
# The caller has set $tmp (a fresh directory) and $BIN, and runs under Xvfb.
#
# app_start ARGS...: start $BIN/digits --print-predictions ARGS in the
#   background, output in $tmp/out, errors in $tmp/err; $app is its pid, $wid
#   its window once it has said where its canvas is (0 on success).
# wait_for PATTERN COUNT [SECONDS]: until $tmp/out has COUNT lines matching PATTERN
#   (SECONDS at most, 20 by default).
# canvas_at: set cx, cy, side from the latest "# canvas" line.
# drag FILE [FIRST [LAST]]: drag strokes FIRST..LAST (from 1; all by default) of
#   the strokes file FILE onto the canvas, one xdotool command per stroke, each
#   waiting for the app's verdict on it; $lines counts the strokes dragged.
lines=0
wait_for() {
    i=0
    while [ "$(grep -c "$1" "$tmp/out")" -lt "$2" ] && [ $i -lt $((${3:-20} * 10)) ]; do
        sleep 0.1; i=$((i + 1))
    done
    [ "$(grep -c "$1" "$tmp/out")" -ge "$2" ]
}
canvas_at() {
    # shellcheck disable=SC2046
    set -- $(grep '^# canvas' "$tmp/out" | tail -1)
    cx=$3 cy=$4 side=$5
}
app_start() {
    "$BIN/digits" --print-predictions "$@" > "$tmp/out" 2> "$tmp/err" &
    app=$!
    wait_for '^# canvas' 1 || return 1
    wid=$(xdotool search --sync --name '^Digits' | head -1)
    canvas_at
    [ -n "$wid" ] && [ -n "$side" ]
}
drag() {
    awk -v cx="$cx" -v cy="$cy" -v s="$side" -v w="$wid" -v first="${2:-1}" -v last="${3:-999999}" '
        /^#/ { next }
        NF == 0 { if (cmd != "") { k++; if (k >= first && k <= last) print cmd " mouseup 1" }
                  cmd = ""; next }
        { x = int(cx + $1 * s + 0.5); y = int(cy + $2 * s + 0.5)
          if (cmd == "") cmd = "mousemove --window " w " " x " " y " mousedown 1"
          else cmd = cmd " mousemove --window " w " " x " " y }
        END { if (cmd != "") { k++; if (k >= first && k <= last) print cmd " mouseup 1" } }' \
        "$1" > "$tmp/drag"
    while read -r cmd; do
        lines=$((lines + 1))
        # shellcheck disable=SC2086
        xdotool $cmd
        wait_for '^canvas' "$lines" || return 1
    done < "$tmp/drag"
}

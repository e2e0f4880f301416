# Driving the app's window with real X events (xdotool under Xvfb), sourced by
# the window tests from the top of the repository: . tests/xdrive.sh
#
# x_test MODEL...: the start of a window test: skip it unless xvfb-run, xdotool,
#   $BIN/digits and each models/MODEL are there; run the test again under Xvfb;
#   then $tmp is a fresh directory, removed on exit (unless $KEEP is set) after
#   the app ($app) is killed.  ASAN_OPTIONS gets detect_leaks=0: under
#   SANITIZE=1, Mesa's GL driver reports leaks that are not ours.
# app_start ARGS...: start $BIN/digits --print-predictions ARGS in the
#   background, output in $tmp/out, errors in $tmp/err; $app is its pid, $wid
#   its window once it has said where its canvas is (0 on success; 60 s at most).
# app_start_or_bail ARGS...: app_start, or else "Bail out!" with the app's last
#   errors and exit 1 (the rest of the test needs the window).
# wait_for PATTERN COUNT [SECONDS]: until $tmp/out has COUNT lines matching PATTERN
#   (SECONDS at most, 20 by default).
# canvas_at: set cx, cy, side from the latest "# canvas" line.
# drag FILE [FIRST [LAST]]: drag strokes FIRST..LAST (from 1; all by default) of
#   the strokes file FILE onto the canvas, one xdotool command per stroke, each
#   waiting for the app's verdict on it; $lines counts the strokes dragged.
BIN=${DIGITS_BIN:-bin}
x_test() {
    command -v xvfb-run >/dev/null || { echo "1..0 # SKIP xvfb-run is not installed"; exit 0; }
    command -v xdotool >/dev/null || { echo "1..0 # SKIP xdotool is not installed"; exit 0; }
    [ -x "$BIN/digits" ] || { echo "1..0 # SKIP $BIN/digits is not built (make chapter6)"; exit 0; }
    for m in "$@"; do
        [ -f "models/$m" ] || { echo "1..0 # SKIP no models/$m (make models)"; exit 0; }
    done
    if [ -z "$DIGITS_UNDER_XVFB" ]; then
        DIGITS_UNDER_XVFB=1 exec xvfb-run -a -s '-screen 0 1280x800x24' "$0"
    fi
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/digits-window.XXXXXX")
    trap 'kill $app 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
}
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
    : > "$tmp/out"
    "$BIN/digits" --print-predictions "$@" >> "$tmp/out" 2> "$tmp/err" &
    app=$!
    wait_for '^# canvas' 1 60 || return 1
    wid=$(xdotool search --sync --name '^Digits' | head -1)
    canvas_at
    [ -n "$wid" ] && [ -n "$side" ]
}
app_start_or_bail() {
    app_start "$@" && return 0
    echo "Bail out! $BIN/digits did not open its window: $(tail -2 "$tmp/err" | tr '\n' ' ')"
    exit 1
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

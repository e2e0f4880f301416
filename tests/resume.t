#!/bin/sh
# Stopping and resuming training: Ctrl-C (SIGINT) and SIGTERM leave the previous
# model and curve as they were and no temporary file, and say how to resume;
# train --resume then saves the same model file as a run never interrupted.
# A full disk (here: a file size limit) replaces neither the model nor its curve.
# Chapters 3, 4 and 5 (the committee) keep checkpoints; chapter 1 does not.
. tests/tap.sh
program chapter3 19
B=${DIGITS_BIN:-bin}
export SOURCE_DATE_EPOCH=0

# interrupt SIGNAL PROGRAM MODEL ARGS...: run PROGRAM train ARGS -o MODEL with the
# signal's default action (a background job of a script ignores SIGINT), send
# SIGNAL once its first checkpoint is there (or its first epoch line, without
# checkpoints), and leave its exit status in $rc.
interrupt() {
	sig=$1 prog=$2 model=$3; shift 3
	: >"$tmp/run.out"; : >"$tmp/run.err"   # not the last run's epoch lines
	perl -e '$SIG{INT}="DEFAULT"; exec @ARGV' "$B/$prog" train "$@" -o "$model" \
		>"$tmp/run.out" 2>"$tmp/run.err" &
	pid=$!
	i=0
	while [ $i -lt 2400 ] && kill -0 $pid 2>/dev/null && [ ! -e "${model%.model}.ckpt" ] \
		&& ! grep -q '^epoch *1' "$tmp/run.out"; do sleep 0.05; i=$((i + 1)); done
	kill -$sig $pid
	wait $pid 2>/dev/null; rc=$?
}
temporaries() { ls "$tmp" | grep -c '\.tmp\.'; }

old() {  # a previous model and curve at $1.model/.csv, and copies to compare with
	cp tests/hostile/perceptron-zeros.model "$1.model"
	echo "a previous learning curve" >"$1.csv"
	cp "$1.model" "$1.model.was"; cp "$1.csv" "$1.csv.was"
}
intact() { cmp -s "$1.model" "$1.model.was" && cmp -s "$1.csv" "$1.csv.was"; }

args3="-l 784-300-10 -n 20000 -e 6"
"$B/chapter3" train $args3 -o "$tmp/a.model" >/dev/null 2>&1
check $? "chapter 3: an uninterrupted run of 6 epochs"
old "$tmp/b"
interrupt INT chapter3 "$tmp/b.model" $args3
[ $rc -eq 130 ]; check $? "Ctrl-C stops it as SIGINT does (status 130, got $rc)" "$(cat "$tmp/run.err")"
intact "$tmp/b" && [ "$(temporaries)" -eq 0 ]
check $? "the previous model and curve are as they were, and no temporary file is left" "$(ls "$tmp")"
grep -q "interrupted (SIGINT) after [1-5] epochs*: .*b.model and .*b.csv are as they were; .*b.ckpt holds epoch [1-5]; resume with: chapter3 train --resume -o .*b.model$" "$tmp/run.err"
check $? "it says what was kept and how to resume" "$(cat "$tmp/run.err")"
"$B/chapter3" train --resume -o "$tmp/b.model" >"$tmp/resume.out" 2>&1
check $? "train --resume runs" "$(tail -3 "$tmp/resume.out")"
cmp -s "$tmp/a.model" "$tmp/b.model" && cmp -s "$tmp/a.csv" "$tmp/b.csv"
check $? "and saves the same model file and learning curve as the uninterrupted run"
[ ! -e "$tmp/b.ckpt" ] && [ "$(temporaries)" -eq 0 ]
check $? "the checkpoint is gone once the model is saved" "$(ls "$tmp")"

"$B/chapter3" train --resume -o "$tmp/b.model" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "b.ckpt: cannot open.*nothing to resume" "$tmp/err"
check $? "--resume without a checkpoint: exit 1, says there is nothing to resume" "$(cat "$tmp/err")"
"$B/chapter3" train --resume --eta 0.5 >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "resume continues with the options of the interrupted run, found '--eta'" "$tmp/err"
check $? "--resume with other options: exit 2" "$(cat "$tmp/err")"

args4="-c 8,16 -H 32 -n 6000 -e 4"
P4=$B/chapter4
"$P4" train $args4 -o "$tmp/c.model" >/dev/null 2>&1
check $? "chapter 4: an uninterrupted run of 4 epochs"
old "$tmp/d"
interrupt TERM chapter4 "$tmp/d.model" $args4
[ $rc -eq 143 ] && intact "$tmp/d" && [ "$(temporaries)" -eq 0 ]
check $? "SIGTERM stops it (status 143, got $rc), the previous files intact, no temporary file" \
	"$(cat "$tmp/run.err")"
head -c 1000 "$tmp/d.ckpt" >"$tmp/e.ckpt"; cp "$tmp/d.model" "$tmp/e.model"
"$P4" train --resume -o "$tmp/e.model" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "e.ckpt: truncated" "$tmp/err" && cmp -s "$tmp/e.model" "$tmp/d.model.was"
check $? "a damaged checkpoint is refused: exit 1, named, the model untouched" "$(cat "$tmp/err")"
"$P4" train --resume -o "$tmp/d.model" >/dev/null 2>&1 && cmp -s "$tmp/c.model" "$tmp/d.model" \
	&& cmp -s "$tmp/c.csv" "$tmp/d.csv"
check $? "train --resume saves the same chapter 4 model and curve as the uninterrupted run"

# The committee (chapter 5): stopped in its third member, which trains on images
# redrawn with the pen, after two members are done, the first on images distorted
# elastically.
args5="-k 3 -c 4,8 -H 16 -n 3000 -e 3 -q 1 -x 1"
"$B/chapter5" train $args5 -o "$tmp/h.model" >/dev/null 2>&1
old "$tmp/i"
: >"$tmp/run.out"
perl -e '$SIG{INT}="DEFAULT"; exec @ARGV' "$B/chapter5" train $args5 -o "$tmp/i.model" \
	>"$tmp/run.out" 2>"$tmp/run.err" &
pid=$!
i=0
while [ $i -lt 12000 ] && kill -0 $pid 2>/dev/null && ! grep -q '^member 3  epoch   1' "$tmp/run.out"
do sleep 0.05; i=$((i + 1)); done
kill -INT $pid; wait $pid 2>/dev/null; rc=$?
[ $rc -eq 130 ] && intact "$tmp/i" && [ "$(temporaries)" -eq 0 ] && [ -s "$tmp/i.ckpt" ]
check $? "chapter 5: Ctrl-C in the committee's third member keeps the previous files and a checkpoint" \
	"status $rc" "$(cat "$tmp/run.err")"
"$B/chapter5" train --resume -o "$tmp/i.model" >/dev/null 2>&1 && cmp -s "$tmp/h.model" "$tmp/i.model" \
	&& cmp -s "$tmp/h.csv" "$tmp/i.csv" && [ ! -e "$tmp/i.ckpt" ]
check $? "train --resume saves the same committee and curves as the uninterrupted run"

old "$tmp/f"
interrupt INT chapter1 "$tmp/f.model" -e 3
[ $rc -eq 130 ] && intact "$tmp/f" && [ "$(temporaries)" -eq 0 ] \
	&& grep -q "f.csv are as they were; to train, run chapter1 train again" "$tmp/run.err"
check $? "chapter 1 (no checkpoints): Ctrl-C keeps the previous files, says to run again" \
	"status $rc" "$(cat "$tmp/run.err")"
"$B/chapter1" train --resume -o "$tmp/f.model" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "keeps no checkpoints" "$tmp/err"
check $? "chapter1 train --resume: exit 2, it keeps no checkpoints" "$(cat "$tmp/err")"

# A file size limit of 16 KB lets the new curve be written but not the model:
# the disk-full case in which the curve alone used to be replaced.
old "$tmp/g"
( trap '' XFSZ; ulimit -f 32; exec "$B/chapter1" train -e 1 -o "$tmp/g.model" ) \
	>/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "g.model: write failed: File too large" "$tmp/err"
check $? "a model that cannot be written: exit 1, the message names it" "status $rc" "$(cat "$tmp/err")"
intact "$tmp/g" && [ "$(temporaries)" -eq 0 ]
check $? "and neither the previous model nor its curve is replaced, no temporary file left"
[ $failures -eq 0 ]

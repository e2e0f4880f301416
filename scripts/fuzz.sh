#!/bin/sh
# fuzz.sh SECONDS BIN FUZZDIR: seed and run every libFuzzer harness FUZZDIR/fuzz-NAME
# for SECONDS each (only those named in $FUZZ_ONLY, if set); exit 1 if any finds a crash, a leak, a timeout or an
# out-of-memory.  Seeds come from real files: MNIST's first images and labels
# (plain and gzip'ed), small models trained by BIN/chapterN and their payloads,
# the sample drawings, and the regression cases of tests/hostile (those under 8 KB:
# the fuzzer spends its time on inputs like the seeds) and tests/fuzz/found.
set -eu
seconds=$1 bin=$2 dir=$3
data=${DIGITS_DATA:-data}
seeds=$dir/seeds
rm -rf "$seeds"
mkdir -p "$seeds/idx" "$seeds/model" "$seeds/payload" "$seeds/strokes" "$dir/findings"

# IDX: a header for 3 images (or labels), then the first 3 of the test set.
idx() {  # idx MAGIC_BYTE COUNT_FILE SKIP BYTES OUT
	{ printf "\0\0\10\\$1\0\0\0\3"; [ "$1" = 3 ] && printf '\0\0\0\34\0\0\0\34'
	  gzip -dc "$2" | tail -c +$(($3 + 1)) | head -c "$4"; } >"$5"
	gzip -9c "$5" >"$5.gz"
}
idx 3 "$data/t10k-images-idx3-ubyte.gz" 16 2352 "$seeds/idx/images"
idx 1 "$data/t10k-labels-idx1-ubyte.gz" 8 3 "$seeds/idx/labels"
find tests/hostile -name '*.idx*' -size -8k -exec cp {} "$seeds/idx/" \;

# Models of every kind, small enough to mutate quickly, and their payloads.
t=$seeds/train
mkdir -p "$t"
export SOURCE_DATE_EPOCH=0
"$bin/chapter1" train -e 1 -o "$t/perceptron.model" >/dev/null
"$bin/chapter2" train -l 784-4-10 -n 500 -e 1 -o "$t/mlp.model" >/dev/null
"$bin/chapter3" train -l 784-4-4-10 -n 500 -e 1 -o "$t/mlp2.model" >/dev/null
"$bin/chapter4" train -c 1,2 -K 5 -H 4 -n 200 -e 1 -o "$t/cnn.model" >/dev/null
"$bin/chapter4" train -c 2,1 -K 9 -H 0 -n 200 -e 1 -o "$t/cnn-no-hidden.model" >/dev/null
"$bin/chapter5" train -k 2 -c 1,2 -H 4 -n 200 -e 1 -q 1 -o "$t/committee.model" >/dev/null 2>&1
cp "$t"/*.model "$seeds/model/"
find tests/hostile -name '*.model' -size -8k -exec cp {} "$seeds/model/" \;
for m in "$seeds"/model/*.model; do
	python3 -c 'import sys, zlib; d = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(zlib.decompress(d[24:]))' "$m" >"$seeds/payload/$(basename "$m")" 2>/dev/null \
		|| rm -f "$seeds/payload/$(basename "$m")"
done
rm -rf "$t"
cp assets/strokes/*.strokes tests/hostile/*.strokes "$seeds/strokes/"

# Run each harness on a corpus of its seeds, its past findings and what earlier runs kept.
status=0
for h in "$dir"/fuzz-*; do
	name=${h##*/fuzz-}
	case " ${FUZZ_ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
	corpus=$dir/corpus/$name
	mkdir -p "$corpus"
	cp "$seeds/$name"/* "$corpus/"
	[ -d "tests/fuzz/found/$name" ] && cp "tests/fuzz/found/$name"/* "$corpus/"
	echo "fuzz: $name for $seconds s on $(ls "$corpus" | wc -l) inputs"
	if "$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
		-max_len=131072 -print_final_stats=1 -artifact_prefix="$dir/findings/$name-" \
		"$corpus" >"$dir/$name.log" 2>&1; then
		echo "fuzz: $name: no finding in $(sed -n 's/^stat::number_of_executed_units: *//p' \
			"$dir/$name.log") runs"
	else
		echo "fuzz: $name: FINDING (see $dir/$name.log and $dir/findings/)" >&2
		grep -E '^==[0-9]+==ERROR|SUMMARY|runtime error' "$dir/$name.log" | head -5 >&2
		status=1
	fi
done
exit $status

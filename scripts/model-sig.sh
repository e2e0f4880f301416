#!/bin/sh
# model-sig.sh MAP BUILD [NAME...]: print a signature of the C a chapter program is made of.
# MAP is the linker map of bin/chapterN (gcc -Wl,-Map); BUILD holds its objects and
# their .d files.  The signature hashes the tangled .c and .h files of every object
# the program links, without their #line directives and without white space: a model
# is retrained when the code of its program changes, not when prose moves the lines
# of a chapter or a long line is wrapped to fit the page.  (A change of spacing alone,
# even inside a string, retrains nothing.)
# Each NAME (report, tex, ...) is left out, tangled/NAME.c and tangled/NAME.h both:
# the code of the book's reports, which changes no model.
set -eu
map=$1 build=$2
shift 2
skip=" $* "
objs=$(sed -n 's/.*libdigits\.a(\([A-Za-z0-9_]*\)\.o).*/\1/p' "$map" | sort -u)
prog=$(basename "$map" .map)
for o in $prog $objs; do
    echo "tangled/$o.c"
    [ -f "$build/$o.d" ] && sed 's/\\$//; s/:/ /g' "$build/$o.d" | tr ' ' '\n' | grep '^tangled/.*\.h$' || true
done | sort -u | while read -r f; do
    name=$(basename "$f"); name=${name%.[ch]}
    case "$skip" in *" $name "*) continue ;; esac
    echo "== $f"
    grep -v '^#line' "$f" | tr -d ' \t\n' | sed 's/""//g'
    echo
done | sha256sum | cut -d' ' -f1

#!/bin/sh
# The woven book: book/digits.pdf exists, has a title, contents, the data
# chapter, the chunk list and the identifier index, and only vector fonts.
PDF=book/digits.pdf
[ -f "$PDF" ] || { echo "1..0 # SKIP $PDF is not built (make book)"; exit 0; }
T=$(mktemp "${TMPDIR:-/tmp}/digits-book.XXXXXX")
trap 'rm -f "$T"' EXIT
pdftotext "$PDF" "$T" || { echo "1..1"; echo "not ok 1 - pdftotext reads $PDF"; exit 0; }
n=0
check() { n=$((n + 1)); if grep -Eq "$1" "$T"; then echo "ok $n - $2"; else echo "not ok $n - $2 (no /$1/ in the text)"; fi; }
echo 1..9
check 'Digits$' "the book has its title"
check 'Contents$' "a table of contents"
check 'Reading MNIST' "the data section"
check 'The IDX format' "which explains the IDX format"
check 'Chunks$' "the chunk list"
check 'Index$' "the identifier index"
check 'mnist_load: [0-9]' "the index lists mnist_load with its pages"
check 'test accuracy of [0-9]+\.[0-9]+%' "the results carry a measured test accuracy"
n=$((n + 1))
if pdffonts "$PDF" | awk 'NR > 2 && $0 ~ /Type 3/ { bad = 1 } END { exit bad }'; then
    echo "ok $n - no bitmap (Type 3) fonts"
else
    echo "not ok $n - the PDF has bitmap (Type 3) fonts"
fi

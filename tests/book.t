#!/bin/sh
# The woven book: book/digits.pdf exists, has a title (in the PDF's metadata too),
# contents, the data chapter, running heads with the chapter and the section, the
# chunk list, the identifier index and the subject index, and only vector fonts.
PDF=book/digits.pdf
[ -f "$PDF" ] || { echo "1..0 # SKIP $PDF is not built (make book)"; exit 0; }
T=$(mktemp "${TMPDIR:-/tmp}/digits-book.XXXXXX")
trap 'rm -f "$T" "$T.info" "$T.p"' EXIT
pdftotext "$PDF" "$T" || { echo "1..1"; echo "not ok 1 - pdftotext reads $PDF"; exit 0; }
n=0
check() { n=$((n + 1)); if grep -Eq "$1" "$T"; then echo "ok $n - $2"; else echo "not ok $n - $2 (no /$1/ in the text)"; fi; }
echo 1..17
check 'Digits$' "the book has its title"
check 'Contents$' "a table of contents"
check 'Reading MNIST' "the data section"
check 'The IDX format' "which explains the IDX format"
check 'Chunks$' "the chunk list"
check 'Identifiers$' "the identifier index"
check 'mnist_load: [0-9]' "the identifier index lists mnist_load with its chunks"
check '^Index$' "the subject index"
check '^softmax, [0-9]' "the subject index lists softmax with its page"
check 'test accuracy of [0-9]+\.[0-9]+%' "the results carry a measured test accuracy"
check 'Half the bits: bfloat16 products' "the appendix on bfloat16 products"
n=$((n + 1))
G=book/gen/chapter3.tex
if grep -Eq '^\\newcommand\{\\chThreeBfAcc\}\{([0-9]+\.[0-9]{2}\\%|not measured on this machine \(no AVX512\\_BF16\))\}$' "$G" 2>/dev/null; then
    echo "ok $n - chapter 3's report gives the bfloat16 accuracy, or says it was not measured"
else
    echo "not ok $n - chapter 3's report gives the bfloat16 accuracy, or says it was not measured"
    grep 'chThreeBf' "$G" 2>&1 | sed 's/^/#   /'
fi
n=$((n + 1))
if grep -Eq '^\\newcommand\{\\chThreeAmxAcc\}\{([0-9]+\.[0-9]{2}\\%|not measured on this machine \(no AMX\))\}$' "$G" 2>/dev/null; then
    echo "ok $n - chapter 3's report gives the AMX accuracy, or says it was not measured"
else
    echo "not ok $n - chapter 3's report gives the AMX accuracy, or says it was not measured"
    grep 'chThreeAmx' "$G" 2>&1 | sed 's/^/#   /'
fi
pdfinfo "$PDF" > "$T.info" 2>/dev/null
n=$((n + 1))
if grep -q '^Title: *Digits' "$T.info" && grep -q '^Author: *[A-Za-z]' "$T.info"; then
    echo "ok $n - the PDF's metadata has the title and the author"
else
    echo "not ok $n - the PDF's metadata has the title and the author"
    sed 's/^/#   /' "$T.info"
fi
# The running head of a page in the middle of section 1.2 names chapter 1 and section 1.2.
n=$((n + 1))
pages=$(pdfinfo "$PDF" | sed -n 's/^Pages: *//p')
found=0
p=1
while [ "$p" -le "${pages:-0}" ] && [ "$p" -le 40 ]; do
    pdftotext -layout -f "$p" -l "$p" "$PDF" "$T.p"
    if head -1 "$T.p" | grep -Eq '^ *1 +The perceptron +1\.[0-9]+ +[A-Z].* [0-9]+$'; then found=1; break; fi
    p=$((p + 1))
done
if [ "$found" = 1 ]; then
    echo "ok $n - running heads name the chapter and the section (page $p)"
else
    echo "not ok $n - running heads name the chapter and the section (none in the first 40 pages)"
fi
n=$((n + 1))
if pdftotext -layout -f 1 -l 40 "$PDF" - | grep -Eq '[A-Z][a-z]+ [0-9]+, 20[0-9][0-9] .*chapters/'; then
    echo "not ok $n - no running head shows a date and a file name"
else
    echo "ok $n - no running head shows a date and a file name"
fi
n=$((n + 1))
if pdffonts "$PDF" | awk 'NR > 2 && $0 ~ /Type 3/ { bad = 1 } END { exit bad }'; then
    echo "ok $n - no bitmap (Type 3) fonts"
else
    echo "not ok $n - the PDF has bitmap (Type 3) fonts"
fi

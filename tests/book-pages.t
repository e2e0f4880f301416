#!/bin/sh
# Each chapter's story fits in 30 pages: from its first page to its "What you built",
# as LaTeX's table of contents places them (scripts/chapter-pages.sh).  The machinery
# that is not a chapter's idea belongs in the appendices.
. tests/tap.sh
MAX=30
TOC=book/book.toc
[ -f "$TOC" ] || { echo "1..0 # SKIP $TOC is not built (make book)"; exit 0; }
chapters=$(ls chapters/[0-9]*.nw | wc -l)
echo "1..$((chapters + 1))"
pages=$(scripts/chapter-pages.sh "$TOC" 2>&1)
found=$(echo "$pages" | grep -c '^[0-9]' || true)
check "$([ "$found" = "$chapters" ]; echo $?)" \
	"the contents list the $chapters chapters of chapters/ with their pages" \
	"found $found:" $pages
for f in $(ls chapters/[0-9]*.nw); do
	num=$(basename "$f" | sed 's/-.*//')
	line=$(echo "$pages" | awk -v n="$num" '$1 == n')
	len=$(echo "$line" | awk '{ print $4 }')
	check "$([ -n "$len" ] && [ "$len" -le $MAX ]; echo $?)" \
		"chapter $num's story is at most $MAX pages (${len:-?}: pages $(echo "$line" | awk '{ print $2 "-" $3 }'))" \
		"$f is ${len:-not found} pages long; move machinery to an appendix, with a pointer"
done

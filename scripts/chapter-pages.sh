#!/bin/sh
# chapter-pages.sh [TOC]: the length of each chapter's story, in pages, from the
# table of contents LaTeX wrote (book/book.toc by default, after `make book').
# A chapter's story runs from its first page to the page before the next chapter
# (or appendix) begins: each chapter starts on a page of its own, and every chapter
# ends with its "What you built".  One line per numbered chapter:
#   NUMBER FIRST LAST PAGES TITLE
set -eu
toc=${1:-book/book.toc}
[ -f "$toc" ] || { echo "chapter-pages.sh: $toc: no such file (run make book)" >&2; exit 1; }
# Every chapter-level entry: its number (or - when unnumbered), its page, its title.
sed -n 's/^\\contentsline {chapter}{\(.*\)}{\([^{}]*\)}{[^{}]*}%$/\2 \1/p' "$toc" |
awk '
	{
		page = $1; $1 = ""; sub(/^ /, "")
		num = "-"
		if (match($0, /^\\numberline \{[^{}]*\}/)) {
			num = substr($0, 14, RLENGTH - 14)
			$0 = substr($0, RLENGTH + 1)
		}
		if (prev != "" && page ~ /^[0-9]+$/)
			printf "%s %d %d %d %s\n", prev, first, page - 1, page - first, title
		prev = ""
		if (num ~ /^[0-9]+$/ && page ~ /^[0-9]+$/)
			{ prev = num; first = page; title = $0 }
	}'

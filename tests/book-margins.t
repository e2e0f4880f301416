#!/usr/bin/perl
# Every word of the book inside the text block.  noweb's code lines never raise an
# overfull-box warning, so LaTeX cannot tell when code runs into the margin; this test
# reads every word's box (pdftotext -bbox-layout) instead.  The text block's right
# edge is where the justified prose lines end: the most common right end of a line.
# microtype lets punctuation protrude a little past it, so a word may end up to
# $slack points beyond.  Code is set in 9 pt (noweb's footnotesizecode): 92 columns
# fit beside the code's 10 pt indentation.  On failure each word is named with its
# page (as pdftoppm -f counts them) and the end of its line.
use strict;
use warnings;

my $pdf = 'book/digits.pdf';
my $slack = 4;
if (!-f $pdf) { print "1..0 # SKIP $pdf is not built (make book)\n"; exit 0; }
print "1..3\n";

my @lines;    # [page, right end, text of the line]
my ($page, $words, $line, $end) = (0, 0);
my $ok = open(my $in, '-|', 'pdftotext', '-bbox-layout', $pdf, '-');
if ($ok) {
    while (<$in>) {
        $page++ if /<page /;
        if (/<line xMin="[-\d.]+" yMin="[-\d.]+" xMax="([-\d.]+)"/) { $line = []; $end = $1; }
        if (/<word xMin="[-\d.]+" yMin="[-\d.]+" xMax="([-\d.]+)" yMax="[-\d.]+">(.*)<\/word>/) {
            my ($x, $w) = ($1, $2);
            $w =~ s/&lt;/</g; $w =~ s/&gt;/>/g; $w =~ s/&quot;/"/g; $w =~ s/&apos;/'/g;
            $w =~ s/&amp;/&/g;
            push @$line, [$x, $w];
            $words++;
        }
        push @lines, [$page, $end, $line] if m{</line>};
    }
    $ok = close($in) && $words > 0;
}
print $ok ? "ok 1 - pdftotext -bbox-layout reads $words words on $page pages\n"
          : "not ok 1 - pdftotext -bbox-layout reads $pdf\n";

my %ends;
$ends{sprintf '%.1f', $_->[1]}++ for @lines;
my ($edge) = sort { $ends{$b} <=> $ends{$a} || $a <=> $b } keys %ends;
$edge //= 0;
my $width = 595;    # A4; the edge must lie in the right half of the page
if ($edge > $width / 2 && $edge < $width) {
    printf "ok 2 - the text block's right edge is found where %d lines end: %.1f pt\n",
        $ends{$edge}, $edge;
} else {
    print "not ok 2 - the text block's right edge is found where the justified lines end\n";
    printf "#   most common line end: %.1f pt, expected between %d and %d\n",
        $edge, $width / 2, $width;
}

my @out;
for my $l (@lines) {
    my ($p, undef, $ws) = @$l;
    for my $w (@$ws) {
        next unless $w->[0] > $edge + $slack;
        my $text = join ' ', map { $_->[1] } @$ws;
        $text = '...' . substr($text, -60) if length $text > 63;
        push @out, sprintf "page %d: '%s' ends at %.1f pt, %.1f pt right of the text block, in: %s",
            $p, $w->[1], $w->[0], $w->[0] - $edge, $text;
    }
}
if (@out == 0) {
    print "ok 3 - no word on any page ends more than $slack pt right of the text block\n";
} else {
    printf "not ok 3 - no word on any page ends more than $slack pt right of the text block"
        . " (%d words do)\n", scalar @out;
    print "#   $_\n" for @out;
}

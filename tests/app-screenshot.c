/* The app's --screenshot (chapter 6), under Xvfb: the picture is not blank, the
   canvas has the drawing's ink and paper, and the winning bars and the verdict are
   there in the accent colour.  The colours are the app's INK, PAPER and ACCENT.
   ASAN_OPTIONS=detect_leaks=0 for the app only: Mesa's GL driver leaks, not us. */
#include "tap.h"
#include <stb_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int near(const unsigned char *p, int r, int g, int b, int tol)
{
	return abs(p[0] - r) <= tol && abs(p[1] - g) <= tol && abs(p[2] - b) <= tol;
}

int main(void)
{
	const char *bin = getenv("DIGITS_BIN") ? getenv("DIGITS_BIN") : "bin";
	char cmd[4096];
	if (system("command -v xvfb-run >/dev/null 2>&1") != 0)
		skip_all("xvfb-run is not installed");
	FILE *m = fopen("models/chapter1.model", "rb");
	if (!m)
		skip_all("no models/chapter1.model (make models)");
	fclose(m);
	plan(6);
	remove("build/app-screenshot.png");
	snprintf(cmd, sizeof cmd, "ASAN_OPTIONS=\"$ASAN_OPTIONS:detect_leaks=0\" xvfb-run -a "
	         "-s '-screen 0 1280x800x24' %s/digits --strokes assets/strokes/7-a.strokes "
	         "--screenshot build/app-screenshot.png --size 800x600 --print-predictions "
	         "> build/app-screenshot.txt", bin);
	is_int(system(cmd), 0, "digits --screenshot exits with status 0");
	int w = 0, h = 0, n, cx = 0, cy = 0, side = 0;
	unsigned char *pix = stbi_load("build/app-screenshot.png", &w, &h, &n, 3);
	ok(pix && w == 800 && h == 600, "the screenshot is an 800x600 PNG (%dx%d)", w, h);
	FILE *f = fopen("build/app-screenshot.txt", "r");
	int got = f && fscanf(f, "# canvas %d %d %d", &cx, &cy, &side) == 3;
	ok(got && side > 100, "the app told where its canvas is (%d,%d, side %d)", cx, cy, side);
	if (f)
		fclose(f);
	if (!pix || side <= 100)
		return done_testing();
	long ink = 0, paper = 0, accent = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const unsigned char *p = pix + 3 * ((size_t)y * w + x);
			int in = x >= cx && x < cx + side && y >= cy && y < cy + side;
			ink += in && near(p, 20, 20, 26, 12);
			paper += in && near(p, 255, 255, 255, 3);
			accent += !in && near(p, 230, 107, 26, 12);
		}
	double area = (double)side * side;
	ok(ink > 0.03 * area, "the canvas has the drawing's ink: %.1f%% of it", 100 * ink / area);
	ok(paper > 0.5 * area, "and paper around it: %.1f%%", 100 * paper / area);
	ok(accent > 1000, "the winning bar and the verdict are there in the accent colour (%ld pixels)",
	   accent);
	stbi_image_free(pix);
	return done_testing();
}

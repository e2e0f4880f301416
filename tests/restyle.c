/* Writers' variations (chapter 5): a pen of another width, the style strokes
   added only to their digits, slant in the right direction, random variations
   within their ranges, and a redrawn training set that is the same on one
   thread or two. */
#include "tap.h"
#include "gemm.h"
#include "restyle.h"
#include "util.h"

static double total(const float *v, int n)
{
	double s = 0;
	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* A vertical bar, three pixels wide, rows 4 to 23. */
static void bar_image(float *img)
{
	memset(img, 0, sizeof(float) * MNIST_PIXELS);
	for (int y = 4; y < 24; y++)
		for (int x = 13; x < 16; x++)
			img[y * MNIST_SIDE + x] = 1;
}

/* The centre of mass of rows y0..y1-1 of a 28x28 image, across. */
static double row_centre(const float *img, int y0, int y1)
{
	double m = 0, s = 0;
	for (int y = y0; y < y1; y++)
		for (int x = 0; x < MNIST_SIDE; x++)
			m += img[y * MNIST_SIDE + x] * (x + 0.5), s += img[y * MNIST_SIDE + x];
	return s > 0 ? m / s : -1;
}

static void check_styles(void)
{
	Strokes s;
	strokes_init(&s);
	strokes_begin(&s);
	strokes_add(&s, 0.3f, 0.2f), strokes_add(&s, 0.7f, 0.5f), strokes_add(&s, 0.3f, 0.8f);
	int added = restyle_add(&s, STYLE_SLASHED_ZERO, 0), n = s.nstrokes;
	Point a = s.p[s.n - 2], b = s.p[s.n - 1];
	ok(added && n == 2 && a.x > 0.7f && a.y < 0.2f && b.x < 0.3f && b.y > 0.8f,
	   "a zero's slash runs from beyond its top right to beyond its bottom left");
	ok(!restyle_add(&s, STYLE_SLASHED_ZERO, 8) && !restyle_add(&s, STYLE_BARRED_SEVEN, 1) &&
	   !restyle_add(&s, STYLE_PLAIN, 0) && s.nstrokes == 2,
	   "a style adds nothing to another digit, and plain adds nothing");
	ok(restyle_add(&s, STYLE_BARRED_SEVEN, 7) && s.nstrokes == 3 &&
	   s.p[s.n - 1].y == s.p[s.n - 2].y, "a seven gets one level bar");
	ok(restyle_add(&s, STYLE_FLAGGED_ONE, 1) && s.nstrokes == 5,
	   "a one gets two strokes, its flag and its base");
	strokes_free(&s);
}

static void check_pen(void)
{
	Strokes s;
	strokes_init(&s);
	strokes_begin(&s);
	strokes_add(&s, 0.4f, 0.2f), strokes_add(&s, 0.5f, 0.5f), strokes_add(&s, 0.45f, 0.8f);
	size_t n = (size_t)CANVAS_SIDE * CANVAS_SIDE;
	float *a = xmalloc(sizeof(float) * n), *b = xmalloc(sizeof(float) * n);
	float *c = xmalloc(sizeof(float) * n), *d = xmalloc(sizeof(float) * n);
	canvas_draw(&s, a, CANVAS_SIDE);
	canvas_draw_pen(&s, b, CANVAS_SIDE, 1);
	canvas_draw_pen(&s, c, CANVAS_SIDE, 0.6f);
	canvas_draw_pen(&s, d, CANVAS_SIDE, 1.6f);
	ok(memcmp(a, b, sizeof(float) * n) == 0, "canvas_draw_pen of width 1 is canvas_draw");
	double ta = total(a, (int)n), tc = total(c, (int)n), td = total(d, (int)n);
	ok(tc < 0.75 * ta && td > 1.35 * ta, "a 0.6 pen inks less, a 1.6 pen more (%.0f, %.0f, %.0f)",
	   tc, ta, td);
	free(a), free(b), free(c), free(d);
	strokes_free(&s);
}

static void check_random(Rng *r)
{
	int inside = 1, styled[10] = { 0 }, wrong = 0;
	for (int i = 0; i < 3000; i++) {
		PenVariation v;
		int label = i % 10;
		restyle_random(&v, label, r);
		inside &= v.width >= 0.6f && v.width <= 1.6f && v.slant >= -0.4f && v.slant <= 0.4f &&
		          v.aspect >= 0.7f && v.aspect <= 1.4f && v.size >= 0.15f && v.size <= 0.8f;
		styled[label] += v.style != STYLE_PLAIN;
		wrong += v.style != STYLE_PLAIN && label != 0 && label != 1 && label != 7;
	}
	ok(inside, "random widths, slants, aspects and sizes stay within their ranges");
	ok(!wrong && styled[0] > 60 && styled[0] < 140 && styled[7] > 60 && styled[1] > 60,
	   "styles only for zeros, ones and sevens, about one time in three (%d, %d, %d of 300)",
	   styled[0], styled[1], styled[7]);
}

static void check_set(void)
{
	enum { N = 60 };
	float *x = xmalloc(sizeof(float) * N * MNIST_PIXELS);
	float *a = xmalloc(sizeof(float) * N * MNIST_PIXELS);
	float *b = xmalloc(sizeof(float) * N * MNIST_PIXELS);
	unsigned char y[N];
	for (int i = 0; i < N; i++) {
		bar_image(x + (size_t)i * MNIST_PIXELS);
		y[i] = 1;
	}
	Dataset d = { N, x, y };
	restyle_set(&d, 0, 5, a);
	ok(memcmp(a, x, sizeof(float) * N * MNIST_PIXELS) == 0,
	   "a set redrawn with probability 0 is the set");
	gemm_set_threads(1);
	restyle_set(&d, 1, 5, a);
	gemm_set_threads(2);
	restyle_set(&d, 1, 5, b);
	ok(memcmp(a, b, sizeof(float) * N * MNIST_PIXELS) == 0 &&
	   memcmp(a, x, sizeof(float) * N * MNIST_PIXELS) != 0,
	   "redrawn with probability 1, it changes, the same on one thread and two");
	free(x), free(a), free(b);
}

int main(void)
{
	plan(12);
	check_styles();
	check_pen();
	float img[MNIST_PIXELS], out[MNIST_PIXELS];
	Restyle w;
	Rng r;
	restyle_init(&w);
	rng_seed(&r, 3);
	bar_image(img);
	PenVariation right = { 1, 0.4f, 1, 0.6f, 0, STYLE_PLAIN }, back = right;
	back.slant = -0.4f;
	int ok1 = restyle_digit(&w, img, 1, 3, &right, &r, out);
	double top = row_centre(out, 0, 10), bottom = row_centre(out, 18, 28);
	int ok2 = restyle_digit(&w, img, 1, 3, &back, &r, out);
	if (!ok(ok1 && ok2 && top > bottom + 2 &&
	        row_centre(out, 0, 10) < row_centre(out, 18, 28) - 2,
	        "a bar leaning right has its top right of its bottom, leaning back the other way"))
		diag("top %.1f bottom %.1f", top, bottom);
	float empty[MNIST_PIXELS] = { 0 };
	ok(!restyle_digit(&w, empty, 0, 3, &right, &r, out) && total(out, MNIST_PIXELS) == 0,
	   "an empty image is no drawing: 0, and the image as it was");
	check_random(&r);
	check_set();
	restyle_free(&w);
	return done_testing();
}

/* Writers' variations (chapter 5): a pen of another width, the style strokes
   added only to their digits, slant in the right direction, random variations
   within their ranges, a redrawn training set that is the same on one
   thread or two, stroke order and direction that change nothing in the image,
   and elastic distortions. */
#include "tap.h"
#include "gemm.h"
#include "restyle.h"
#include "util.h"
#include "mnist.h"

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

/* An open four: the arm from (0.3, 0.2) down to (0.2, 0.6) and the bar to (0.7, 0.6),
   then the stem from (0.6, 0.15) to (0.6, 0.9). */
static void open_four(Strokes *s)
{
	strokes_clear(s);
	strokes_begin(s);
	strokes_add(s, 0.3f, 0.2f), strokes_add(s, 0.2f, 0.6f), strokes_add(s, 0.7f, 0.6f);
	strokes_begin(s);
	strokes_add(s, 0.6f, 0.15f), strokes_add(s, 0.6f, 0.5f), strokes_add(s, 0.6f, 0.9f);
}

static void check_fours(void)
{
	Strokes s;
	strokes_init(&s);
	open_four(&s);
	int closed = restyle_add(&s, STYLE_CLOSED_FOUR, 4);
	Point a = s.p[0], b = s.p[1], c = s.p[2];
	ok(closed && s.nstrokes == 2 && a.x == 0.6f && a.y == 0.15f && b.x == 0.2f && b.y == 0.6f &&
	   fabsf(c.x - 0.7f) < 1e-4f && c.y == 0.6f, "a closed four runs from the top of its "
	   "stem down to its bar's left end, its bar across to the box's right edge");
	ok(!restyle_add(&s, STYLE_CLOSED_FOUR, 9) && !restyle_add(&s, STYLE_OPEN_FOUR, 1),
	   "the fours' styles change no other digit");
	open_four(&s);
	int open = restyle_add(&s, STYLE_OPEN_FOUR, 4);
	a = s.p[0], b = s.p[1], c = s.p[s.n - 1];
	ok(open && s.nstrokes == 2 && a.x == 0.3f && a.y == 0.2f && b.x == 0.2f && b.y == 0.6f &&
	   c.x == 0.6f && c.y == 0.9f, "an open four keeps its arm's top apart from its stem, "
	   "whose foot is the bottom of the box");
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
	int inside = 1, styled[10] = { 0 }, wrong = 0, closed = 0;
	for (int i = 0; i < 3000; i++) {
		PenVariation v;
		int label = i % 10;
		restyle_random(&v, label, r);
		inside &= v.width >= 0.6f && v.width <= 1.6f && v.slant >= -0.4f && v.slant <= 0.4f &&
		          v.aspect >= 0.7f && v.aspect <= 1.4f && v.size >= 0.15f && v.size <= 0.8f;
		styled[label] += v.style != STYLE_PLAIN;
		wrong += v.style != STYLE_PLAIN && label != 0 && label != 1 && label != 7 && label != 4;
		closed += v.style == STYLE_CLOSED_FOUR;
	}
	ok(inside, "random widths, slants, aspects and sizes stay within their ranges");
	ok(!wrong && styled[0] > 60 && styled[0] < 140 && styled[7] > 60 && styled[1] > 60 &&
	   styled[4] > 60 && closed > 20 && closed < styled[4] - 20,
	   "styles only for zeros, ones, sevens and fours, about one time in three (%d, %d, %d, "
	   "%d of 300; %d fours closed)", styled[0], styled[1], styled[7], styled[4], closed);
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
	restyle_set(&d, 0, 0, 5, a);
	ok(memcmp(a, x, sizeof(float) * N * MNIST_PIXELS) == 0,
	   "a set redrawn with probability 0 is the set");
	for (int k = 0; k < 2; k++) {
		double pen = k ? 0 : 1, elastic = k ? 1 : 0;
		gemm_set_threads(1);
		restyle_set(&d, pen, elastic, 5, a);
		gemm_set_threads(2);
		restyle_set(&d, pen, elastic, 5, b);
		ok(memcmp(a, b, sizeof(float) * N * MNIST_PIXELS) == 0 &&
		   memcmp(a, x, sizeof(float) * N * MNIST_PIXELS) != 0,
		   "%s, it changes, the same on one thread and two",
		   k ? "distorted elastically" : "redrawn with probability 1");
	}
	free(x), free(a), free(b);
}

/* The points of s, stroke by stroke, as a multiset: a sum of a function of each. */
static double point_sum(const Strokes *s)
{
	double sum = 0;
	for (int i = 0; i < s->n; i++)
		sum += sin(12.9898 * s->p[i].x + 78.233 * s->p[i].y);
	return sum;
}

static void check_reorder(Rng *r)
{
	Strokes s;
	strokes_init(&s);
	open_four(&s);
	strokes_begin(&s);
	strokes_add(&s, 0.1f, 0.1f);
	double before = point_sum(&s);
	int reversed = 0, moved = 0;
	for (int k = 0; k < 20; k++) {
		restyle_reorder(&s, r);
		reversed |= s.p[0].x == 0.7f || s.p[0].y == 0.9f;
		moved |= s.p[0].x == 0.1f;
	}
	ok(s.nstrokes == 3 && s.n == 7 && fabs(point_sum(&s) - before) < 1e-9 && reversed && moved,
	   "reordered strokes keep their points, in other orders and directions");
	strokes_free(&s);
}

/* Real test digits, traced, placed and drawn with their strokes as traced and then
   shuffled and reversed: the preprocessed images agree within 1e-5 (float rounding
   in the spline and the pen; the ink is 1 at most). */
static void check_order_changes_nothing(Restyle *w, Rng *r)
{
	char err[ERR_LEN], path[4096];
	float *x = NULL, a[MNIST_PIXELS], b[MNIST_PIXELS];
	int n = 0, tried = 300, same = 0;
	double worst = 0;
	snprintf(path, sizeof path, "%s/t10k-images-idx3-ubyte.gz", mnist_dir());
	if (idx_read_images(path, &x, &n, err) < 0) {
		ok(1, "# SKIP %s", err);
		return;
	}
	for (int i = 0; i < tried && i < n; i++) {
		PenVariation v = { 1, 0, 1, 0.3f + 0.5f * (float)rng_uniform(r), 0.0015f, 0, 0 };
		Rng again = *r;
		restyle_digit(w, x + (size_t)i * MNIST_PIXELS, 0, 2 + i % 4, &v, r, a);
		v.reorder = 1;
		restyle_digit(w, x + (size_t)i * MNIST_PIXELS, 0, 2 + i % 4, &v, &again, b);
		double d = 0;
		for (int k = 0; k < MNIST_PIXELS; k++)
			d = fmax(d, fabs(a[k] - b[k]));
		worst = fmax(worst, d);
		same += d <= 1e-5;
	}
	ok(same == tried, "%d of %d traced test digits drawn in another stroke order and "
	   "direction give the same image within 1e-5 (largest difference %.2g)", same, tried,
	   worst);
	free(x);
}

static void check_elastic(Rng *r)
{
	float img[MNIST_PIXELS], out[MNIST_PIXELS], dx[MNIST_PIXELS], dy[MNIST_PIXELS];
	for (int i = 0; i < MNIST_PIXELS; i++)
		img[i] = (float)rng_uniform(r);
	elastic_distort(img, 0, ELASTIC_SIGMA, r, out);
	ok(memcmp(img, out, sizeof img) == 0, "an elastic distortion of alpha 0 changes nothing");
	for (int i = 0; i < MNIST_PIXELS; i++)
		dx[i] = 1, dy[i] = 0;
	elastic_warp(img, dx, dy, out);
	int shifted = 1;
	for (int y = 0; y < MNIST_SIDE; y++)
		for (int x = 0; x < MNIST_SIDE; x++)
			shifted &= out[y * MNIST_SIDE + x] ==
			           (x + 1 < MNIST_SIDE ? img[y * MNIST_SIDE + x + 1] : 0);
	ok(shifted, "a field of 1 in x reads every pixel from its right neighbour, 0 beyond");
	double step[2] = { 0 }, size[2] = { 0 };
	elastic_field(dx, 1, ELASTIC_SIGMA, r);
	elastic_field(dy, 1, 0, r);
	for (int y = 0; y < MNIST_SIDE; y++)
		for (int x = 0; x + 1 < MNIST_SIDE; x++)
			for (int f = 0; f < 2; f++) {
				const float *d = f ? dy : dx;
				step[f] += fabs(d[y * MNIST_SIDE + x + 1] - d[y * MNIST_SIDE + x]);
				size[f] += fabs(d[y * MNIST_SIDE + x]);
			}
	if (!ok(step[0] < 0.3 * size[0] && step[1] > size[1],
	        "a field smoothed with sigma 4 changes little from pixel to pixel, the raw one a lot"))
		diag("mean step / mean size: smoothed %.3f, raw %.3f", step[0] / size[0],
		     step[1] / size[1]);
}

int main(void)
{
	plan(21);
	check_styles();
	check_fours();
	check_pen();
	float img[MNIST_PIXELS], out[MNIST_PIXELS];
	Restyle w;
	Rng r;
	restyle_init(&w);
	rng_seed(&r, 3);
	bar_image(img);
	PenVariation right = { 1, 0.4f, 1, 0.6f, 0, STYLE_PLAIN, 0 }, back = right;
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
	check_reorder(&r);
	check_order_changes_nothing(&w, &r);
	check_elastic(&r);
	restyle_free(&w);
	return done_testing();
}

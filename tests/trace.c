/* Tracing (chapter 5): images thinned to skeletons and followed into strokes, and MNIST
   test digits redrawn from their skeletons through the canvas, as the report does. */
#include "tap.h"
#include "canvas.h"
#include "mnist.h"
#include "model.h"
#include "preprocess.h"
#include "trace.h"
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float img[MNIST_PIXELS];

static void clear(void) { memset(img, 0, sizeof img); }

static void fill(int x0, int y0, int x1, int y1)   /* ink the pixels [x0,x1) x [y0,y1) */
{
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			img[y * MNIST_SIDE + x] = 1;
}

/* The largest distance from a point of s to the line y = c (axis 1) or x = c (axis 0),
   in MNIST pixels. */
static double off_line(const Strokes *s, int axis, double c)
{
	double worst = 0;
	for (int i = 0; i < s->n; i++)
		worst = fmax(worst, fabs((axis ? s->p[i].y : s->p[i].x) * MNIST_SIDE - c));
	return worst;
}

int main(void)
{
	plan(12);
	Strokes s;
	strokes_init(&s);

	clear();
	is_int(trace_image(img, MNIST_SIDE, 1, &s), 0, "a blank image has no strokes");

	/* A bar 4 pixels thick, rows 12..15, columns 5..22: one stroke along y = 14. */
	clear();
	fill(5, 12, 23, 16);
	strokes_clear(&s);
	is_int(trace_image(img, MNIST_SIDE, 1, &s), 1, "a thick bar is one stroke");
	is_below(off_line(&s, 1, 14.0), 0.5, "it runs along the middle of the bar (y = 14)");
	float x0 = 1, x1 = 0;
	for (int i = 0; i < s.n; i++)
		x0 = fminf(x0, s.p[i].x), x1 = fmaxf(x1, s.p[i].x);
	ok(x0 * MNIST_SIDE < 7.5 && x1 * MNIST_SIDE > 20.5,
	   "from end to end of the bar: x from %.2f to %.2f (bar 5 to 23)", x0 * MNIST_SIDE,
	   x1 * MNIST_SIDE);

	/* A ring, radius 8 around (14, 14), 3 pixels thick: one closed stroke on the circle. */
	clear();
	for (int y = 0; y < MNIST_SIDE; y++)
		for (int x = 0; x < MNIST_SIDE; x++) {
			double d = hypot(x + 0.5 - 14, y + 0.5 - 14);
			img[y * MNIST_SIDE + x] = d > 6.5 && d < 9.5;
		}
	strokes_clear(&s);
	is_int(trace_image(img, MNIST_SIDE, 1, &s), 1, "a ring is one stroke");
	double dev = 0;
	for (int i = 0; i < s.n; i++)
		dev = fmax(dev, fabs(hypot(s.p[i].x * MNIST_SIDE - 14, s.p[i].y * MNIST_SIDE - 14) - 8));
	is_below(dev, 0.75, "it follows the circle of radius 8 (a ring of whole pixels)");
	Point a = s.p[0], b = s.p[s.n - 1];
	is_below(hypot(a.x - b.x, a.y - b.y) * MNIST_SIDE, 0.5, "and closes on itself");

	/* A T: the bar, then the stem that ends at the bar. */
	clear();
	fill(5, 6, 23, 9);
	fill(13, 9, 16, 24);
	strokes_clear(&s);
	is_int(trace_image(img, MNIST_SIDE, 1, &s), 2, "a T is two strokes");
	int stem = s.nstrokes > 1 && fabsf(s.p[s.end[1] - 1].y - s.p[strokes_start(&s, 1)].y) >
	           fabsf(s.p[s.end[0] - 1].y - s.p[0].y);
	const Point *q = s.p + (stem ? strokes_start(&s, 1) : 0);
	int qn = stem ? s.end[1] - strokes_start(&s, 1) : s.end[0];
	double top = fmin(q[0].y, q[qn - 1].y) * MNIST_SIDE;
	is_below(fabs(top - 7.5), 1.0, "the stem reaches the bar: its end at y = %.2f (bar at 7.5)", top);

	/* trace_place: the drawing is scaled and stays on the canvas with its ink. */
	Rng r;
	rng_seed(&r, 1);
	Strokes placed;
	strokes_init(&placed);
	trace_place(&s, &placed, &r, 0.5f, 0);
	float px0 = 1, px1 = 0, py0 = 1, py1 = 0;
	for (int i = 0; i < placed.n; i++) {
		px0 = fminf(px0, placed.p[i].x), px1 = fmaxf(px1, placed.p[i].x);
		py0 = fminf(py0, placed.p[i].y), py1 = fmaxf(py1, placed.p[i].y);
	}
	float pen = canvas_pen(&placed);
	is_double(fmaxf(px1 - px0, py1 - py0), 0.5, 2e-3, "placed at size 0.5");
	ok(px0 >= pen - 1e-3f && py0 >= pen - 1e-3f && px1 <= 1 - pen + 1e-3f && py1 <= 1 - pen + 1e-3f,
	   "with the pen's ink inside the canvas: points in [%.3f,%.3f]x[%.3f,%.3f], pen %.3f", px0,
	   px1, py0, py1, pen);

	/* MNIST test digits redrawn: the perceptron must still read most of them. */
	char err[ERR_LEN], ip[4096], lp[4096];
	float *x = NULL;
	unsigned char *y = NULL;
	int n, nl;
	snprintf(ip, sizeof ip, "%s/t10k-images-idx3-ubyte.gz", mnist_dir());
	snprintf(lp, sizeof lp, "%s/t10k-labels-idx1-ubyte.gz", mnist_dir());
	Model *m = model_load("models/chapter1.model", err);
	if (!m)
		ok(1, "# SKIP %s", err);
	else if (idx_read_images(ip, &x, &n, err) < 0 || idx_read_labels(lp, &y, &nl, err) < 0)
		ok(1, "# SKIP %s", err);
	else {
		static float ink[CANVAS_SIDE * CANVAS_SIDE], seen[MNIST_PIXELS];
		int right = 0, tried = 500;
		for (int i = 0; i < tried; i++) {
			float scores[MNIST_CLASSES];
			strokes_clear(&s);
			trace_image(x + (size_t)i * MNIST_PIXELS, MNIST_SIDE, 2 + i % 4, &s);
			trace_place(&s, &placed, &r, 0.4f + 0.4f * (float)rng_uniform(&r), 0.0015f);
			canvas_draw(&placed, ink, CANVAS_SIDE);
			if (preprocess(ink, CANVAS_SIDE, seen, NULL)) {
				model_predict(m, seen, scores);
				right += argmax(scores, MNIST_CLASSES) == y[i];
			}
		}
		is_above(100.0 * right / tried, 85.0,
		         "the perceptron reads %d of the first %d test digits redrawn", right, tried);
	}
	model_free(m);
	free(x);
	free(y);
	strokes_free(&s);
	strokes_free(&placed);
	return done_testing();
}

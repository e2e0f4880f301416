/* Preprocessing (chapter 5): strokes -> canvas -> MNIST-style 28x28, without GL. */
#include "tap.h"
#include "canvas.h"
#include "model.h"
#include "preprocess.h"
#include "strokes.h"
#include "util.h"
#include <stdio.h>
#include <string.h>

static float ink[CANVAS_SIDE * CANVAS_SIDE], img[MNIST_PIXELS];

static double com(const float *v, int axis)
{
	double m = 0, s = 0;
	for (int y = 0; y < MNIST_SIDE; y++)
		for (int x = 0; x < MNIST_SIDE; x++) {
			m += v[y * MNIST_SIDE + x];
			s += v[y * MNIST_SIDE + x] * ((axis ? y : x) + 0.5);
		}
	return s / m;
}

static double width(const float *v)   /* 2 area / perimeter of the pixels > 0.5 */
{
	int area = 0, edges = 0;
	for (int y = 0; y < MNIST_SIDE; y++)
		for (int x = 0; x < MNIST_SIDE; x++) {
			if (v[y * MNIST_SIDE + x] <= 0.5f)
				continue;
			area++;
			int n[4][2] = { { x - 1, y }, { x + 1, y }, { x, y - 1 }, { x, y + 1 } };
			for (int k = 0; k < 4; k++)
				edges += n[k][0] < 0 || n[k][1] < 0 || n[k][0] >= 28 || n[k][1] >= 28 ||
				         v[n[k][1] * MNIST_SIDE + n[k][0]] <= 0.5f;
		}
	return edges ? 2.0 * area / edges : 0;
}

static double mean(const float *v)
{
	double s = 0;
	for (int i = 0; i < MNIST_PIXELS; i++)
		s += v[i];
	return s / MNIST_PIXELS;
}

int main(void)
{
	plan(18);
	char err[ERR_LEN];
	Prep pr;
	/* A filled 40 x 80 rectangle: scale 1/4, a 10 x 20 block of ink, centred. */
	for (int y = 50; y < 130; y++)
		for (int x = 100; x < 140; x++)
			ink[y * CANVAS_SIDE + x] = 1;
	preprocess(ink, CANVAS_SIDE, img, &pr);
	ok(pr.x0 == 100 && pr.x1 == 140 && pr.y0 == 50 && pr.y1 == 130,
	   "the ink's box is found: columns %d..%d, rows %d..%d", pr.x0, pr.x1 - 1, pr.y0, pr.y1 - 1);
	ok(pr.w == 10 && pr.h == 20 && fabsf(pr.scale - 0.25f) < 1e-6f,
	   "scaled by 0.25 into 10 x 20, keeping the aspect ratio (got %d x %d, scale %g)",
	   pr.w, pr.h, pr.scale);
	int exact = 1;
	for (int y = 0; y < 28; y++)
		for (int x = 0; x < 28; x++)
			exact &= img[y * 28 + x] == (x >= 10 && x < 20 && y >= 5 && y < 25 ? 1.0f : 0.0f);
	ok(exact, "the 28x28 image is the block at columns 10..19, rows 5..24 (centre of mass at 15,15: 14.5 rounded)");

	/* 30 x 80: the scaled width is 7.5, so the 8th column is half inked. */
	memset(ink, 0, sizeof ink);
	for (int y = 50; y < 130; y++)
		for (int x = 100; x < 130; x++)
			ink[y * CANVAS_SIDE + x] = 1;
	preprocess(ink, CANVAS_SIDE, img, &pr);
	ok(pr.w == 8 && fabsf(pr.fit[7] - 0.5f) < 1e-6f && fabsf(pr.fit[6] - 1) < 1e-6f,
	   "anti-aliased: a column half covered by the box filter gets half the ink (%g)", pr.fit[7]);
	is_int(pr.dx, 11, "placed by its centre of mass (3.77 -> offset 11), not by its box (offset 10 or 11)");
	memset(ink, 0, sizeof ink);
	ok(preprocess(ink, CANVAS_SIDE, img, &pr) == 0 && mean(img) == 0, "a blank canvas gives a blank image");

	/* Strokes files. */
	FILE *f = fopen("build/preprocess-test.strokes", "w");
	fprintf(f, "# two strokes\r\n0.2 0.5\r\n0.8 0.5\r\n\r\n  # a comment\n0.5 0.2\n0.5 0.8\n");
	fclose(f);
	Strokes s;
	strokes_init(&s);
	int rc = strokes_load(&s, "build/preprocess-test.strokes", err);
	ok(rc == 0 && s.n == 4 && s.nstrokes == 2, "a strokes file with comments and CRLF reads as 2 strokes of 2 points");
	const char *bad[] = { "0.1 0.2\n0.3\n", "0.1 0.2\n\n1.5 0.2\n", "0.1 0.2\n0.3 0.4 0.5\n", "# nothing\n" };
	const char *where[] = { ":2:", ":3:", ":2:", ":1:" };
	int named = 1;
	for (int i = 0; i < 4; i++) {
		f = fopen("build/preprocess-bad.strokes", "w");
		fputs(bad[i], f);
		fclose(f);
		Strokes t;
		strokes_init(&t);
		named &= strokes_load(&t, "build/preprocess-bad.strokes", err) < 0 &&
		         strstr(err, "build/preprocess-bad.strokes") && strstr(err, where[i]);
		if (!named)
			diag("case %d: %s", i, err);
		strokes_free(&t);
	}
	ok(named, "malformed files (a lone number, 1.5, three numbers, no points) are errors naming file and line");

	/* A known stroke: a horizontal line across 60% of the canvas. */
	strokes_load(&s, "build/preprocess-test.strokes", err);
	strokes_undo(&s);
	float r = canvas_pen(&s);
	is_double(r, PEN_WIDTH / (2 * (20 - PEN_WIDTH)) * 0.6, 1e-6, "the pen's radius follows the drawing's extent (%g)", r);
	canvas_draw(&s, ink, CANVAS_SIDE);
	preprocess(ink, CANVAS_SIDE, img, &pr);
	double bw = (0.6 + 2 * r) * CANVAS_SIDE;
	ok(fabs(pr.x1 - pr.x0 - bw) <= 2 && pr.w == 20,
	   "the line's box is %d pixels wide (expected %.1f) and becomes 20", pr.x1 - pr.x0, bw);
	ok(fabs(com(img, 0) - 14.5) <= 0.5 && fabs(com(img, 1) - 14.5) <= 0.5,
	   "its centre of mass is within half a pixel of (14.5,14.5), as in MNIST: (%.2f, %.2f)", com(img, 0), com(img, 1));
	double sum = 0;
	for (int i = 0; i < 20 * 28; i++)
		sum += img[i];
	is_double(sum / 20, PEN_WIDTH, 0.3, "its ink per column is the pen's width, %.2f pixels", sum / 20);

	/* Erasing the middle of a straight segment with no point there splits it. */
	strokes_clear(&s);
	strokes_add(&s, 0.1f, 0.5f);
	strokes_add(&s, 0.9f, 0.5f);
	strokes_erase(&s, 0.5f, 0.5f, 0.05f);
	int clear = s.nstrokes == 2;
	for (int i = 0; i < s.n; i++)
		clear &= fabsf(s.p[i].x - 0.5f) >= 0.05f;
	ok(clear, "erasing the middle of a two-point stroke leaves two strokes, none under the eraser");
	strokes_free(&s);

	/* MNIST test images come out (nearly) unchanged, and like the samples. */
	float *x;
	unsigned char *y;
	int n, nl;
	char ip[4096], lp[4096];
	snprintf(ip, sizeof ip, "%s/t10k-images-idx3-ubyte.gz", mnist_dir());
	snprintf(lp, sizeof lp, "%s/t10k-labels-idx1-ubyte.gz", mnist_dir());
	if (idx_read_images(ip, &x, &n, err) < 0 || idx_read_labels(lp, &y, &nl, err) < 0) {
		diag("%s", err);
		return done_testing();
	}
	n = 2000;
	int same = 0;
	double change = 0, m_ink = 0, m_width = 0;
	for (int i = 0; i < n; i++) {
		const float *v = x + (size_t)i * MNIST_PIXELS;
		float d = 0;
		preprocess(v, MNIST_SIDE, img, NULL);
		for (int k = 0; k < MNIST_PIXELS; k++) {
			d = fmaxf(d, fabsf(img[k] - v[k]));
			change += fabsf(img[k] - v[k]) / ((double)n * MNIST_PIXELS);
		}
		same += d == 0;
		m_ink += mean(v) / n;
		m_width += width(v) / n;
	}
	ok(same > n * 0.95 && change < 0.005,
	   "MNIST test images come out unchanged: %d of %d exactly, mean change %.4f", same, n, change);
	char mp[] = "models/chapter1.model";
	Model *model = model_load(mp, err);
	if (model) {
		int agree = 0;
		for (int i = 0; i < n; i++) {
			float s1[10], s2[10];
			model_predict(model, x + (size_t)i * MNIST_PIXELS, s1);
			preprocess(x + (size_t)i * MNIST_PIXELS, MNIST_SIDE, img, NULL);
			model_predict(model, img, s2);
			agree += argmax(s1, 10) == argmax(s2, 10);
		}
		ok(agree >= n * 0.99, "the perceptron answers the same on %d of %d preprocessed test images", agree, n);
		model_free(model);
	} else
		ok(1, "# SKIP %s", err);
	/* The sample drawings look like MNIST: mean ink and stroke width. */
	const char *digits = "0123456789";
	double s_ink = 0, s_width = 0;
	int ns = 0;
	for (int d = 0; d < 10; d++)
		for (char v = 'a'; v <= 'b'; v++) {
			char path[64];
			snprintf(path, sizeof path, "assets/strokes/%c-%c.strokes", digits[d], v);
			Strokes t;
			strokes_init(&t);
			if (strokes_load(&t, path, err) == 0) {
				canvas_draw(&t, ink, CANVAS_SIDE);
				preprocess(ink, CANVAS_SIDE, img, NULL);
				s_ink += mean(img), s_width += width(img), ns++;
			}
			strokes_free(&t);
		}
	s_ink /= ns ? ns : 1, s_width /= ns ? ns : 1;
	is_int(ns, 20, "20 sample drawings in assets/strokes");
	ok(fabs(s_ink - m_ink) < 0.2 * m_ink,
	   "their mean ink %.3f is within 20%% of MNIST's %.3f", s_ink, m_ink);
	ok(fabs(s_width - m_width) < 0.2 * m_width,
	   "their stroke width %.2f px is within 20%% of MNIST's %.2f px", s_width, m_width);
	free(x);
	free(y);
	return done_testing();
}

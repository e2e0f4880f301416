/* The perceptron: it separates separable data, keeps failing on XOR, its cheap
   average equals the plain average, it is deterministic, and it learns MNIST. */
#include "tap.h"
#include "cli.h"
#include "perceptron.h"
#include "util.h"
#include <stdlib.h>

/* Points in 2-D labelled by the line x0 + 2 x1 = 0.3, with a margin of 0.1. */
static void separable(void)
{
	enum { N = 200 };
	float x[N * 2];
	unsigned char y[N];
	Rng r;
	rng_seed(&r, 4);
	for (int i = 0; i < N;) {
		float a = (float)rng_uniform(&r) * 2 - 1, b = (float)rng_uniform(&r) * 2 - 1;
		float d = a + 2 * b - 0.3f;
		if (d > -0.1f && d < 0.1f)
			continue;
		x[2 * i] = a;
		x[2 * i + 1] = b;
		y[i++] = d > 0;
	}
	Dataset d = { N, x, y };
	Perceptron *p = perceptron_new(2, 2);
	long mistakes = -1;
	int epochs = 0;
	while (mistakes != 0 && epochs < 1000) {
		mistakes = perceptron_epoch(p, &d, &r, NULL);
		epochs++;
	}
	is_int(mistakes, 0, "on separable data an epoch without mistakes comes");
	diag("after %d epochs", epochs);
	int right = 0;
	for (int i = 0; i < N; i++) {
		float s[2];
		perceptron_scores(p, x + 2 * i, s);
		right += argmax(s, 2) == y[i];
	}
	is_int(right, N, "and then every point is on its side of the plane");
	perceptron_free(p);
}

/* XOR: no line separates it, so every epoch has a mistake. */
static void xor(void)
{
	float x[8] = { 0, 0, 1, 1, 0, 1, 1, 0 };
	unsigned char y[4] = { 0, 0, 1, 1 };
	Dataset d = { 4, x, y };
	Perceptron *p = perceptron_new(2, 2);
	Rng r;
	rng_seed(&r, 1);
	long fewest = 4;
	for (int e = 0; e < 1000; e++) {
		long m = perceptron_epoch(p, &d, &r, NULL);
		fewest = m < fewest ? m : fewest;
	}
	ok(fewest >= 1, "on XOR every one of 1000 epochs makes a mistake (fewest: %ld)", fewest);
	perceptron_free(p);
}

/* perceptron_average (w - u/T) against summing the weights after every step. */
static void averaging(void)
{
	enum { N = 50, IN = 5, OUT = 3 };
	float x[N * IN];
	unsigned char y[N];
	Rng r;
	rng_seed(&r, 8);
	for (int i = 0; i < N * IN; i++)
		x[i] = (float)rng_normal(&r);
	for (int i = 0; i < N; i++)
		y[i] = (unsigned char)rng_int(&r, OUT);
	Perceptron *p = perceptron_new(IN, OUT), *avg = perceptron_new(IN, OUT);
	double sum[OUT * IN + OUT] = { 0 };
	for (int e = 0; e < 3; e++)
		for (int i = 0; i < N; i++) {
			perceptron_learn(p, x + i * IN, y[i]);
			for (int k = 0; k < OUT * IN; k++)
				sum[k] += p->w[k];
			for (int c = 0; c < OUT; c++)
				sum[OUT * IN + c] += p->b[c];
		}
	perceptron_average(p, avg);
	double worst = 0;
	for (int k = 0; k < OUT * IN; k++)
		worst = fmax(worst, fabs(avg->w[k] - sum[k] / (3 * N)));
	for (int c = 0; c < OUT; c++)
		worst = fmax(worst, fabs(avg->b[c] - sum[OUT * IN + c] / (3 * N)));
	is_below(worst, 1e-5, "the step-weighted sums give the plain average of all steps");
	perceptron_free(p);
	perceptron_free(avg);
}

static Perceptron *train_subset(const Dataset *d, uint64_t seed, int epochs)
{
	Perceptron *p = perceptron_new(MNIST_PIXELS, MNIST_CLASSES);
	Perceptron *avg = perceptron_new(MNIST_PIXELS, MNIST_CLASSES);
	Rng r;
	rng_seed(&r, seed);
	for (int e = 0; e < epochs; e++)
		perceptron_epoch(p, d, &r, NULL);
	perceptron_average(p, avg);
	perceptron_free(p);
	return avg;
}

static void scores_fn(const void *net, const float *x, float *s) { perceptron_scores(net, x, s); }

static void mnist(void)
{
	Mnist m;
	char err[ERR_LEN];
	if (mnist_load(&m, NULL, err) < 0) {
		diag("%s", err);
		for (int i = 0; i < 4; i++)
			ok(0, "MNIST did not load");
		return;
	}
	Dataset sub = dataset_slice(&m.train, 0, 10000);
	Perceptron *a = train_subset(&sub, 7, 2), *b = train_subset(&sub, 7, 2), *c = train_subset(&sub, 8, 2);
	ok(memcmp(a->w, b->w, sizeof(float) * MNIST_PIXELS * MNIST_CLASSES) == 0 &&
	   memcmp(a->b, b->b, sizeof(float) * MNIST_CLASSES) == 0, "the same seed gives the same weights");
	ok(memcmp(a->w, c->w, sizeof(float) * MNIST_PIXELS * MNIST_CLASSES) != 0,
	   "another seed gives other weights");
	double acc = model_evaluate(scores_fn, a, &m.valid, NULL);
	is_above(acc, 0.88, "2 epochs on 10,000 images: validation accuracy above 88%% (%.2f%%)", 100 * acc);
	Perceptron *last = perceptron_new(MNIST_PIXELS, MNIST_CLASSES);
	Rng r;
	rng_seed(&r, 7);
	perceptron_epoch(last, &sub, &r, NULL);
	perceptron_epoch(last, &sub, &r, NULL);
	double acc_last = model_evaluate(scores_fn, last, &m.valid, NULL);
	is_above(acc, acc_last, "the average beats the last weights (%.2f%% > %.2f%%)", 100 * acc, 100 * acc_last);
	perceptron_free(a);
	perceptron_free(b);
	perceptron_free(c);
	perceptron_free(last);
	mnist_free(&m);
}

int main(void)
{
	plan(2 + 1 + 1 + 4);
	separable();
	xor();
	averaging();
	mnist();
	return done_testing();
}

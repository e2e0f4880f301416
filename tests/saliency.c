/* The model face's optional functions (chapter 6's inside view): for a small
 * network of every kind, saved and loaded through the model file, the gradient
 * of a digit's score with respect to the image (the saliency map) matches
 * central differences of that score, and the views have the shapes the
 * networks promise.  The perceptron's evidence adds up to its score. */
#include "tap.h"
#include "cnn.h"
#include "model.h"
#include "perceptron.h"
#include "util.h"
#include <unistd.h>

enum { KINDS = 4 };

static void fill(float *v, size_t n, Rng *r, double sd)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (float)(sd * rng_normal(r));
}

/* A small network of kind q (0 perceptron, 1 mlp, 2 mlp2, 3 cnn) as a model file. */
static ModelFile *small_network(int q, Rng *r)
{
	ModelFile *mf;
	if (q == 0) {
		Perceptron *p = perceptron_new(MNIST_PIXELS, MNIST_CLASSES);
		fill(p->w, (size_t)MNIST_PIXELS * MNIST_CLASSES, r, 0.1);
		mf = perceptron_to_file(p);
		perceptron_free(p);
	} else if (q == 1) {
		Mlp *net = mlp_new(2, (int[]){ MNIST_PIXELS, 30, MNIST_CLASSES });
		fill(net->params, net->nparams, r, 0.1);
		mf = mlp_to_file(net);
		mlp_free(net);
	} else if (q == 2) {
		Mlp2 *net = mlp2_new(3, (int[]){ MNIST_PIXELS, 40, 30, MNIST_CLASSES }, MLP2_RELU,
		                     MLP2_SOFTMAX);
		mlp2_init(net, r, 1);
		fill(net->p->b[1], 40, r, 0.1);
		mf = mlp2_to_file(net);
		mlp2_free(net);
	} else {
		Cnn *net = cnn_new(4, 6, 5, 16);
		cnn_init(net, r);
		fill(net->conv->b[0], 4, r, 0.1);
		mf = cnn_to_file(net);
		cnn_free(net);
	}
	return mf;
}

/* An image with ink in a blob and noise elsewhere, in [0,1]. */
static void image(float *x, Rng *r)
{
	for (int y = 0; y < MNIST_SIDE; y++)
		for (int i = 0; i < MNIST_SIDE; i++) {
			double d = hypot(y - 13.5, i - 13.5);
			x[y * MNIST_SIDE + i] = (float)(d > 5 && d < 9 ? 0.6 + 0.4 * rng_uniform(r)
			                                               : 0.1 * rng_uniform(r));
		}
}

/* model_gradient against central differences of the score it returns, pixel by
   pixel.  ReLU and max-pooling have kinks: where the one-sided slopes disagree,
   the central difference straddles one and measures nothing, so the pixel is
   skipped (at most a tenth of them may be: a pixel moves 25 outputs of the first
   convolution, and each may change its pooling block's winner). */
static void check_gradient(const Model *m, const char *name, const float *x0, int digit)
{
	float x[MNIST_PIXELS], g[MNIST_PIXELS], scratch[MNIST_PIXELS], z0 = 0, up = 0, down = 0;
	memcpy(x, x0, sizeof x);
	int got = model_gradient(m, x, digit, g, &z0);
	double gmax = 0, worst = 0;
	for (int i = 0; i < MNIST_PIXELS; i++)
		gmax = fmax(gmax, fabs(g[i]));
	const float h = 1e-3f;
	int kinks = 0, at = -1;
	for (int i = 0; got == 0 && i < MNIST_PIXELS; i++) {
		float v = x[i];
		x[i] = v + h;
		model_gradient(m, x, digit, scratch, &up);
		x[i] = v - h;
		model_gradient(m, x, digit, scratch, &down);
		x[i] = v;
		double right = (up - z0) / h, left = (z0 - down) / h, fd = (up - down) / (2 * h);
		if (fabs(right - left) > 0.01 * gmax + 1e-4) {
			kinks++;
			continue;
		}
		double e = fabs(fd - g[i]) / (gmax + 1e-9);
		if (e > worst)
			worst = e, at = i;
	}
	ok(got == 0 && gmax > 0 && worst < 1e-2 && kinks <= MNIST_PIXELS / 10,
	   "%s: the gradient of z_%d with respect to the image matches central differences "
	   "within 1%% of its largest entry (worst %.2g at pixel %d, %d pixels at kinks)",
	   name, digit, worst, at, kinks);
}

static int shape_is(const ModelInside *v, int k, int n, int w, int h)
{
	return k < v->nviews && v->view[k].n == n && v->view[k].w == w && v->view[k].h == h;
}

/* The perceptron's evidence for its winner adds up to its raw score minus the bias. */
static void check_evidence(const Model *m, const ModelFile *mf, const float *x)
{
	ModelInside *v = xmalloc(sizeof *v);
	int n = model_inside(m, x, v), digit = -1;
	float g[MNIST_PIXELS], z = 0;
	double sum = 0;
	if (n >= 1 && sscanf(v->view[0].title, "evidence for %d", &digit) == 1 &&
	    digit >= 0 && digit < MNIST_CLASSES) {
		model_gradient(m, x, digit, g, &z);
		for (int i = 0; i < MNIST_PIXELS; i++)
			sum += v->view[0].maps[i];
		sum += mf_tensor(mf, "b")->data[digit];
	}
	ok(digit >= 0 && fabs(sum - z) < 1e-4 * (1 + fabs(z)),
	   "perceptron: the evidence for its winner (%d) plus the bias is its score (%.6g, %.6g)",
	   digit, sum, z);
	free(v);
}

static void check_views(const Model *m, int q, const char *name, const float *x)
{
	ModelInside *v = xmalloc(sizeof *v);
	int n = model_inside(m, x, v), good;
	if (q == 0)
		good = n == 2 && shape_is(v, 0, 1, 28, 28) && shape_is(v, 1, 1, 28, 28) &&
		       (v->view[0].flags & MODEL_SIGNED);
	else if (q == 1)
		good = n == 1 && shape_is(v, 0, 30, 28, 28) && v->view[0].units &&
		       v->view[0].units[0] > 0 && v->view[0].units[0] < 1;
	else if (q == 2)
		good = n == 2 && v->view[0].w * v->view[0].h >= 40 && v->view[0].n == 1 &&
		       v->view[1].w * v->view[1].h >= 30;
	else
		good = n == 2 && shape_is(v, 0, 4, 24, 24) && shape_is(v, 1, 6, 8, 8);
	ok(good, "%s: %d views of the promised shapes (first: %s, %d maps of %dx%d)", name, n,
	   n ? v->view[0].title : "none", n ? v->view[0].n : 0, n ? v->view[0].w : 0,
	   n ? v->view[0].h : 0);
	free(v);
}

int main(void)
{
	static const char *names[KINDS] = { "perceptron", "mlp", "mlp2", "cnn" };
	char dir[] = "/tmp/digits-saliency.XXXXXX", path[64], err[ERR_LEN];
	if (!mkdtemp(dir))
		skip_all("cannot make a temporary directory");
	plan(3 * KINDS + 1);
	Rng r;
	rng_seed(&r, 3);
	float x[MNIST_PIXELS];
	image(x, &r);
	for (int q = 0; q < KINDS; q++) {
		ModelFile *mf = small_network(q, &r);
		snprintf(path, sizeof path, "%s/%s.model", dir, names[q]);
		Model *m = mf_save(mf, path, err) == 0 ? model_load(path, err) : NULL;
		if (!ok(m != NULL, "%s: a small network saves and loads", names[q]))
			printf("#   %s\n", err);
		if (m) {
			check_gradient(m, names[q], x, q % MNIST_CLASSES);
			check_views(m, q, names[q], x);
			if (q == 0)
				check_evidence(m, mf, x);
			model_free(m);
		}
		remove(path);
		mf_free(mf);
	}
	rmdir(dir);
	return done_testing();
}

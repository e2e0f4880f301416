/* Chapter 4's network: backpropagation through the whole network matches
 * central differences, the SIMD and scalar convolutions give the same network
 * outputs, augmentation keeps the digit and is deterministic, a short run
 * learns, training is the same for a seed whatever the thread count, and a
 * model survives the model file. */
#include "tap.h"
#include "cnn.h"
#include "gemm.h"
#include "model.h"
#include "util.h"
#include <stdint.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static void fill(float *v, size_t n, Rng *r, double lo, double hi)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (float)(lo + (hi - lo) * rng_uniform(r));
}

/* The parameters of net (q = 0: both convolution blocks, 1: the dense layers) as one array. */
static float *part(Cnn *net, int q, size_t *n)
{
	*n = q ? net->head->p->nparams : net->conv->nparams;
	return q ? net->head->p->params : net->conv->params;
}

static float *gpart(CnnGrad *g, int q)
{
	return q ? g->head->params : g->conv->params;
}

/* The gradient of the whole small network (with L2, without dropout) against
   central differences of cnn_cost, over every parameter. */
static void test_gradient(const Mnist *m)
{
	enum { N = 3 };
	const double lambda = 0.5;
	const long ntrain = 100;
	Rng r;
	rng_seed(&r, 12);
	Cnn *net = cnn_new(2, 3, 5, 6);
	cnn_init(net, &r);
	for (int l = 0; l < 2; l++)     /* non-zero biases, so that they are checked too */
		fill(net->conv->b[l], net->conv->nb[l], &r, -0.1, 0.1);
	for (int l = 1; l <= net->head->p->nlayers; l++)
		fill(net->head->p->b[l], (size_t)net->head->p->sizes[l], &r, -0.1, 0.1);
	CnnWork *w = cnn_work_new(net, N);
	memcpy(w->x, m->train.x, sizeof(float) * N * MNIST_PIXELS);
	for (int i = 0; i < N; i++)
		w->y[i] = (unsigned char)rng_int(&r, MNIST_CLASSES);
	float x[N * MNIST_PIXELS];
	memcpy(x, w->x, sizeof x);
	Mlp2Train t = { .keep_in = 1, .keep_hidden = 1, .batch = N };
	CnnGrad g = cnn_grad_new(net);
	cnn_backprop_batch(net, N, w, &g, &conv_kernels_scalar, &kernels_scalar, &t, &r, NULL);
	cnn_finish_gradient(&g, net, N, lambda, ntrain);
	double worst = 0, c0 = cnn_cost(net, x, w->y, N, lambda, ntrain);
	int worst_q = 0, count = 0, kinks = 0;
	const float h = 1e-4f;
	for (int q = 0; q < 2; q++) {
		size_t n;
		float *v = part(net, q, &n), *gv = gpart(&g, q);
		for (size_t i = 0; i < n; i++, count++) {
			float v0 = v[i];
			v[i] = v0 + h;
			double up = cnn_cost(net, x, w->y, N, lambda, ntrain);
			v[i] = v0 - h;
			double down = cnn_cost(net, x, w->y, N, lambda, ntrain);
			v[i] = v0;
			double right = (up - c0) / h, left = (c0 - down) / h;   /* one-sided slopes */
			if (fabs(right - left) > 1e-2 * (fabs(right) + fabs(left)) + 1e-4) {
				kinks++;   /* a ReLU or a pooling winner switched within +-h: no derivative */
				continue;
			}
			double num = (up - down) / (2.0 * h), den = fabs(num) + fabs(gv[i]);
			double e = fabs(num - gv[i]) / (den > 1e-3 ? den : 1e-3);
			if (e > worst)
				worst = e, worst_q = q;
		}
	}
	ok(worst < 1e-3 && kinks < count / 50,
	   "whole network (conv, ReLU, pool, conv, ReLU, pool, dense, softmax, L2): the gradients "
	   "match central differences within 1e-3 where the cost is smooth (at least 98%% of %d)", count);
	diag("largest relative error %.3g (in %s); %d parameters skipped at a kink", worst,
	     worst_q == 0 ? "the convolutions" : "the dense layers", kinks);
	cnn_grad_free(&g);
	cnn_work_free(w);
	cnn_free(net);
}

static void test_simd_network(const Mnist *m)
{
	const ConvKernels *fast = conv_kernels_named("avx2");
	if (!fast) {
		ok(1, "# SKIP no AVX2 and FMA on this processor");
		return;
	}
	enum { N = 50 };
	Rng r;
	rng_seed(&r, 2);
	Cnn *net = cnn_new(8, 16, 5, 32);
	cnn_init(net, &r);
	CnnWork *w = cnn_work_new(net, N);
	float p1[N * MNIST_CLASSES], p2[N * MNIST_CLASSES];
	memcpy(w->x, m->test.x, sizeof(float) * N * MNIST_PIXELS);
	cnn_forward_batch(net, N, w, &conv_kernels_scalar, &kernels_scalar, p1);
	cnn_forward_batch(net, N, w, fast, &kernels_scalar, p2);
	double diff = 0;
	for (int i = 0; i < N * MNIST_CLASSES; i++)
		diff = fmax(diff, fabs((double)p1[i] - p2[i]));
	ok(diff < 1e-5, "network outputs with avx2 and scalar convolutions agree within 1e-5");
	diag("largest difference %.3g", diff);
	cnn_work_free(w);
	cnn_free(net);
}

static double mass(const float *x)
{
	double s = 0;
	for (int i = 0; i < MNIST_PIXELS; i++)
		s += x[i];
	return s;
}

static void test_augment(const Mnist *m)
{
	float out[MNIST_PIXELS], again[MNIST_PIXELS];
	const float *x = m->train.x;
	cnn_augment_image(out, x, 0, 0, 0);
	ok(memcmp(out, x, sizeof out) == 0, "no turn and no shift: the image is unchanged");
	cnn_augment_image(out, x, 0, 1, 2);
	int moved = 1;
	for (int y = 0; y < MNIST_SIDE; y++)
		for (int xx = 0; xx < MNIST_SIDE; xx++) {
			float want = y >= 2 && xx >= 1 ? x[(y - 2) * MNIST_SIDE + xx - 1] : 0;
			moved &= fabsf(out[y * MNIST_SIDE + xx] - want) < 1e-6f;
		}
	ok(moved, "a shift by (1, 2) moves every pixel one right and two down");
	double worst = 0;
	Rng r;
	rng_seed(&r, 4);
	for (int i = 0; i < 200; i++) {
		const float *xi = m->train.x + (size_t)i * MNIST_PIXELS;
		cnn_augment_random(out, xi, &r);
		worst = fmax(worst, fabs(mass(out) / mass(xi) - 1));
	}
	ok(worst < 0.1, "random distortions of 200 digits keep their ink within 10%%");
	diag("largest change of ink %.1f%%", 100 * worst);
	Rng a, b;
	rng_seed(&a, 9), rng_seed(&b, 9);
	cnn_augment_random(out, x, &a);
	cnn_augment_random(again, x, &b);
	ok(memcmp(out, again, sizeof out) == 0 && memcmp(out, x, sizeof out) != 0,
	   "the same seed gives the same distortion, and it changes the image");
}

static CnnTrain short_run(void)
{
	CnnTrain t = { { .eta = 0.05, .decay = 0.85, .momentum = 0.9, .lambda = 1, .keep_in = 1,
	                 .keep_hidden = 1, .batch = 50, .epochs = 3, .patience = 5 }, 0, NULL };
	return t;
}

static Cnn *train_small(const Mnist *m, int n, double *valid)
{
	CnnTrain t = short_run();
	Rng r;
	rng_seed(&r, 1);
	Cnn *net = cnn_new(8, 16, 5, 32);
	cnn_init(net, &r);
	Dataset train = dataset_slice(&m->train, 0, n), val = dataset_slice(&m->valid, 0, 1000);
	cnn_train(net, &train, &val, &t, &r, NULL, NULL, NULL);
	*valid = cnn_accuracy(net, &val, conv_kernels_best(), &gemm_kernels_blocked);
	return net;
}

static int same_params(Cnn *a, Cnn *b)
{
	for (int q = 0; q < 2; q++) {
		size_t n;
		float *pa = part(a, q, &n), *pb = part(b, q, &n);
		if (memcmp(pa, pb, sizeof(float) * n))
			return 0;
	}
	return 1;
}

static void set_threads(int n)
{
	gemm_set_threads(n);
#ifdef _OPENMP
	omp_set_num_threads(n);
#endif
}

static void test_training(const Mnist *m)
{
	double v1, v2;
	set_threads(2);
	Cnn *a = train_small(m, 3000, &v1);
	ok(v1 > 0.92, "3 epochs on 3,000 images: over 92%% of 1,000 validation images right");
	diag("validation accuracy %.2f%%", 100 * v1);
	set_threads(1);
	Cnn *b = train_small(m, 3000, &v2);
	ok(same_params(a, b), "the same seed gives the same parameters, bit for bit, on 2 threads and on 1");
	char path[] = "/tmp/digits-cnn-XXXXXX", err[ERR_LEN];
	int fd = mkstemp(path);
	close(fd);
	ModelFile *mf = cnn_to_file(a);
	ok(mf_save(mf, path, err) == 0, "save the model");
	Model *model = model_load(path, err);
	ok(model && model_kind(model) == &cnn_kind && model_kind(model)->chapter == 4,
	   "it loads through the model face as kind cnn of chapter 4");
	if (model) {
		float s1[MNIST_CLASSES], s2[MNIST_CLASSES];
		cnn_predict(a, m->test.x, s1);
		model_predict(model, m->test.x, s2);
		ok(memcmp(s1, s2, sizeof s1) == 0, "the loaded model predicts exactly what the trained one does");
		model_free(model);
	} else
		ok(0, "the loaded model predicts exactly what the trained one does");
	ModelFile *bad = mf_new("cnn");
	mf_add(bad, "conv1.W", 4, (int[]){ 8, 1, 5, 5 });
	mf_add(bad, "conv1.b", 1, (int[]){ 8 });
	mf_add(bad, "conv2.W", 4, (int[]){ 16, 7, 5, 5 });
	mf_add(bad, "conv2.b", 1, (int[]){ 16 });
	model = mf_save(bad, path, err) == 0 ? model_load(path, err) : NULL;
	ok(!model && strstr(err, "conv2.W") && strstr(err, "16x7x5x5"),
	   "a model whose second kernels do not fit the first is refused, naming the tensor");
	diag("%s", err);
	model_free(model);
	mf_free(bad);
	unlink(path);
	mf_free(mf);
	cnn_free(a);
	cnn_free(b);
}

int main(void)
{
	char err[ERR_LEN];
	Mnist m;
	if (mnist_load(&m, NULL, err) < 0)
		skip_all("MNIST is missing (run make data)");
	plan(12);
	test_gradient(&m);
	test_simd_network(&m);
	test_augment(&m);
	test_training(&m);
	mnist_free(&m);
	return done_testing();
}

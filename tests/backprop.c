/* Chapter 2: backpropagation is checked against central differences, the
 * per-example and matrix forms and the scalar and AVX2 kernels agree, a short
 * run on an MNIST subset learns, and a model survives the model file. */
#include "tap.h"
#include "mlp.h"
#include "model.h"
#include "util.h"
#include <stdint.h>
#include <unistd.h>


static void fill(float *v, size_t n, Rng *r, double lo, double hi)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (float)(lo + (hi - lo) * rng_uniform(r));
}

/* A small network 12-9-7-4 with N(0,1) parameters, and 6 random examples. */
enum { NX = 6, NIN = 12, NOUT = 4 };
static const int small_sizes[] = { NIN, 9, 7, NOUT };

static Mlp *gradient_of(const Mlp *net, const float *x, const unsigned char *y,
                        const Kernels *k)
{
	Mlp *g = mlp_new(net->nlayers, net->sizes);
	MlpWork *w = mlp_work_new(net, NX);
	if (!k)
		for (int i = 0; i < NX; i++)
			mlp_backprop(net, x + i * NIN, y[i], g, w);
	else
		mlp_backprop_batch(net, x, y, NX, g, w, k);
	mlp_work_free(w);
	return g;
}

static void test_gradients(const Kernels *avx2)
{
	Rng r;
	rng_seed(&r, 42);
	Mlp *net = mlp_new(3, small_sizes);
	mlp_init(net, &r);
	float x[NX * NIN];
	unsigned char y[NX];
	fill(x, NX * NIN, &r, 0, 1);
	for (int i = 0; i < NX; i++)
		y[i] = (unsigned char)rng_int(&r, NOUT);
	size_t worst;
	Mlp *g = gradient_of(net, x, y, NULL);
	double e = mlp_gradient_check(net, g, x, y, NX, 1e-3f, &worst);
	diag("per-example: largest relative error %.3g at parameter %zu of %zu", e, worst, net->nparams);
	is_below(e, 1e-4, "per-example backprop: every weight and bias matches central differences within 1e-4");
	Mlp *gp = gradient_of(net, x, y, &kernels_scalar);
	e = mlp_gradient_check(net, gp, x, y, NX, 1e-3f, NULL);
	is_below(e, 1e-4, "matrix backprop (scalar kernels) matches central differences within 1e-4");
	is_below(max_rel_diff(gp->params, g->params, g->nparams), 1e-6,
	         "per-example and scalar matrix gradients agree within 1e-6");
	if (avx2) {
		Mlp *ga = gradient_of(net, x, y, avx2);
		e = mlp_gradient_check(net, ga, x, y, NX, 1e-3f, NULL);
		is_below(e, 1e-4, "matrix backprop (AVX2 kernels) matches central differences within 1e-4");
		double d = max_rel_diff(ga->params, g->params, g->nparams);
		diag("AVX2 vs per-example gradient: relative difference %.3g", d);
		is_below(d, 1e-5, "per-example and AVX2 matrix gradients agree within 1e-5");
		mlp_free(ga);
	} else {
		ok(1, "# SKIP no AVX2 and FMA on this processor");
		ok(1, "# SKIP no AVX2 and FMA on this processor");
	}
	g->params[5] *= 1.1f;
	e = mlp_gradient_check(net, g, x, y, NX, 1e-3f, &worst);
	ok(e > 1e-2 && worst == 5, "the check catches a 10%% error in one weight (error %.3g at %zu)",
	   e, worst);
	mlp_free(gp);
	mlp_free(g);
	mlp_free(net);
}

/* The AVX2 kernels against the scalar ones, on sizes that exercise every edge. */
static void test_kernels(const Kernels *avx2)
{
	static const int dims[][3] = { { 7, 13, 37 }, { 10, 30, 784 }, { 1, 10, 30 }, { 3, 33, 9 } };
	const Kernels *p = &kernels_scalar;
	if (!avx2) {
		for (int t = 0; t < 4; t++)
			ok(1, "# SKIP no AVX2 and FMA on this processor");
		return;
	}
	Rng r;
	rng_seed(&r, 7);
	double worst[4] = { 0 };
	for (size_t d = 0; d < sizeof dims / sizeof *dims; d++) {
		int m = dims[d][0], n = dims[d][1], k = dims[d][2];
		float *a = xmalloc(sizeof(float) * m * k), *b = xmalloc(sizeof(float) * n * k);
		float *c0 = xmalloc(sizeof(float) * m * n), *c1 = xmalloc(sizeof(float) * m * n);
		fill(a, (size_t)m * k, &r, -1, 1);
		fill(b, (size_t)n * k, &r, -1, 1);
		p->gemm_nt(c0, a, b, m, n, k);
		avx2->gemm_nt(c1, a, b, m, n, k);
		worst[0] = fmax(worst[0], max_rel_diff(c1, c0, (size_t)m * n));
		p->gemm_nn(c0, a, b, m, n, k);                 /* a (m, k), b (k, n) */
		avx2->gemm_nn(c1, a, b, m, n, k);
		worst[1] = fmax(worst[1], max_rel_diff(c1, c0, (size_t)m * n));
		fill(c0, (size_t)m * n, &r, -1, 1);
		memcpy(c1, c0, sizeof(float) * m * n);
		p->gemm_tn(c0, a, b, m, n, k < m ? k : m);     /* a (k', m), b (k', n) */
		avx2->gemm_tn(c1, a, b, m, n, k < m ? k : m);
		worst[2] = fmax(worst[2], max_rel_diff(c1, c0, (size_t)m * n));
		p->axpy(c0, 0.37f, a, (size_t)m * n < (size_t)m * k ? (size_t)m * n : (size_t)m * k);
		avx2->axpy(c1, 0.37f, a, (size_t)m * n < (size_t)m * k ? (size_t)m * n : (size_t)m * k);
		worst[3] = fmax(worst[3], max_rel_diff(c1, c0, (size_t)m * n));
		free(a), free(b), free(c0), free(c1);
	}
	is_below(worst[0], 1e-5, "AVX2 gemm_nt equals scalar within 1e-5");
	is_below(worst[1], 1e-5, "AVX2 gemm_nn equals scalar within 1e-5");
	is_below(worst[2], 1e-5, "AVX2 gemm_tn (accumulating) equals scalar within 1e-5");
	is_below(worst[3], 1e-6, "AVX2 axpy equals scalar within 1e-6");
}

/* Train 784-30-10 on d from seed 1 with the given method. */
static Mlp *train(const Dataset *d, MlpMethod method, const Kernels *k, int epochs)
{
	static const int sizes[] = { MNIST_PIXELS, 30, MNIST_CLASSES };
	Mlp *net = mlp_new(2, sizes);
	Rng r;
	rng_seed(&r, 1);
	mlp_init(net, &r);
	MlpTrain t = { 3.0, 10, method, k };
	for (int e = 0; e < epochs; e++)
		mlp_epoch(net, d, &t, &r, NULL);
	return net;
}

static void test_methods(const Mnist *m, const Kernels *avx2)
{
	Dataset few = dataset_slice(&m->train, 0, 200);
	Mlp *a = train(&few, MLP_PER_EXAMPLE, NULL, 1);
	Mlp *b = train(&few, MLP_MATRIX, &kernels_scalar, 1);
	is_below(max_rel_diff(b->params, a->params, a->nparams), 1e-6,
	         "20 steps: per-example and scalar matrix updates agree within 1e-6");
	if (avx2) {
		Mlp *c = train(&few, MLP_MATRIX, avx2, 1);
		double d = max_rel_diff(c->params, a->params, a->nparams);
		diag("20 steps: AVX2 vs per-example parameters: relative difference %.3g", d);
		is_below(d, 1e-5, "20 steps: per-example and AVX2 matrix updates agree within 1e-5");
		mlp_free(c);
	} else
		ok(1, "# SKIP no AVX2 and FMA on this processor");
	mlp_free(a);
	mlp_free(b);
}

static Mlp *test_short_run(const Mnist *m)
{
	Dataset sub = dataset_slice(&m->train, 0, 20000);
	Mlp *a = train(&sub, MLP_MATRIX, NULL, 3);
	Mlp *b = train(&sub, MLP_MATRIX, NULL, 3);
	double acc = mlp_accuracy(a, &m->valid, kernels_best());
	diag("3 epochs on 20,000 images: validation accuracy %.2f%%", 100 * acc);
	is_above(acc, 0.88, "3 epochs on 20,000 images: validation accuracy at least 88%%");
	ok(memcmp(a->params, b->params, sizeof(float) * a->nparams) == 0,
	   "the same seed gives the same network, bit for bit");
	is_double(mlp_accuracy(a, &m->valid, &kernels_scalar), acc, 2e-4,
	          "scalar and best kernels agree on the validation accuracy (within 2 images)");
	mlp_free(b);
	return a;
}

static void test_model_file(const Mnist *m, const Mlp *net)
{
	char path[] = "/tmp/digits-backprop-XXXXXX", err[ERR_LEN];
	int fd = mkstemp(path);
	close(fd);
	ModelFile *mf = mlp_to_file(net);
	mf_set(mf, "chapter", "2");
	is_int(mf_save(mf, path, err), 0, "an mlp model saves");
	Model *model = model_load(path, err);
	ok(model && model_kind(model) == &mlp_kind && model_kind(model)->chapter == 2,
	   "it loads through the model face as kind mlp of chapter 2");
	const Mlp *back = model ? model_net(model) : NULL;
	ok(back && back->nlayers == 2 && back->sizes[1] == 30 &&
	   memcmp(back->params, net->params, sizeof(float) * net->nparams) == 0,
	   "the loaded network has the same layers and parameters");
	int same = back != NULL;
	for (int i = 0; same && i < 500; i++) {
		float s0[MNIST_CLASSES], s1[MNIST_CLASSES];
		const float *x = m->test.x + (size_t)i * MNIST_PIXELS;
		mlp_predict(net, x, s0, kernels_best());
		model_predict(model, x, s1);
		same = memcmp(s0, s1, sizeof s0) == 0;
	}
	ok(same, "the loaded model predicts exactly what the trained one does (500 test images)");
	if (model)
		is_double(evaluate(model_kind(model)->predict, back, &m->test, NULL),
		          mlp_accuracy(net, &m->test, kernels_best()), 0,
		          "evaluate() through the face and mlp_accuracy() agree on the test set");
	else
		ok(0, "evaluate() through the face and mlp_accuracy() agree on the test set");
	model_free(model);
	ModelFile *bad = mf_new("mlp");
	mf_add(bad, "W1", 2, (int[]){ 30, MNIST_PIXELS });
	mf_add(bad, "b1", 1, (int[]){ 30 });
	mf_add(bad, "W2", 2, (int[]){ MNIST_CLASSES, 31 });
	mf_add(bad, "b2", 1, (int[]){ MNIST_CLASSES });
	mf_save(bad, path, err);
	Model *broken = model_load(path, err);
	ok(!broken, "a model whose W2 does not fit W1 is refused");
	like(err, "tensor 'W2' has shape 10x31, expected 10x30", "and the message names W2 and both shapes");
	model_free(broken);
	mf_free(bad);
	unlink(path);
	mf_free(mf);
}

static void test_predict(const Mnist *m, const Mlp *net)
{
	MlpWork *w = mlp_work_new(net, 1);
	double worst = 0;
	for (int i = 0; i < 100; i++) {
		float s[MNIST_CLASSES];
		const float *x = m->test.x + (size_t)i * MNIST_PIXELS;
		mlp_forward(net, x, w);
		mlp_predict(net, x, s, kernels_best());
		worst = fmax(worst, max_rel_diff(s, w->a[2], MNIST_CLASSES));
	}
	is_below(worst, 1e-5, "mlp_predict equals the per-example forward pass within 1e-5");
	mlp_work_free(w);
}

int main(void)
{
	const Kernels *avx2 = kernels_named("avx2");
	plan(23);
	diag("kernels here: best is %s", kernels_best()->name);
	test_gradients(avx2);
	test_kernels(avx2);
	Mnist m;
	char err[ERR_LEN];
	if (mnist_load(&m, NULL, err) < 0) {
		printf("# %s\n", err);
		for (int i = tap_run; i < 23; i++)
			ok(1, "# SKIP MNIST not found (run `make data')");
		return done_testing();
	}
	test_methods(&m, avx2);
	Mlp *net = test_short_run(&m);
	test_predict(&m, net);
	test_model_file(&m, net);
	mlp_free(net);
	mnist_free(&m);
	return done_testing();
}

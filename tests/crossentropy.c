/* Chapter 3: the softmax/cross-entropy network with L2 is checked against
 * central differences; inverted dropout keeps the expected activation and is
 * absent at evaluation; the momentum and L2 updates follow their formulas;
 * early stopping keeps the best epoch; a short run learns; the same seed gives
 * the same network on 1 and 2 threads; the step taken inside BP4's product trains the
 * same network, bit for bit, as backpropagation then the step; a model survives the
 * model face. */
#include "tap.h"
#include "bf16.h"
#include "simd.h"
#include "mlp2.h"
#include "model.h"
#include "util.h"
#include <stdint.h>
#include <unistd.h>

enum { NX = 6, NIN = 12, NOUT = 4, NTESTS = 29 };
static const int small_sizes[] = { NIN, 9, 7, NOUT };


/* NX random images x (NX, NIN) in [0,1) and labels y (NX) from r. */
static void random_examples(Rng *r, float *x, unsigned char *y)
{
	for (int i = 0; i < NX * NIN; i++)
		x[i] = (float)rng_uniform(r);
	for (int i = 0; i < NX; i++)
		y[i] = (unsigned char)rng_int(r, NOUT);
}

/* The full gradient (mean cost + L2) of a small network on NX random examples. */
static double check_gradient(Mlp2Hidden h, Mlp2Output o, const Kernels *k, Mlp **out)
{
	Rng r;
	rng_seed(&r, 42);
	Mlp2 *net = mlp2_new(3, small_sizes, h, o);
	mlp2_init(net, &r, 1);
	for (int l = 1; l <= 3; l++)          /* nonzero biases, so that BP3 is tested */
		for (int j = 0; j < small_sizes[l]; j++)
			net->p->b[l][j] = (float)(0.2 * rng_normal(&r));
	float x[NX * NIN];
	unsigned char y[NX];
	random_examples(&r, x, y);
	Mlp *g = mlp_new(3, small_sizes);
	Mlp2Work *w = mlp2_work_new(net, NX);
	mlp2_backprop_batch(net, x, y, NX, g, w, k, NULL, NULL, NULL);
	mlp2_finish_gradient(g, net->p, NX, 0.5, 20);
	size_t worst;
	double e = mlp2_gradient_check(net, g, x, y, NX, 0.5, 20, 1e-3f, &worst);
	diag("%s/%s, %s kernels: largest relative error %.3g at parameter %zu",
	     h == MLP2_RELU ? "relu" : "sigmoid", o == MLP2_SOFTMAX ? "softmax" : "quadratic",
	     k->name, e, worst);
	mlp2_work_free(w);
	mlp2_free(net);
	*out = g;
	return e;
}

/* With dropout, the gradient of the thinned network: the same masks are drawn
   for every evaluation by reseeding the generator, and the cost is the float
   forward pass's (so the step is larger and the tolerance looser). */
static double check_dropout_gradient(void)
{
	Rng r;
	rng_seed(&r, 8);
	Mlp2 *net = mlp2_new(3, small_sizes, MLP2_SIGMOID, MLP2_SOFTMAX);
	mlp2_init(net, &r, 1);
	float x[NX * NIN];
	unsigned char y[NX];
	random_examples(&r, x, y);
	Mlp2Train t = { .keep_in = 0.8, .keep_hidden = 0.5 };
	Mlp *g = mlp_new(3, small_sizes), *scratch = mlp_new(3, small_sizes);
	Mlp2Work *w = mlp2_work_new(net, NX);
	rng_seed(&r, 99);
	mlp2_backprop_batch(net, x, y, NX, g, w, &kernels_scalar, &t, &r, NULL);
	double worst = 0;
	for (size_t i = 0; i < net->p->nparams; i++) {
		float v = net->p->params[i], h = 1e-2f, c[2];
		for (int s = 0; s < 2; s++) {
			net->p->params[i] = s ? v - h : v + h;
			rng_seed(&r, 99);
			c[s] = (float)mlp2_backprop_batch(net, x, y, NX, scratch, w, &kernels_scalar, &t, &r, NULL);
		}
		net->p->params[i] = v;
		double num = ((double)c[0] - c[1]) / (2.0 * h), den = fabs(g->params[i]) + fabs(num);
		worst = fmax(worst, fabs(g->params[i] - num) / (den > 1e-2 ? den : 1e-2));
	}
	diag("dropout (keep 0.8 inputs, 0.5 hidden), masks held fixed: largest relative error %.3g", worst);
	mlp2_work_free(w);
	mlp_free(g), mlp_free(scratch);
	mlp2_free(net);
	return worst;
}

static void test_gradients(void)
{
	Mlp *g1, *g2, *g3;
	is_below(check_gradient(MLP2_RELU, MLP2_SOFTMAX, &kernels_scalar, &g1), 1e-4,
	         "ReLU, softmax, cross-entropy, L2: gradient matches central differences within 1e-4");
	is_below(check_gradient(MLP2_SIGMOID, MLP2_QUADRATIC, &kernels_scalar, &g2), 1e-4,
	         "sigmoid, quadratic, L2: gradient matches central differences within 1e-4");
	is_below(check_gradient(MLP2_RELU, MLP2_SOFTMAX, &gemm_kernels_blocked, &g3), 1e-4,
	         "the same with the blocked kernels");
	is_below(max_rel_diff(g3->params, g1->params, g1->nparams), 1e-5,
	         "blocked and scalar kernels give the same gradient within 1e-5");
	is_below(check_dropout_gradient(), 1e-2,
	         "with dropout masks held fixed, the gradient matches central differences within 1e-2");
	mlp_free(g1), mlp_free(g2), mlp_free(g3);
}

/* 100 copies of one image through 784-800-10 with dropout 0.5: the dropped-out
   first layer keeps the mean of the evaluation pass, about half the active
   units are dropped, and evaluation drops nothing. */
static void test_dropout(const Mnist *m)
{
	enum { M = 100, H = 800 };
	static const int sizes[] = { MNIST_PIXELS, H, MNIST_CLASSES };
	Rng r;
	rng_seed(&r, 5);
	Mlp2 *net = mlp2_new(2, sizes, MLP2_RELU, MLP2_SOFTMAX);
	mlp2_init(net, &r, 1);
	float *x = xmalloc(sizeof(float) * M * MNIST_PIXELS);
	for (int i = 0; i < M; i++)
		memcpy(x + (size_t)i * MNIST_PIXELS, m->test.x, sizeof(float) * MNIST_PIXELS);
	Mlp2Work *w = mlp2_work_new(net, M);
	mlp2_forward_batch(net, x, M, w, &gemm_kernels_blocked, NULL, NULL);
	float *eval = xmalloc(sizeof(float) * M * H);
	memcpy(eval, w->w->a[1], sizeof(float) * M * H);
	Mlp2Train t = { .keep_in = 1, .keep_hidden = 0.5 };
	mlp2_forward_batch(net, x, M, w, &gemm_kernels_blocked, &t, &r);
	double sum_train = 0, sum_eval = 0;
	long active = 0, dropped = 0, wrong = 0;
	for (int i = 0; i < M * H; i++) {
		sum_train += w->w->a[1][i], sum_eval += eval[i];
		active += eval[i] > 0;
		dropped += eval[i] > 0 && w->w->a[1][i] == 0;
		wrong += w->w->a[1][i] != 0 && w->w->a[1][i] != 2 * eval[i];
	}
	diag("dropout: mean activation %.5f in training, %.5f in evaluation; %ld of %ld active dropped",
	     sum_train / (M * H), sum_eval / (M * H), dropped, active);
	is_double(sum_train / sum_eval, 1, 0.02, "inverted dropout keeps the mean activation within 2%%");
	is_double((double)dropped / active, 0.5, 0.02, "it drops half the active units (within 0.02)");
	is_int(wrong, 0, "a kept unit is scaled by exactly 1/p = 2");
	float s[MNIST_CLASSES];
	mlp2_predict(net, x, s);
	mlp2_forward_batch(net, x, M, w, &gemm_kernels_blocked, NULL, NULL);
	ok(memcmp(w->w->a[1], eval, sizeof(float) * M * H) == 0 &&
	   max_rel_diff(w->w->a[2], s, MNIST_CLASSES) < 1e-5,
	   "evaluation drops nothing: it repeats exactly and matches mlp2_predict");
	free(x), free(eval);
	mlp2_work_free(w);
	mlp2_free(net);
}

/* Two momentum steps and one L2 step on a network of three parameters. */
static void test_updates(void)
{
	static const int sizes[] = { 2, 1 };
	Mlp *w = mlp_new(1, sizes), *v = mlp_new(1, sizes), *g = mlp_new(1, sizes);
	float w0[3] = { 0.5f, -1.0f, 0.25f }, g0[3] = { 0.1f, -0.2f, 0.4f }, g1[3] = { -0.3f, 0.05f, 0.1f };
	memcpy(w->params, w0, sizeof w0);
	float eta = 0.1f, mu = 0.9f, want_v[3], want_w[3];
	int same = 1;
	memcpy(g->params, g0, sizeof g0);
	mlp2_momentum_step(w, v, g, eta, mu);
	for (int i = 0; i < 3; i++) {
		want_v[i] = mu * 0.0f - eta * g0[i];
		want_w[i] = w0[i] + want_v[i];
		same &= v->params[i] == want_v[i] && w->params[i] == want_w[i];
	}
	memcpy(g->params, g1, sizeof g1);
	mlp2_momentum_step(w, v, g, eta, mu);
	for (int i = 0; i < 3; i++) {
		want_v[i] = mu * want_v[i] - eta * g1[i];
		want_w[i] += want_v[i];
		same &= v->params[i] == want_v[i] && w->params[i] == want_w[i];
	}
	ok(same, "two momentum steps give v = mu v - eta g, w = w + v exactly");
	memcpy(g->params, g0, sizeof g0);
	mlp2_finish_gradient(g, w, 4, 2.0, 10);
	ok(g->params[0] == g0[0] * 0.25f + 0.2f * want_w[0] && g->params[1] == g0[1] * 0.25f +
	   0.2f * want_w[1] && g->params[2] == g0[2] * 0.25f,
	   "the L2 gradient is g/m + (lambda/n) w for weights, g/m for the bias");
	mlp_free(w), mlp_free(v), mlp_free(g);
}

/* The fused step against the two steps it fuses, on the 784-800-800-10 network's
   shapes with random parameters, gradients and velocities: the same bits. */
static void test_fused_step(void)
{
	static const int sizes[] = { 784, 800, 800, 10 };
	Mlp *w[2], *v[2], *g[2];
	Rng r;
	rng_seed(&r, 21);
	for (int q = 0; q < 2; q++) {
		w[q] = mlp_new(3, sizes), v[q] = mlp_new(3, sizes), g[q] = mlp_new(3, sizes);
	}
	for (size_t i = 0; i < w[0]->nparams; i++) {
		w[0]->params[i] = w[1]->params[i] = (float)(rng_uniform(&r) - 0.5);
		v[0]->params[i] = v[1]->params[i] = (float)(0.01 * (rng_uniform(&r) - 0.5));
		g[0]->params[i] = g[1]->params[i] = (float)(rng_uniform(&r) - 0.5);
	}
	mlp2_finish_gradient(g[0], w[0], 100, 5.0, 50000);
	mlp2_momentum_step(w[0], v[0], g[0], 0.1, 0.9);
	mlp2_sgd_step(w[1], v[1], g[1], 100, 5.0, 50000, 0.1, 0.9);
	size_t n = w[0]->nparams * sizeof(float);
	ok(!memcmp(w[0]->params, w[1]->params, n) && !memcmp(v[0]->params, v[1]->params, n),
	   "mlp2_sgd_step gives the same bits as mlp2_finish_gradient then mlp2_momentum_step");
	for (int q = 0; q < 2; q++)
		mlp_free(w[q]), mlp_free(v[q]), mlp_free(g[q]);
}

/* kernels_bias_relu (SIMD where the processor has it) against its definition,
   on a ragged width, with and without dropout factors: the same bits. */
static void test_bias_relu(void)
{
	enum { M = 7, N = 37 };
	static float a[M * N], a2[M * N], f[M * N], f2[M * N], b[N];
	Rng r;
	rng_seed(&r, 22);
	for (int i = 0; i < M * N; i++) {
		a[i] = a2[i] = (float)(rng_uniform(&r) - 0.5);
		f[i] = f2[i] = rng_uniform(&r) < 0.5 ? 0.0f : 2.0f;
	}
	for (int j = 0; j < N; j++)
		b[j] = (float)(0.2 * (rng_uniform(&r) - 0.5));
	kernels_bias_relu(a, f, b, M, N);
	int same = 1;
	for (int i = 0; i < M * N; i++) {
		float z = a2[i] + b[i % N], h = z > 0 ? z : 0;
		same &= a[i] == h * f2[i] && f[i] == f2[i] * (float)(z > 0);
	}
	for (int i = 0; i < M * N; i++)
		a[i] = a2[i];
	kernels_bias_relu(a, NULL, b, M, N);
	for (int i = 0; i < M * N; i++) {
		float z = a2[i] + b[i % N];
		same &= a[i] == (z > 0 ? z : 0);
	}
	ok(same, "kernels_bias_relu (%s here) equals its definition bit for bit (7x37, with and "
	   "without dropout)", simd_name(simd_level()));
}

/* kernels_sgd_span (SIMD where the processor has it) against its definition, on a
   ragged length, with gradient sums of both signs of zero among them. */
static void test_sgd_span(void)
{
	enum { N = 45 };
	float w[N], v[N], g[N], w2[N], v2[N];
	Rng r;
	rng_seed(&r, 23);
	for (int i = 0; i < N; i++) {
		w[i] = w2[i] = i % 9 == 0 ? 0.0f : (float)(rng_uniform(&r) - 0.5);
		v[i] = v2[i] = (float)(0.01 * (rng_uniform(&r) - 0.5));
		g[i] = i % 7 == 0 ? (i % 2 ? -0.0f : 0.0f) : (float)(rng_uniform(&r) - 0.5);
	}
	kernels_sgd_span(w, v, g, N, 0.01f, 1e-4f, 0.1f, 0.9f);
	int same = 1;
	for (int i = 0; i < N; i++) {
		float gi = (0.0f + g[i]) * 0.01f + 1e-4f * w2[i], vi = 0.9f * v2[i] - 0.1f * gi;
		float wi = w2[i] + vi;
		same &= !memcmp(&v[i], &vi, sizeof vi) && !memcmp(&w[i], &wi, sizeof wi);
	}
	ok(same, "kernels_sgd_span (%s here) equals its definition bit for bit (45 weights)",
	   simd_name(simd_level()));
}

/* Two epochs of a ragged network on random images, with the step inside BP4's product
   and as a separate pass, on 1 and 2 threads, with mini-batches of 40 (the last of 10)
   and of 300 (more than one block of K): the same parameters and velocities; with the
   kernels k, whose BP4 with an epilogue is then (NULL: k is gemm_kernels_blocked). */
static void test_step_in_product(const Kernels *k, GemmThenFn *then)
{
	static const int sizes[] = { MNIST_PIXELS, 70, 45, 10 };
	enum { N = 610 };
	static float x[N * MNIST_PIXELS];
	static unsigned char y[N];
	Rng r;
	rng_seed(&r, 24);
	for (int i = 0; i < N * MNIST_PIXELS; i++)
		x[i] = (float)rng_uniform(&r);
	for (int i = 0; i < N; i++)
		y[i] = (unsigned char)rng_int(&r, 10);
	Dataset d = { N, x, y };
	int same = 1;
	for (int c = 0; c < 4; c++) {
		Mlp2 *net[2];
		Mlp *vel[2];
		for (int q = 0; q < 2; q++) {
			Mlp2Train t = { .eta = 0.1, .decay = 1, .momentum = 0.9, .lambda = 5,
			                .keep_in = 0.8, .keep_hidden = 0.7, .batch = c & 1 ? 300 : 40,
			                .kernels = k, .tn_then = then, .separate_step = q };
			double acc;
			rng_seed(&r, 25);
			net[q] = mlp2_new(3, sizes, MLP2_RELU, MLP2_SOFTMAX);
			vel[q] = mlp_new(3, sizes);
			mlp2_init(net[q], &r, 1);
			gemm_set_threads(c < 2 ? 1 : 2);
			for (int e = 0; e < 2; e++)
				mlp2_epoch(net[q], vel[q], &d, &t, t.eta, &r, &acc, NULL);
		}
		size_t n = net[0]->p->nparams * sizeof(float);
		same &= !memcmp(net[0]->p->params, net[1]->p->params, n) &&
		        !memcmp(vel[0]->params, vel[1]->params, n);
		for (int q = 0; q < 2; q++)
			mlp2_free(net[q]), mlp_free(vel[q]);
	}
	gemm_set_threads(0);
	ok(same, "with the %s kernels, the step inside BP4's product trains the same bits as "
	   "backpropagation then the step (batches of 40 and 300, 1 and 2 threads)", k->name);
}

/* Early stopping: every epoch's validation accuracy and parameters are
   recorded; the trained network must be the best epoch's. */
typedef struct { double valid[16]; float *params[16]; long n; } Record;

static void record(void *ctx, const Mlp2 *net, const Mlp2Epoch *e)
{
	Record *r = ctx;
	r->valid[r->n] = e->valid_accuracy;
	r->params[r->n] = xmalloc(sizeof(float) * net->p->nparams);
	memcpy(r->params[r->n], net->p->params, sizeof(float) * net->p->nparams);
	r->n++;
}

static void test_early_stopping(const Mnist *m)
{
	static const int sizes[] = { MNIST_PIXELS, 30, MNIST_CLASSES };
	Dataset few = dataset_slice(&m->train, 0, 1000), valid = dataset_slice(&m->valid, 0, 2000);
	Mlp2Train t = { .eta = 1.5, .decay = 1, .momentum = 0.5, .lambda = 0, .keep_in = 1,
	                .keep_hidden = 1, .batch = 10, .epochs = 8, .patience = 3,
	                .kernels = &gemm_kernels_blocked };
	Rng r;
	rng_seed(&r, 3);
	Mlp2 *net = mlp2_new(2, sizes, MLP2_SIGMOID, MLP2_SOFTMAX);
	mlp2_init(net, &r, 1);
	Record rec = { { 0 }, { 0 }, 0 };
	long best = mlp2_train(net, &few, &valid, &t, &r, record, &rec, NULL);
	long want = 0;
	for (long e = 0; e < rec.n; e++)
		want = rec.valid[e] > rec.valid[want] ? e : want;
	char curve[200] = "";
	for (long e = 0; e < rec.n; e++)
		snprintf(curve + strlen(curve), sizeof curve - strlen(curve), " %.2f", 100 * rec.valid[e]);
	diag("validation by epoch:%s; best epoch %ld", curve, best);
	is_int(best, want + 1, "mlp2_train returns the epoch with the best validation accuracy");
	ok(best >= 1 && memcmp(net->p->params, rec.params[best - 1], sizeof(float) * net->p->nparams) == 0,
	   "and leaves that epoch's parameters in the network");
	ok(rec.n <= best + t.patience && (rec.n == t.epochs || rec.n == best + t.patience),
	   "it stops %ld epochs after the best, or at the last epoch (ran %ld)", t.patience, rec.n);
	for (long e = 0; e < rec.n; e++)
		free(rec.params[e]);
	mlp2_free(net);
}

static Mlp2 *train(const Dataset *d, const Dataset *valid, const int *sizes, int nlayers,
                   int threads, long epochs)
{
	Mlp2Train t = { .eta = 0.1, .decay = 0.93, .momentum = 0.9, .lambda = 5, .keep_in = 1,
	                .keep_hidden = 0.7, .batch = 100, .epochs = epochs, .patience = 10,
	                .kernels = &gemm_kernels_blocked };
	Rng r;
	rng_seed(&r, 1);
	Mlp2 *net = mlp2_new(nlayers, sizes, MLP2_RELU, MLP2_SOFTMAX);
	mlp2_init(net, &r, 1);
	gemm_set_threads(threads);
	mlp2_train(net, d, valid, &t, &r, NULL, NULL, NULL);
	gemm_set_threads(0);
	return net;
}

static Mlp2 *test_short_run_and_threads(const Mnist *m)
{
	static const int small[] = { MNIST_PIXELS, 100, MNIST_CLASSES };
	static const int deep[] = { MNIST_PIXELS, 200, 200, MNIST_CLASSES };
	Dataset sub = dataset_slice(&m->train, 0, 10000), few = dataset_slice(&m->train, 0, 2000);
	Dataset valid = dataset_slice(&m->valid, 0, 1000);
	Mlp2 *net = train(&sub, &m->valid, small, 2, 0, 3);
	double acc = mlp2_accuracy(net, &m->valid, &gemm_kernels_blocked);
	diag("784-100-10, 3 epochs on 10,000 images with the chapter's recipe: validation %.2f%%",
	     100 * acc);
	is_above(acc, 0.92, "784-100-10, 3 epochs on 10,000 images: validation accuracy at least 92%%");
	Mlp2 *one = train(&few, &valid, deep, 3, 1, 2), *two = train(&few, &valid, deep, 3, 2, 2);
	ok(memcmp(one->p->params, two->p->params, sizeof(float) * one->p->nparams) == 0,
	   "784-200-200-10 with dropout, 2 epochs: the same seed gives the same bits on 1 and 2 threads");
	mlp2_free(one), mlp2_free(two);
	return net;
}

static void test_model_file(const Mnist *m, const Mlp2 *net)
{
	char path[] = "/tmp/digits-crossentropy-XXXXXX", err[ERR_LEN];
	close(mkstemp(path));
	ModelFile *mf = mlp2_to_file(net);
	is_int(mf_save(mf, path, err), 0, "an mlp2 model saves");
	Model *model = model_load(path, err);
	ok(model && model_kind(model) == &mlp2_kind && model_kind(model)->chapter == 3,
	   "it loads through the model face as kind mlp2 of chapter 3");
	const Mlp2 *back = model ? model_net(model) : NULL;
	ok(back && back->hidden == MLP2_RELU && back->output == MLP2_SOFTMAX &&
	   back->p->nparams == net->p->nparams &&
	   memcmp(back->p->params, net->p->params, sizeof(float) * net->p->nparams) == 0,
	   "with the same activations, layers and parameters");
	int same = back != NULL;
	for (int i = 0; same && i < 500; i++) {
		float s0[MNIST_CLASSES], s1[MNIST_CLASSES];
		mlp2_predict(net, m->test.x + (size_t)i * MNIST_PIXELS, s0);
		model_predict(model, m->test.x + (size_t)i * MNIST_PIXELS, s1);
		same = memcmp(s0, s1, sizeof s0) == 0;
	}
	ok(same, "the loaded model predicts exactly what the trained one does (500 test images)");
	model_free(model);
	mf_set(mf, "hidden", "tanh");
	mf_save(mf, path, err);
	Model *bad = model_load(path, err);
	ok(!bad, "a model with hidden 'tanh' is refused");
	like(err, "found hidden 'tanh'", "and the message says what it found");
	model_free(bad);
	mf_set(mf, "hidden", "relu");
	ModelFile *wrong = mlp2_to_file(net);
	mf_free(wrong);
	wrong = mf_new("mlp2");
	mf_set(wrong, "hidden", "relu");
	mf_set(wrong, "output", "softmax");
	mf_add(wrong, "W1", 2, (int[]){ 100, MNIST_PIXELS });
	mf_add(wrong, "b1", 1, (int[]){ 100 });
	mf_add(wrong, "W2", 2, (int[]){ MNIST_CLASSES, 99 });
	mf_add(wrong, "b2", 1, (int[]){ MNIST_CLASSES });
	mf_save(wrong, path, err);
	bad = model_load(path, err);
	ok(!bad, "a model whose W2 does not fit W1 is refused");
	like(err, "tensor 'W2' has shape 10x99, expected 10x100", "and the message names W2 and both shapes");
	model_free(bad);
	mf_free(wrong);
	unlink(path);
	mf_free(mf);
}

int main(void)
{
	plan(NTESTS);
	test_gradients();
	test_updates();
	test_fused_step();
	test_bias_relu();
	test_sgd_span();
	test_step_in_product(&gemm_kernels_blocked, NULL);
	const char *why;
	if (gemm_amx_available(&why))
		test_step_in_product(&gemm_kernels_amx, gemm_kernels_then(&gemm_kernels_amx));
	else
		skip("the step inside the AMX product: %s", why);
	Mnist m;
	char err[ERR_LEN];
	if (mnist_load(&m, NULL, err) < 0) {
		printf("# %s\n", err);
		for (int i = tap_run; i < NTESTS; i++)
			ok(1, "# SKIP MNIST not found (run `make data')");
		return done_testing();
	}
	test_dropout(&m);
	test_early_stopping(&m);
	Mlp2 *net = test_short_run_and_threads(&m);
	test_model_file(&m, net);
	mlp2_free(net);
	mnist_free(&m);
	return done_testing();
}

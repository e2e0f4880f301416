/* Chapter 4's layers: the SIMD convolution equals the scalar reference on
 * awkward shapes (forward and both backward passes), the backward passes of
 * convolution, max-pooling and ReLU match central differences, max-pooling
 * routes the gradient to the largest input of each block, and every kernel set's
 * pooling gives the scalar reference's bits. */
#include "tap.h"
#include "simd.h"
#include "conv.h"
#include "rng.h"
#include "util.h"

static void fill(float *v, size_t n, Rng *r, double lo, double hi)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (float)(lo + (hi - lo) * rng_uniform(r));
}

/* The planes the pooling tests take: our layers' maps, a wide and an odd one. */
static const int pool_shapes[6][2] = { { 24, 24 }, { 8, 8 }, { 6, 40 }, { 7, 9 }, { 5, 18 },
                                        { 4, 32 } };

/* n values from fill(-1, 1) with the negative ones zero, as after ReLU (ties
   everywhere); free with free. */
static float *after_relu(size_t n, Rng *r)
{
	float *v = xmalloc(sizeof(float) * n);
	fill(v, n, r, -1, 1);
	for (size_t i = 0; i < n; i++)
		v[i] = v[i] > 0 ? v[i] : 0;
	return v;
}


static size_t in_size(const ConvShape *s, int m) { return (size_t)m * s->c_in * s->h_in * s->w_in; }
static size_t out_size(const ConvShape *s, int m) { return (size_t)m * s->c_out * s->h_out * s->w_out; }
static size_t w_size(const ConvShape *s) { return (size_t)s->c_out * s->c_in * s->k * s->k; }

/* The SIMD kernels against the scalar ones on shape s with m images: the three
   largest relative differences go to diff[3]. */
static void compare(const ConvKernels *fast, const ConvShape *s, int m, double diff[3])
{
	Rng r;
	rng_seed(&r, 7);
	size_t ni = in_size(s, m), no = out_size(s, m), nw = w_size(s);
	float *in = xmalloc(ni * sizeof(float)), *w = xmalloc(nw * sizeof(float));
	float *b = xmalloc((size_t)s->c_out * sizeof(float)), *dout = xmalloc(no * sizeof(float));
	float *o1 = xmalloc(no * sizeof(float)), *o2 = xmalloc(no * sizeof(float));
	float *d1 = xmalloc(ni * sizeof(float)), *d2 = xmalloc(ni * sizeof(float));
	float *w1 = xcalloc(nw + s->c_out, sizeof(float)), *w2 = xcalloc(nw + s->c_out, sizeof(float));
	fill(in, ni, &r, 0, 1);
	fill(w, nw, &r, -1, 1);
	fill(b, (size_t)s->c_out, &r, -1, 1);
	fill(dout, no, &r, -1, 1);
	conv_kernels_scalar.forward(o1, in, w, b, s, m);
	fast->forward(o2, in, w, b, s, m);
	diff[0] = max_rel_diff(o2, o1, no);
	conv_kernels_scalar.backward_input(d1, dout, w, s, m);
	fast->backward_input(d2, dout, w, s, m);
	diff[1] = max_rel_diff(d2, d1, ni);
	fill(w1, nw + s->c_out, &r, -1, 1);   /* the kernels add: start from the same non-zero values */
	memcpy(w2, w1, (nw + s->c_out) * sizeof(float));
	conv_kernels_scalar.backward_weights(w1, w1 + nw, dout, in, s, m);
	fast->backward_weights(w2, w2 + nw, dout, in, s, m);
	diff[2] = max_rel_diff(w2, w1, nw + s->c_out);
	free(in), free(w), free(b), free(dout), free(o1), free(o2), free(d1), free(d2), free(w1), free(w2);
}

static void test_simd(const char *name)
{
	const ConvKernels *fast = conv_kernels_named(name);
	static const int shapes[][6] = {   /* c_in, h_in, w_in, c_out, k, m */
		{ 1, 28, 28, 8, 5, 3 },          /* the first layer: 24 = 3 vectors of 8 */
		{ 8, 12, 12, 16, 5, 3 },         /* the second: one vector of 8 per row */
		{ 1, 17, 13, 3, 5, 2 },          /* width 9: a vector and one pixel; 3 kernels */
		{ 3, 9, 20, 5, 3, 2 },           /* width 18, k = 3, 5 kernels */
		{ 2, 11, 14, 7, 7, 1 },          /* k = 7: kernel columns in blocks of 5 and 2 */
		{ 4, 6, 6, 2, 6, 4 },            /* one output pixel per image */
	};
	for (size_t q = 0; q < sizeof shapes / sizeof *shapes; q++) {
		const int *v = shapes[q];
		ConvShape s = conv_shape(v[0], v[1], v[2], v[3], v[4]);
		if (!fast) {
			skip("%s kernels: not run here (the processor lacks their instruction set, or $DIGITS_SIMD is below it)", name);
			continue;
		}
		double d[3];
		compare(fast, &s, v[5], d);
		ok(d[0] < 1e-5 && d[1] < 1e-5 && d[2] < 1e-5,
		   "%s = scalar within 1e-5 (relative) for %d x %dx%d -> %d kernels %dx%d, %d images",
		   name, v[0], v[1], v[2], v[3], v[4], v[4], v[5]);
		diag("forward %.2g, input gradient %.2g, kernel gradient %.2g", d[0], d[1], d[2]);
	}
}

/* f = sum_j r_j out_j for a fixed random r, so df/dout = r and the backward
   pass given r is the gradient of f. */
static double weighted(const float *out, const float *r, size_t n)
{
	double f = 0;
	for (size_t i = 0; i < n; i++)
		f += (double)out[i] * r[i];
	return f;
}

/* The largest relative error of the conv gradients (input, kernels, biases)
   against central differences of f, for shape s and m images. */
static double conv_gradcheck(const ConvKernels *kern, const ConvShape *s, int m)
{
	Rng rg;
	rng_seed(&rg, 3);
	size_t ni = in_size(s, m), no = out_size(s, m), nw = w_size(s), np = nw + s->c_out;
	float *in = xmalloc(ni * sizeof(float)), *p = xmalloc(np * sizeof(float));
	float *r = xmalloc(no * sizeof(float)), *out = xmalloc(no * sizeof(float));
	float *din = xmalloc(ni * sizeof(float)), *dp = xcalloc(np, sizeof(float));
	fill(in, ni, &rg, 0, 1);
	fill(p, np, &rg, -0.5, 0.5);
	fill(r, no, &rg, -1, 1);
	kern->backward_input(din, r, p, s, m);
	kern->backward_weights(dp, dp + nw, r, in, s, m);
	double worst = 0;
	const float h = 0.25f;   /* f is linear in each variable: any step is exact but for rounding */
	for (int which = 0; which < 2; which++) {
		float *v = which ? p : in, *g = which ? dp : din;
		size_t n = which ? np : ni;
		for (size_t i = 0; i < n; i++) {
			float v0 = v[i];
			v[i] = v0 + h;
			kern->forward(out, in, p, p + nw, s, m);
			double up = weighted(out, r, no);
			v[i] = v0 - h;
			kern->forward(out, in, p, p + nw, s, m);
			double down = weighted(out, r, no);
			v[i] = v0;
			double num = (up - down) / (2.0 * h), den = fabs(num) + fabs(g[i]);
			worst = fmax(worst, fabs(num - g[i]) / (den > 1e-3 ? den : 1e-3));
		}
	}
	free(in), free(p), free(r), free(out), free(din), free(dp);
	return worst;
}

static void test_conv_gradients(void)
{
	ConvShape s = conv_shape(2, 7, 9, 3, 3);
	double e = conv_gradcheck(&conv_kernels_scalar, &s, 2);
	ok(e < 1e-3, "scalar conv: input, kernel and bias gradients match central differences "
	   "within 1e-3 (2 x 7x9 -> 3 kernels 3x3, 2 images)");
	diag("largest relative error %.3g", e);
	const ConvKernels *fast = conv_kernels_named("avx2");
	if (!fast) {
		ok(1, "# SKIP no AVX2 and FMA on this processor");
		return;
	}
	s = conv_shape(3, 10, 12, 2, 5);
	e = conv_gradcheck(fast, &s, 2);
	ok(e < 1e-3, "avx2 conv: gradients match central differences within 1e-3 "
	   "(3 x 10x12 -> 2 kernels 5x5, 2 images)");
	diag("largest relative error %.3g", e);
}

/* The AVX-512 forward pass gives the AVX2 one's bits (the same FMAs in the same
   order) on the layers' shapes and on odd ones (pixels in the lanes: rows wider than
   a register, a single output pixel). */
static void test_forward_bits(void)
{
	const ConvKernels *a = conv_kernels_named("avx2"), *b = conv_kernels_named("avx512");
	if (!a || !b) {
		skip("avx512 forward = avx2 forward: no AVX-512 here (or $DIGITS_SIMD is below it)");
		return;
	}
	static const int shapes[6][6] = { { 16, 12, 12, 32, 5, 3 }, { 32, 12, 12, 64, 5, 2 },
	                                  { 1, 28, 28, 16, 5, 3 }, { 1, 28, 28, 32, 5, 2 },
	                                  { 2, 9, 30, 12, 3, 2 }, { 1, 7, 7, 4, 7, 3 } };
	int same = 1;
	Rng r;
	rng_seed(&r, 8);
	for (int q = 0; q < 6; q++) {
		const int *v = shapes[q];
		ConvShape s = conv_shape(v[0], v[1], v[2], v[3], v[4]);
		size_t ni = in_size(&s, v[5]), no = out_size(&s, v[5]), nw = w_size(&s);
		float *in = xmalloc(ni * sizeof(float)), *w = xmalloc(nw * sizeof(float));
		float *bias = xmalloc((size_t)s.c_out * sizeof(float));
		float *o1 = xmalloc(no * sizeof(float)), *o2 = xmalloc(no * sizeof(float));
		fill(in, ni, &r, 0, 1), fill(w, nw, &r, -1, 1), fill(bias, (size_t)s.c_out, &r, -1, 1);
		a->forward(o1, in, w, bias, &s, v[5]);
		b->forward(o2, in, w, bias, &s, v[5]);
		same &= memcmp(o1, o2, no * sizeof(float)) == 0;
		free(in), free(w), free(bias), free(o1), free(o2);
	}
	ok(same, "the avx512 forward pass gives the avx2 one's bits (16 -> 32, 32 -> 64, 1 -> 16, "
	   "1 -> 32, 2 -> 12 kernels 3x3 on 9x30, 1 -> 4 kernels 7x7 on 7x7)");
}

/* The AVX-512 kernel and input gradients give the gemm set's bits (the same FMA
   chains, added in the same order) on the second layers of both networks and on
   ragged tiles. */
static void test_backward_bits(void)
{
	const ConvKernels *a = conv_kernels_named("gemm"), *b = conv_kernels_named("avx512");
	if (!a || !b) {
		skip("avx512 kernel gradient = gemm's: no AVX-512 here (or $DIGITS_SIMD is below it)");
		skip("avx512 input gradient = gemm's: no AVX-512 here (or $DIGITS_SIMD is below it)");
		return;
	}
	static const int shapes[7][6] = { { 16, 12, 12, 32, 5, 7 }, { 32, 12, 12, 64, 5, 3 },
	                                  { 3, 9, 11, 48, 5, 2 }, { 5, 10, 10, 16, 4, 3 },
	                                  { 3, 9, 12, 16, 5, 2 }, { 4, 11, 12, 32, 5, 2 },
	                                  { 2, 6, 12, 16, 5, 3 } };
	int same = 1, same_in = 1;
	Rng r;
	rng_seed(&r, 9);
	for (int q = 0; q < 7; q++) {
		const int *v = shapes[q];
		ConvShape s = conv_shape(v[0], v[1], v[2], v[3], v[4]);
		size_t ni = in_size(&s, v[5]), no = out_size(&s, v[5]), nw = w_size(&s);
		float *in = xmalloc(ni * sizeof(float)), *dout = xmalloc(no * sizeof(float));
		float *din[2] = { xmalloc(ni * sizeof(float)), xmalloc(ni * sizeof(float)) };
		float *w[2], *bias[2];
		fill(in, ni, &r, 0, 1), fill(dout, no, &r, -1, 1);
		for (int k = 0; k < 2; k++) {
			w[k] = xmalloc(nw * sizeof(float)), bias[k] = xmalloc((size_t)s.c_out * sizeof(float));
			Rng same_start = r;
			fill(w[k], nw, &same_start, -1, 1), fill(bias[k], (size_t)s.c_out, &same_start, -1, 1);
		}
		a->backward_weights(w[0], bias[0], dout, in, &s, v[5]);
		b->backward_weights(w[1], bias[1], dout, in, &s, v[5]);
		same &= !memcmp(w[0], w[1], nw * sizeof(float)) &&
		        !memcmp(bias[0], bias[1], (size_t)s.c_out * sizeof(float));
		a->backward_input(din[0], dout, w[0], &s, v[5]);
		b->backward_input(din[1], dout, w[0], &s, v[5]);
		same_in &= !memcmp(din[0], din[1], ni * sizeof(float));
		free(in), free(dout), free(din[0]), free(din[1]);
		for (int k = 0; k < 2; k++)
			free(w[k]), free(bias[k]);
	}
	ok(same, "the avx512 kernel gradient gives the gemm set's bits (16 -> 32, 32 -> 64, "
	   "3 -> 48 and 5 -> 16 kernels; and rows of 8 pixels, 5, 7 and 2 of them)");
	ok(same_in, "the avx512 input gradient gives the gemm set's bits (the same shapes: "
	   "rows of 8 pixels without columns)");
}

/* The first layers' kernel gradient of the set avx512 (kernels in pairs, images a few
   at a time), from the error maps and from the pooled errors, against the gemm set's
   by memcmp: 1 -> 32 and 1 -> 16 of 28x28 (our layers), 1 -> 8 with 3x3 kernels of
   12x18, 2 -> 16 with 4x4 of 11x19, 1 -> 8 of 13x12 (maps of odd height: the pooled
   path routes into the maps first) and 1 -> 8 of 13x13 (rows not in whole vectors:
   the gemm set's kernel). */
static void test_first_layer_bits(void)
{
	const ConvKernels *a = conv_kernels_named("gemm"), *b = conv_kernels_named("avx512");
	if (!a || !b) {
		skip("avx512 first-layer kernel gradient = gemm's: no AVX-512 here (or $DIGITS_SIMD "
		     "is below it)");
		skip("the same from the pooled errors: no AVX-512 here (or $DIGITS_SIMD is below it)");
		return;
	}
	static const int shapes[6][6] = { { 1, 28, 28, 32, 5, 9 }, { 1, 28, 28, 16, 5, 3 },
	                                  { 1, 12, 18, 8, 3, 3 }, { 2, 11, 19, 16, 4, 5 },
	                                  { 1, 13, 12, 8, 5, 3 }, { 1, 13, 13, 8, 5, 3 } };
	int same = 1, same_pooled = 1;
	Rng r;
	rng_seed(&r, 11);
	for (int q = 0; q < 6; q++) {
		const int *v = shapes[q];
		ConvShape s = conv_shape(v[0], v[1], v[2], v[3], v[4]);
		size_t ni = in_size(&s, v[5]), no = out_size(&s, v[5]), nw = w_size(&s);
		size_t np = (size_t)v[5] * s.c_out * (s.h_out / 2) * (s.w_out / 2);
		float *in = xmalloc(ni * sizeof(float)), *maps = xmalloc(no * sizeof(float));
		float *d = xmalloc(no * sizeof(float)), *pooled = xmalloc(np * sizeof(float));
		float *dpool = xmalloc(np * sizeof(float)), *g[4];
		int *arg = xmalloc(np * sizeof(int));
		fill(in, ni, &r, 0, 1), fill(maps, no, &r, -1, 1), fill(dpool, np, &r, -1, 1);
		conv_relu_forward(maps, no);
		conv_maxpool_forward(pooled, arg, maps, v[5], s.c_out, s.h_out, s.w_out);
		for (int k = 0; k < 4; k++) {          /* kernels then biases, twice */
			g[k] = xmalloc((nw + (size_t)s.c_out) * sizeof(float));
			Rng same_start = r;
			fill(g[k], nw + (size_t)s.c_out, &same_start, -1, 1);
		}
		conv_maxpool_relu_backward(d, dpool, pooled, arg, v[5], s.c_out, s.h_out, s.w_out);
		a->backward_weights(g[0], g[0] + nw, d, in, &s, v[5]);
		b->backward_weights(g[1], g[1] + nw, d, in, &s, v[5]);
		same &= !memcmp(g[0], g[1], (nw + (size_t)s.c_out) * sizeof(float));
		conv_backward_pooled(a, g[2], g[2] + nw, maps, dpool, pooled, arg, in, &s, v[5]);
		conv_backward_pooled(b, g[3], g[3] + nw, maps, dpool, pooled, arg, in, &s, v[5]);
		same_pooled &= !memcmp(g[0], g[2], (nw + (size_t)s.c_out) * sizeof(float)) &&
		               !memcmp(g[2], g[3], (nw + (size_t)s.c_out) * sizeof(float));
		free(in), free(maps), free(d), free(pooled), free(dpool), free(arg);
		for (int k = 0; k < 4; k++)
			free(g[k]);
	}
	ok(same, "the avx512 kernel gradient of first layers gives the gemm set's bits (1 -> 32, "
	   "1 -> 16, 1 -> 8 of 12x18, 2 -> 16, 1 -> 8 of 13x12 and of 13x13 kernels)");
	ok(same_pooled, "so does conv_backward_pooled from the pooled errors, in both sets (the "
	   "same shapes)");
}

static void test_pool(void)
{
	enum { M = 2, C = 3, H = 6, W = 7, HO = H / 2, WO = W / 2 };
	Rng rg;
	rng_seed(&rg, 5);
	float in[M * C * H * W], out[M * C * HO * WO], r[M * C * HO * WO], din[M * C * H * W];
	int arg[M * C * HO * WO];
	fill(in, M * C * H * W, &rg, -1, 1);   /* distinct values: no ties */
	fill(r, M * C * HO * WO, &rg, -1, 1);
	conv_maxpool_forward(out, arg, in, M, C, H, W);
	int right = 1;
	for (int p = 0; p < M * C; p++)
		for (int y = 0; y < HO; y++)
			for (int x = 0; x < WO; x++) {
				float big = -2;
				for (int dy = 0; dy < 2; dy++)
					for (int dx = 0; dx < 2; dx++)
						big = fmaxf(big, in[(p * H + 2 * y + dy) * W + 2 * x + dx]);
				right &= out[(p * HO + y) * WO + x] == big && in[arg[(p * HO + y) * WO + x]] == big;
			}
	ok(right, "max-pool 2x2 of 6x7: each output is the largest of its block (odd column dropped)");
	conv_maxpool_backward(din, r, arg, M, C, H, W);
	int routed = 1, nonzero = 0;
	for (int j = 0; j < M * C * HO * WO; j++)
		routed &= din[arg[j]] == r[j];
	for (int i = 0; i < M * C * H * W; i++)
		nonzero += din[i] != 0;
	ok(routed && nonzero == M * C * HO * WO,
	   "max-pool backward puts each gradient on its block's argmax and zero everywhere else");
	/* central differences: the max moves smoothly while no two inputs of a block swap */
	double worst = 0;
	const float h = 1e-3f;
	for (int i = 0; i < M * C * H * W; i++) {
		float v0 = in[i];
		in[i] = v0 + h;
		conv_maxpool_forward(out, arg, in, M, C, H, W);
		double up = weighted(out, r, M * C * HO * WO);
		in[i] = v0 - h;
		conv_maxpool_forward(out, arg, in, M, C, H, W);
		double down = weighted(out, r, M * C * HO * WO);
		in[i] = v0;
		worst = fmax(worst, fabs((up - down) / (2.0 * h) - din[i]));
	}
	ok(worst < 1e-3, "max-pool gradient matches central differences within 1e-3");
	diag("largest error %.3g", worst);
	float tie[4] = { 0.5f, 0.5f, 0.5f, 0.5f }, tout[1], tg = 1, tdin[4];
	int targ[1];
	conv_maxpool_forward(tout, targ, tie, 1, 1, 2, 2);
	conv_maxpool_backward(tdin, &tg, targ, 1, 1, 2, 2);
	ok(targ[0] == 0 && tdin[0] == 1 && tdin[1] == 0 && tdin[2] == 0 && tdin[3] == 0,
	   "on a tie the gradient goes to the first of equal inputs only");
}

/* The kernel sets whose pooling the tests compare, the reference first. */
static const char *const set_names[4] = { "scalar", "avx2", "gemm", "avx512" };

/* The kernel set called name, or NULL after skipping its test of what with the reason. */
static const ConvKernels *pool_set(const char *name, const char *what)
{
	const ConvKernels *ck = conv_kernels_named(name);
	if (!ck)
		skip("%s %s: not run here (the processor lacks the set's instruction set, or "
		     "$DIGITS_SIMD is below it)", name, what);
	return ck;
}

/* Our layers' shapes (and a wide and an odd one), half the inputs zero as after
   ReLU, so that ties are everywhere: the set name's pool_forward gives the
   definition's values and places (strict comparisons in the order (0,0), (0,1),
   (1,0), (1,1): the first of equals), and the scalar reference's bits, by memcmp,
   both for the whole batch and run on image 0, then images 1 and 2. */
static void test_pool_shapes(const char *name)
{
	const ConvKernels *ck = pool_set(name, "max-pool");
	if (!ck)
		return;
	Rng rg;
	rng_seed(&rg, 6);
	int right = 1, same = 1;
	for (int q = 0; q < 6; q++) {
		int h = pool_shapes[q][0], w = pool_shapes[q][1], ho = h / 2, wo = w / 2;
		int n = 3 * 2 * h * w, np = 6 * ho * wo;
		float *in = after_relu((size_t)n, &rg), *out[3];
		int *arg[3];
		for (int k = 0; k < 3; k++)
			out[k] = xmalloc(sizeof(float) * np), arg[k] = xmalloc(sizeof(int) * np);
		conv_maxpool_forward(out[0], arg[0], in, 3, 2, h, w);
		ck->pool_forward(out[1], arg[1], in, 0, 3, 2, h, w);
		ck->pool_forward(out[2], arg[2], in, 0, 1, 2, h, w);
		ck->pool_forward(out[2], arg[2], in, 1, 3, 2, h, w);
		for (int p = 0; p < 6; p++)
			for (int y = 0; y < ho; y++)
				for (int x = 0; x < wo; x++) {
					int best = (p * h + 2 * y) * w + 2 * x, o = (p * ho + y) * wo + x;
					for (int d = 1; d < 4; d++) {
						int at = (p * h + 2 * y + d / 2) * w + 2 * x + d % 2;
						best = in[at] > in[best] ? at : best;
					}
					right &= arg[1][o] == best && out[1][o] == in[best];
				}
		for (int k = 1; k < 3; k++)
			same &= !memcmp(out[k], out[0], sizeof(float) * np) &&
			        !memcmp(arg[k], arg[0], sizeof(int) * np);
		free(in);
		for (int k = 0; k < 3; k++)
			free(out[k]), free(arg[k]);
	}
	ok(right && same, "%s max-pool of 24x24, 8x8, 6x40, 7x9, 5x18 and 4x32 planes with ties: "
	   "the definition's maxima and places, the scalar reference's bits (whole batch and "
	   "in two runs)", name);
}

/* The set name's backward pass of pooling after ReLU gives the definition's bits (the
   error routed to its block's winner where the pooled value is positive, added to a
   cleared map), and so the scalar reference's, on the same shapes, ties everywhere,
   errors with negative zeros among them. */
static void test_pool_relu_backward(const char *name)
{
	const ConvKernels *ck = pool_set(name, "max-pool and ReLU backward");
	if (!ck)
		return;
	Rng rg;
	rng_seed(&rg, 7);
	int same = 1;
	for (int q = 0; q < 6; q++) {
		int h = pool_shapes[q][0], w = pool_shapes[q][1];
		int n = 3 * 2 * h * w, np = 6 * (h / 2) * (w / 2);
		float *in = after_relu((size_t)n, &rg), *out = xmalloc(sizeof(float) * np);
		float *d = xmalloc(sizeof(float) * np), *din = xmalloc(sizeof(float) * n);
		float *want = xmalloc(sizeof(float) * n), *ref = xmalloc(sizeof(float) * n);
		int *arg = xmalloc(sizeof(int) * np);
		fill(d, (size_t)np, &rg, -1, 1);
		for (int j = 0; j < np; j += 5)
			d[j] = -0.0f;
		conv_maxpool_forward(out, arg, in, 3, 2, h, w);
		memset(want, 0, sizeof(float) * n);
		for (int j = 0; j < np; j++)
			want[arg[j]] += out[j] > 0 ? d[j] : 0;
		ck->pool_relu_backward(din, d, out, arg, 3, 2, h, w);
		conv_maxpool_relu_backward(ref, d, out, arg, 3, 2, h, w);
		same &= !memcmp(din, want, sizeof(float) * n) && !memcmp(ref, want, sizeof(float) * n);
		free(in), free(out), free(d), free(din), free(want), free(ref), free(arg);
	}
	ok(same, "%s max-pool and ReLU backward on 24x24, 8x8, 6x40, 7x9, 5x18 and 4x32 planes: "
	   "the definition's bits and the scalar reference's, zeros' signs too", name);
}

static void test_relu(void)
{
	enum { N = 200 };
	Rng rg;
	rng_seed(&rg, 9);
	float z[N], a[N], r[N], d[N];
	fill(z, N, &rg, -1, 1);
	for (int i = 0; i < N; i++)
		if (fabsf(z[i]) < 0.01f)
			z[i] = 0.5f;     /* keep away from the kink */
	fill(r, N, &rg, -1, 1);
	memcpy(a, z, sizeof a);
	conv_relu_forward(a, N);
	memcpy(d, r, sizeof d);
	conv_relu_backward(d, a, N);
	double worst = 0;
	const float h = 1e-3f;
	for (int i = 0; i < N; i++) {
		float t[N];
		memcpy(t, z, sizeof t);
		t[i] = z[i] + h;
		conv_relu_forward(t, N);
		double up = weighted(t, r, N);
		memcpy(t, z, sizeof t);
		t[i] = z[i] - h;
		conv_relu_forward(t, N);
		double down = weighted(t, r, N);
		worst = fmax(worst, fabs((up - down) / (2.0 * h) - d[i]));
	}
	ok(worst < 1e-3, "ReLU gradient matches central differences within 1e-3");
	diag("largest error %.3g", worst);
}

int main(void)
{
	plan(38);
	test_simd("avx2");
	test_simd("gemm");
	test_simd("avx512");
	test_forward_bits();
	test_backward_bits();
	test_first_layer_bits();
	test_conv_gradients();
	test_pool();
	for (int q = 0; q < 4; q++)
		test_pool_shapes(set_names[q]);
	for (int q = 0; q < 4; q++)
		test_pool_relu_backward(set_names[q]);
	test_relu();
	return done_testing();
}

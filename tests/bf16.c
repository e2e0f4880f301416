/* Appendix J: bfloat16.  bf16_round rounds to nearest even (worked cases), keeps
 * NaNs NaN with their sign, flushes floats below 2^-126 to zero as the instruction
 * does, and gives back every normal bfloat16 unchanged; on 2^20 random bit patterns
 * it equals the hardware's _mm512_cvtneps_pbh.  The reference product is within
 * its bound of the exact product of the rounded inputs, and the bf16 product is
 * within the appendix's bound of the exact product of the inputs themselves;
 * gemm_bf16 rounds its inputs; the reference takes VDPBF16PS's documented order;
 * the AVX-512 BF16 product gives the reference's bits on odd shapes, every
 * transposition, overwriting and accumulating, on 1 thread and on 2, and so does
 * the kernel set (on a processor whose VDPBF16PS turned out to round otherwise than
 * Intel's manual says, it is held to the bound instead, and says so).  Where the processor (or
 * DIGITS_SIMD) has no AVX512_BF16, the checks that need it are skipped with the
 * reason.  The AMX product is within the reference's bound of the exact product of
 * the rounded inputs on the same shapes and modes (it sums in the tiles' own order,
 * so its bits are not the reference's: how many differ is printed), gives the same
 * bits on 1 and 2 threads, and so does its kernel set; skipped with the reason where
 * AMX-BF16, the kernel's permission or DIGITS_SIMD says no.
 *
 * Bounds: each element of the reference is a float32 sum of exact products of
 * bfloat16 numbers, each step rounded once (u = 2^-24), with one more rounding
 * per block of K when added to C: within (k + 2) u sum_p |^a_p ^b_p| (+ the
 * accumulated |c0|) of the exact sum, as in tests/gemm.c.  Against the unrounded
 * inputs each product adds 2 v + v^2, v = 2^-8. */
#include "tap.h"
#include "bf16.h"
#include "gemm.h"
#include "matrix.h"
#include "rng.h"
#include "simd.h"
#include "util.h"
#include <stdint.h>

static float from_bits(uint32_t u)
{
	float x;
	memcpy(&x, &u, sizeof x);
	return x;
}

static int is_nan16(uint16_t h)
{
	return (h & 0x7f80) == 0x7f80 && (h & 0x7f);
}

static const Dims dims[] = {
	{ 1, 1, 1 }, { 7, 13, 5 }, { 10, 32, 256 }, { 13, 37, 301 }, { 21, 33, 3 },
	{ 101, 203, 301 }, { 29, 65, 513 }, { 3, 70, 800 },
};
enum { NDIMS = sizeof dims / sizeof *dims };

static double rounded(float x)
{
	return bf16_float(bf16_round(x));
}

/* The largest |c - exact| / bound over c = op(a) op(b) (+ c0), the exact sum taken
   over the rounded inputs (v = 0) or the inputs (v = 2^-8). */
static double worst_ratio(const float *c, const float *c0, int acc, int ta, int tb, int m,
                          int n, int k, const float *a, int lda, const float *b, int ldb,
                          double v)
{
	double worst = 0, u = 1.0 / (1 << 24);
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++) {
			double s = acc ? c0[(size_t)i * n + j] : 0, mag = fabs(s), prods = 0;
			for (int p = 0; p < k; p++) {
				float x = ta ? a[(size_t)p * lda + i] : a[(size_t)i * lda + p];
				float y = tb ? b[(size_t)j * ldb + p] : b[(size_t)p * ldb + j];
				double xy = v > 0 ? (double)x * y : rounded(x) * rounded(y);
				s += xy, mag += fabs(xy), prods += fabs(xy);
			}
			double bound = (k + 2) * u * (1 + v) * (1 + v) * mag + (2 * v + v * v) * prods;
			worst = fmax(worst, fabs(c[(size_t)i * n + j] - s) / (bound + 1e-30));
		}
	return worst;
}

typedef void (*Gemm)(int, int, int, int, int, const float *, int, const float *, int, int,
                     float *, int);

/* Over every size, transposition and mode: the worst ratio of g's error to its bound
   (v as worst_ratio), and in *differ the number of elements whose bits differ from
   gemm_bf16_ref's. */
static double check_all(Gemm g, double v, long *differ, Rng *r)
{
	double worst = 0;
	*differ = 0;
	for (int d = 0; d < NDIMS; d++)
		for (int t = 0; t < 8; t++) {
			int ta = t & 1, tb = (t >> 1) & 1, acc = t >> 2;
			int m = dims[d].m, n = dims[d].n, k = dims[d].k;
			size_t mn = (size_t)m * n;
			float *a = random_matrix((size_t)m * k, r), *b = random_matrix((size_t)k * n, r);
			float *c0 = random_matrix(mn, r), *c = xmalloc(sizeof(float) * mn);
			float *cr = xmalloc(sizeof(float) * mn);
			memcpy(c, c0, sizeof(float) * mn);
			memcpy(cr, c0, sizeof(float) * mn);
			int lda = ta ? m : k, ldb = tb ? k : n;
			g(ta, tb, m, n, k, a, lda, b, ldb, acc, c, n);
			gemm_bf16_ref(ta, tb, m, n, k, a, lda, b, ldb, acc, cr, n);
			worst = fmax(worst, worst_ratio(c, c0, acc, ta, tb, m, n, k, a, lda, b, ldb, v));
			for (size_t i = 0; i < mn; i++)
				*differ += memcmp(c + i, cr + i, sizeof(float)) != 0;
			free(a), free(b), free(c0), free(c), free(cr);
		}
	return worst;
}

/* The number of elements of c that check_all compares. */
static long all_elements(void)
{
	long e = 0;
	for (int d = 0; d < NDIMS; d++)
		e += 8L * dims[d].m * dims[d].n;
	return e;
}

#ifdef SIMD_X86
__attribute__((target("avx512f,avx512bf16")))
static void hardware_round(const float *x, uint16_t *h)
{
	__m256bh r = _mm512_cvtneps_pbh(_mm512_loadu_ps(x));
	memcpy(h, &r, sizeof r);
}
#endif

/* How many of 2^20 random bit patterns bf16_round rounds otherwise than the hardware. */
static long hardware_mismatches(Rng *r)
{
	long bad = 0;
#ifdef SIMD_X86
	for (int it = 0; it < (1 << 20) / 16; it++) {
		float x[16];
		uint16_t h[16];
		for (int i = 0; i < 16; i++)
			x[i] = from_bits((uint32_t)rng_u64(r));
		hardware_round(x, h);
		for (int i = 0; i < 16; i++)
			if (h[i] != bf16_round(x[i])) {
				uint32_t u;
				memcpy(&u, &x[i], sizeof u);
				if (bad++ < 3)
					diag("%08x: hardware %04x, bf16_round %04x", (unsigned)u, h[i],
					     bf16_round(x[i]));
			}
	}
#else
	(void)r;
#endif
	return bad;
}

/* c, d: g on two products of four that tell the orders of VDPBF16PS apart: pairs
   (1, 0) then (2^-30, -1), and (1, 0) then (2^-24, 2^-24). */
static void order_probe(Gemm g, float *c, float *d)
{
	const float a[4] = { 1, 0, 0x1p-30f, -1 }, a2[4] = { 1, 0, 0x1p-24f, 0x1p-24f };
	const float b[4] = { 1, 1, 1, 1 };
	g(0, 1, 1, 1, 4, a, 4, b, 4, 0, c, 1);
	g(0, 1, 1, 1, 4, a2, 4, b, 4, 0, d, 1);
}

#ifdef SIMD_X86
/* acc + the pair (x0 y0, x1 y1), by the instruction itself, in lane 0 */
__attribute__((target("avx512f,avx512bf16")))
static float hardware_pair(float acc, float x0, float x1, float y0, float y1)
{
	uint32_t x = (uint32_t)bf16_round(x1) << 16 | bf16_round(x0);
	uint32_t y = (uint32_t)bf16_round(y1) << 16 | bf16_round(y0);
	__m512 s = _mm512_dpbf16_ps(_mm512_set1_ps(acc), (__m512bh)_mm512_set1_epi32((int)x),
	                            (__m512bh)_mm512_set1_epi32((int)y));
	return _mm512_cvtss_f32(s);
}
#endif

/* 1 if the processor's VDPBF16PS takes each pair's odd product first and rounds
   each accumulation on its own, as Intel's manual says (even first gives 0 for the
   first pair, one rounding per pair 1 + 2^-23 for the second). */
static int documented_order(void)
{
#ifdef SIMD_X86
	return hardware_pair(1, 0x1p-30f, -1, 1, 1) == 0x1p-30f &&
	       hardware_pair(1, 0x1p-24f, 0x1p-24f, 1, 1) == 1.0f;
#else
	return 0;
#endif
}

/* The kernel set k against g with its arguments: differing elements. */
static long kernel_set_differs(const Kernels *k, Gemm g, Rng *r)
{
	int m = 23, n = 45, p = 67;
	float *a = random_matrix((size_t)m * p, r), *b = random_matrix((size_t)p * n, r);
	float *c = random_matrix((size_t)m * n, r), *cr = xmalloc(sizeof(float) * m * n);
	long differ = 0;
	for (int op = 0; op < 3; op++) {
		memcpy(cr, c, sizeof(float) * m * n);
		if (op == 0)
			k->gemm_nt(c, a, b, m, n, p), g(0, 1, m, n, p, a, p, b, p, 0, cr, n);
		else if (op == 1)
			k->gemm_nn(c, a, b, m, n, p), g(0, 0, m, n, p, a, p, b, n, 0, cr, n);
		else
			k->gemm_tn(c, a, b, m, n, p), g(1, 0, m, n, p, a, m, b, n, 1, cr, n);
		for (int i = 0; i < m * n; i++)
			differ += memcmp(c + i, cr + i, sizeof(float)) != 0;
	}
	free(a), free(b), free(c), free(cr);
	return differ;
}

/* Elements in which gemm_amx on 2 threads differs from 1 thread, on the shapes of
   chapter 3's three products (nt, nn, tn accumulating) and an odd one, all large
   enough to be shared. */
static long amx_thread_differs(Rng *r)
{
	static const int shapes[][5] = {
		{ 0, 1, 100, 800, 784 }, { 0, 0, 100, 784, 800 }, { 1, 0, 800, 784, 100 },
		{ 0, 1, 101, 203, 301 },
	};
	long differ = 0;
	for (int s = 0; s < 4; s++) {
		int ta = shapes[s][0], tb = shapes[s][1], m = shapes[s][2], n = shapes[s][3];
		int k = shapes[s][4], acc = ta;
		size_t mn = (size_t)m * n;
		float *a = random_matrix((size_t)m * k, r), *b = random_matrix((size_t)k * n, r);
		float *c1 = random_matrix(mn, r), *c2 = xmalloc(sizeof(float) * mn);
		memcpy(c2, c1, sizeof(float) * mn);
		gemm_set_threads(1);
		gemm_amx(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, acc, c1, n);
		gemm_set_threads(2);
		gemm_amx(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, acc, c2, n);
		for (size_t i = 0; i < mn; i++)
			differ += memcmp(c1 + i, c2 + i, sizeof(float)) != 0;
		free(a), free(b), free(c1), free(c2);
	}
	gemm_set_threads(0);
	return differ;
}

int main(void)
{
	Rng r;
	rng_seed(&r, 7);
	plan(23);
	const char *why;
	int have = gemm_bf16_available(&why);

	is_int(bf16_round(1.0f + 0x1p-8f), 0x3f80, "1 + 2^-8 is a tie and goes to even: 1");
	is_int(bf16_round(1.0f + 3 * 0x1p-8f), 0x3f82,
	       "1 + 3 2^-8 is a tie and goes to even: up, to 1 + 2^-6");
	is_int(bf16_round(1.0f + 0x1p-9f), 0x3f80, "1 + 2^-9 rounds down to 1");
	is_int(bf16_round(-(1.0f + 0x1p-8f + 0x1p-20f)), 0xbf81,
	       "-(1 + 2^-8 + 2^-20), past the tie, rounds away to -(1 + 2^-7)");
	is_int(bf16_round(from_bits(0x7f7fffffu)), 0x7f80, "the largest float rounds to infinity");
	ok(bf16_round(from_bits(0x00400000u)) == 0x0000 &&
	   bf16_round(from_bits(0x80000001u)) == 0x8000,
	   "floats below 2^-126 become zeros of their sign");
	uint16_t pn = bf16_round(from_bits(0x7f800001u)), nn = bf16_round(from_bits(0xff800001u));
	ok(is_nan16(pn) && !(pn & 0x8000) && (pn & 0x40) && is_nan16(nn) && (nn & 0x8000) &&
	   (nn & 0x40), "a NaN with its payload in the cut bits stays a quiet NaN of its sign "
	   "(%04x, %04x)", pn, nn);

	long bad = 0;
	for (uint32_t h = 0; h < 0x10000; h++) {
		uint16_t g = bf16_round(bf16_float((uint16_t)h));
		int denormal = (h & 0x7f80) == 0 && (h & 0x7f);
		if (is_nan16((uint16_t)h))
			bad += g != (h | 0x40);
		else if (denormal)
			bad += g != (h & 0x8000);
		else
			bad += g != h;
	}
	is_int(bad, 0, "every bfloat16 comes back from float unchanged (NaNs quiet, denormals "
	       "as zeros)");

	long differ;
	double w = check_all(gemm_bf16_ref, 0, &differ, &r);
	is_below(w, 1, "the reference is within (k + 2) 2^-24 sum|^a ^b| of the exact product of "
	         "the rounded inputs (worst ratio %.3f)", w);
	w = check_all(gemm_bf16, 0x1p-8, &differ, &r);
	is_below(w, 1, "gemm_bf16 is within the appendix's bound of the exact product of the "
	         "inputs (worst ratio %.3f)", w);

	float one9 = 1.0f + 0x1p-9f, unit = 1, c = 0;
	gemm_bf16(0, 0, 1, 1, 1, &one9, 1, &unit, 1, 0, &c, 1);
	ok(c == 1.0f, "gemm_bf16 rounds its inputs: (1 + 2^-9) x 1 gives 1 (got 1 + %g)", c - 1);

	float oc, od;
	order_probe(gemm_bf16_ref, &oc, &od);
	ok(oc == 0x1p-30f && od == 1.0f, "the reference takes each pair's odd product first, "
	   "rounding each step: 1 + (-1) + 2^-30 gives 2^-30 (%g), 1 + 2^-24 + 2^-24 gives 1 "
	   "(1 + %g)", oc, od - 1);

	ok(gemm_bf16_available(NULL) == have && (have ? !*why : strstr(why, "has no") != NULL),
	   "gemm_bf16_available: %s", have ? "yes" : why);

	if (have) {
		long mis = hardware_mismatches(&r);
		is_int(mis, 0, "bf16_round equals _mm512_cvtneps_pbh on 2^20 random floats");
	} else
		skip("%s", why);

	int exact = have && documented_order();
	if (have && !exact)
		diag("this processor's VDPBF16PS rounds otherwise than Intel's manual says: "
		     "gemm_bf16 is compared with the bound instead of the reference's bits");
	for (int t = 1; t <= 2; t++) {
		const char *s = t > 1 ? "s" : "";
		gemm_set_threads(t);
		w = have ? check_all(gemm_bf16, 0x1p-8, &differ, &r) : 0;
		if (exact)
			is_int(differ, 0, "gemm_bf16 on %d thread%s gives the reference's bits on odd "
			       "shapes, every transposition, overwriting and accumulating", t, s);
		else if (have)
			is_below(w, 1, "gemm_bf16 on %d thread%s is within the bound on odd shapes "
			         "(worst ratio %.3f)", t, s, w);
		else
			skip("%s", why);
	}
	gemm_set_threads(0);
	if (have && !exact)
		skip("this processor's VDPBF16PS rounds otherwise than the reference");
	else
		is_int(kernel_set_differs(&gemm_kernels_bf16, gemm_bf16_ref, &r), 0,
		       "the kernel set bf16's nt, nn and tn give the reference's bits");
	ok(strcmp(gemm_kernels_bf16.name, "bf16") == 0, "the kernel set is called bf16");

	const char *awhy;
	int amx = gemm_amx_available(&awhy);
	ok(gemm_amx_available(NULL) == amx &&
	   (amx ? !*awhy : strstr(awhy, "has no") || strstr(awhy, "refused")),
	   "gemm_amx_available: %s", amx ? "yes" : awhy);
	if (amx) {
		gemm_set_threads(1);
		order_probe(gemm_amx, &oc, &od);
		diag("TDPBF16PS: 1 + (-1) + 2^-30 gives %g, 1 + 2^-24 + 2^-24 gives 1 + %g", oc,
		     od - 1);
		w = check_all(gemm_amx, 0, &differ, &r);
		diag("gemm_amx differs from gemm_bf16_ref in %ld of %ld elements", differ,
		     all_elements());
		is_below(w, 1, "gemm_amx is within (k + 2) 2^-24 sum|^a ^b| of the exact product "
		         "of the rounded inputs on odd shapes, every transposition, overwriting "
		         "and accumulating (worst ratio %.3f)", w);
		gemm_set_threads(0);
		is_int(amx_thread_differs(&r), 0, "gemm_amx gives the same bits on 1 and 2 threads "
		       "(chapter 3's nt, nn and tn shapes, and an odd one)");
		is_int(kernel_set_differs(&gemm_kernels_amx, gemm_amx, &r), 0,
		       "the kernel set amx's nt, nn and tn give gemm_amx's bits");
	} else
		for (int i = 0; i < 3; i++)
			skip("%s", awhy);
	ok(strcmp(gemm_kernels_amx.name, "amx") == 0, "the kernel set is called amx");
	return done_testing();
}

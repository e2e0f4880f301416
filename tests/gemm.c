/* Chapter 3: the blocked, packed, SIMD, threaded matrix product equals the
 * definition on awkward sizes, for every transposition, overwriting and
 * accumulating, with every micro-kernel this processor runs (the others are
 * skipped with the reason), gives the same bits with the AVX2 and AVX-512
 * micro-kernels and on 1 and 2 threads; handed to an epilogue, the blocks of a product
 * are exactly what gemm_fast stores.
 *
 * Tolerance: each element of op(A) op(B) is a sum of k products; any order of
 * summation in float is within gamma * sum_p |a_ip b_pj| of the exact value,
 * with gamma = (k + 2) u and u = 2^-24 (the classic bound for a dot product,
 * plus one more rounding for the final add to C).  We check every element of
 * every result against that bound, computed with the exact sum in double. */
#include "tap.h"
#include "gemm.h"
#include "matrix.h"
#include "rng.h"
#include "util.h"
#include <stdint.h>

static const Dims dims[] = {
	{ 1, 1, 1 }, { 7, 13, 5 }, { 6, 16, 256 }, { 13, 37, 300 }, { 121, 17, 257 },
	{ 61, 45, 1000 }, { 5, 3, 2000 },
};
enum { NDIMS = sizeof dims / sizeof *dims };

/* The largest |c - exact| / bound over c (m, n) = op(a) op(b) (+ c0). */
static double worst_ratio(const float *c, const float *c0, int acc, int ta, int tb, int m, int n,
                          int k, const float *a, int lda, const float *b, int ldb)
{
	double worst = 0, u = 1.0 / (1 << 24);
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++) {
			double s = acc ? c0[(size_t)i * n + j] : 0, mag = fabs(s);
			for (int p = 0; p < k; p++) {
				double x = ta ? a[(size_t)p * lda + i] : a[(size_t)i * lda + p];
				double y = tb ? b[(size_t)j * ldb + p] : b[(size_t)p * ldb + j];
				s += x * y, mag += fabs(x * y);
			}
			double bound = (k + 2) * u * mag + 1e-30;
			worst = fmax(worst, fabs(c[(size_t)i * n + j] - s) / bound);
		}
	return worst;
}

typedef void (*Gemm)(int, int, int, int, int, const float *, int, const float *, int, int,
                     float *, int);

/* The worst ratio of error to bound of g over every size, transposition and mode. */
static double check_all(Gemm g, Rng *r)
{
	double worst = 0;
	for (int d = 0; d < NDIMS; d++)
		for (int t = 0; t < 8; t++) {
			int ta = t & 1, tb = (t >> 1) & 1, acc = t >> 2, m = dims[d].m, n = dims[d].n, k = dims[d].k;
			float *a = random_matrix((size_t)m * k, r), *b = random_matrix((size_t)k * n, r);
			float *c0 = random_matrix((size_t)m * n, r), *c = xmalloc(sizeof(float) * m * n);
			memcpy(c, c0, sizeof(float) * m * n);
			int lda = ta ? m : k, ldb = tb ? k : n;
			g(ta, tb, m, n, k, a, lda, b, ldb, acc, c, n);
			worst = fmax(worst, worst_ratio(c, c0, acc, ta, tb, m, n, k, a, lda, b, ldb));
			free(a), free(b), free(c0), free(c);
		}
	return worst;
}

/* 1 if gemm_fast gives the same bits on 1 and 2 threads for this product. */
static int same_on_1_and_2_threads(int ta, int tb, int m, int n, int k, Rng *r)
{
	float *a = random_matrix((size_t)m * k, r), *b = random_matrix((size_t)k * n, r);
	float *c1 = xcalloc((size_t)m * n, sizeof(float)), *c2 = xcalloc((size_t)m * n, sizeof(float));
	int lda = ta ? m : k, ldb = tb ? k : n;
	gemm_set_threads(1);
	gemm_fast(ta, tb, m, n, k, a, lda, b, ldb, 1, c1, n);
	gemm_set_threads(2);
	gemm_fast(ta, tb, m, n, k, a, lda, b, ldb, 1, c2, n);
	int same = memcmp(c1, c2, sizeof(float) * m * n) == 0;
	free(a), free(b), free(c1), free(c2);
	return same;
}

/* 1 if the avx512 and avx2 micro-kernels give the same bits on chapter 3's products. */
static int same_avx2_avx512(Rng *r)
{
	static const int shape[5][5] = { { 0, 1, 100, 800, 784 }, { 0, 1, 100, 800, 800 },
	                                 { 0, 0, 100, 800, 800 }, { 1, 0, 800, 784, 100 },
	                                 { 1, 0, 800, 800, 100 } };
	int same = 1;
	for (int q = 0; q < 5; q++) {
		int ta = shape[q][0], tb = shape[q][1], m = shape[q][2], n = shape[q][3], k = shape[q][4];
		float *a = random_matrix((size_t)m * k, r), *b = random_matrix((size_t)k * n, r);
		float *c1 = random_matrix((size_t)m * n, r), *c2 = xmalloc(sizeof(float) * m * n);
		memcpy(c2, c1, sizeof(float) * m * n);
		int lda = ta ? m : k, ldb = tb ? k : n;
		gemm_use_micro("avx2");
		gemm_fast(ta, tb, m, n, k, a, lda, b, ldb, ta, c1, n);
		gemm_use_micro("avx512");
		gemm_fast(ta, tb, m, n, k, a, lda, b, ldb, ta, c2, n);
		same &= memcmp(c1, c2, sizeof(float) * m * n) == 0;
		free(a), free(b), free(c1), free(c2);
	}
	return same;
}

/* The epilogue of the test: copy each block into the matrix ctx (ld n), once. */
typedef struct { float *c; int n, calls_twice; } Copy;

static void copy_block(void *ctx, int i, int j, int rows, int cols, const float *t, int ldt)
{
	Copy *cp = ctx;
	for (int r = 0; r < rows; r++)
		for (int q = 0; q < cols; q++) {
			float *dst = cp->c + (size_t)(i + r) * cp->n + j + q;
			cp->calls_twice |= !isnan(*dst);
			*dst = t[(size_t)r * ldt + q];
		}
}

/* 1 if gemm_fast_then hands over, once each, the elements gemm_fast stores, on BP4's
   shape (one block of K), on more than one block of K and accumulating, 1 and 2 threads. */
static int epilogue_gets_the_product(Rng *r)
{
	static const int shape[3][5] = { { 1, 0, 800, 784, 100 }, { 0, 1, 61, 45, 1000 },
	                                 { 1, 0, 130, 70, 30 } };
	int same = 1;
	for (int q = 0; q < 6; q++) {
		const int *s = shape[q % 3];
		int ta = s[0], tb = s[1], m = s[2], n = s[3], k = s[4], acc = q % 3 == 2;
		float *a = random_matrix((size_t)m * k, r), *b = random_matrix((size_t)k * n, r);
		float *c1 = random_matrix((size_t)m * n, r), *c2 = xmalloc(sizeof(float) * m * n);
		float *got = xmalloc(sizeof(float) * m * n);
		memcpy(c2, c1, sizeof(float) * m * n);
		for (int i = 0; i < m * n; i++)
			got[i] = NAN;
		Copy cp = { got, n, 0 };
		GemmEpilogue e = { copy_block, &cp };
		int lda = ta ? m : k, ldb = tb ? k : n;
		gemm_set_threads(q < 3 ? 1 : 2);
		gemm_fast(ta, tb, m, n, k, a, lda, b, ldb, acc, c1, n);
		gemm_fast_then(&e, ta, tb, m, n, k, a, lda, b, ldb, acc, c2, n);
		same &= !cp.calls_twice && memcmp(c1, got, sizeof(float) * m * n) == 0;
		free(a), free(b), free(c1), free(c2), free(got);
	}
	gemm_set_threads(0);
	return same;
}

int main(void)
{
	Rng r;
	rng_seed(&r, 11);
	plan(12);
	double e = check_all(gemm_ref, &r);
	diag("reference: worst error %.3g of the bound", e);
	is_below(e, 1, "the reference is within (k+2)u sum|ab| of the exact product");
	static const char *micros[] = { "scalar", "avx2", "avx512" };
	for (int q = 0; q < 3; q++) {
		if (!gemm_use_micro(micros[q])) {
			skip("blocked (%s micro-kernel): not run here (the processor lacks it, or $DIGITS_SIMD is below it)", micros[q]);
			continue;
		}
		e = check_all(gemm_fast, &r);
		diag("blocked with the %s micro-kernel: worst error %.3g of the bound", micros[q], e);
		is_below(e, 1, "blocked (%s micro-kernel) is within the bound on 7 sizes x 4 "
		         "transpositions x overwrite/accumulate", micros[q]);
	}
	if (gemm_use_micro("avx2") && gemm_use_micro("avx512"))
		ok(same_avx2_avx512(&r), "the avx512 and avx2 micro-kernels give the same bits "
		   "(chapter 3's five training products)");
	else
		skip("avx512 and avx2 give the same bits: no AVX-512 (F, BW, VL, DQ) here, or $DIGITS_SIMD is below it");
	gemm_use_simd(1);
	ok(same_on_1_and_2_threads(0, 1, 100, 800, 784, &r),
	   "100x800x784 (split by columns): the same bits on 1 and 2 threads");
	ok(same_on_1_and_2_threads(1, 0, 1000, 10, 800, &r),
	   "1000x10x800 transposed (split by rows): the same bits on 1 and 2 threads");
	float a[6] = { 1, 2, 3, 4, 5, 6 }, c[4 * 9];
	for (int i = 0; i < 4 * 9; i++)
		c[i] = 7;
	gemm_fast(0, 0, 3, 5, 0, a, 1, a, 5, 0, c, 9);
	int cleared = 1, kept = 1;
	for (int i = 0; i < 4 * 9; i++)
		cleared &= (i < 27 && i % 9 < 5) ? c[i] == 0 : c[i] == 7;
	ok(cleared, "k = 0 clears exactly the 3x5 of c (ldc 9) and nothing else");
	gemm_fast(0, 0, 3, 5, 0, a, 1, a, 5, 1, c, 9);
	for (int i = 0; i < 4 * 9; i++)
		kept &= (i < 27 && i % 9 < 5) ? c[i] == 0 : c[i] == 7;
	ok(kept, "k = 0 accumulating leaves c alone");
	{
		int m = 37, n = 45, k = 300;
		float *x = random_matrix((size_t)m * k, &r), *y = random_matrix((size_t)n * k, &r);
		float *c0 = xcalloc((size_t)m * n, sizeof(float)), *c1 = xcalloc((size_t)m * n, sizeof(float));
		const Kernels *p = &kernels_scalar, *q = &gemm_kernels_blocked;
		p->gemm_nt(c0, x, y, m, n, k);
		q->gemm_nt(c1, x, y, m, n, k);
		double w = worst_ratio(c1, c0, 0, 0, 1, m, n, k, x, k, y, k);
		p->gemm_nn(c0, x, y, m, n, k);        /* y as (k, n) */
		q->gemm_nn(c1, x, y, m, n, k);
		w = fmax(w, worst_ratio(c1, c0, 0, 0, 0, m, n, k, x, k, y, n) / 2);
		memcpy(c1, c0, sizeof(float) * m * n);
		p->gemm_tn(c0, x, y, m, n, 30);       /* x as (30, m), y as (30, n) */
		q->gemm_tn(c1, x, y, m, n, 30);
		double d = 0;
		for (int i = 0; i < m * n; i++)
			d = fmax(d, fabs((double)c0[i] - c1[i]));
		ok(w < 2 && d < 1e-4, "gemm_kernels_blocked agrees with Chapter 2's scalar kernels "
		   "(nt, nn within twice the bound; tn within 1e-4: %.3g)", d);
		free(x), free(y), free(c0), free(c1);
	}
	{
		static const int gd[][2] = { { 1, 1 }, { 7, 13 }, { 800, 784 }, { 10, 800 }, { 5, 33 } };
		double worst = 0;
		for (int d = 0; d < 5; d++) {
			int n = gd[d][0], k = gd[d][1];
			float *w = random_matrix((size_t)n * k, &r), *x = random_matrix((size_t)k, &r);
			float *y = xmalloc(sizeof(float) * n);
			gemm_gemv(y, w, x, n, k);
			worst = fmax(worst, worst_ratio(y, y, 0, 0, 1, 1, n, k, x, k, w, k));
			free(w), free(x), free(y);
		}
		diag("gemm_gemv: worst error %.3g of the bound", worst);
		is_below(worst, 1, "gemm_gemv is within the bound on 5 shapes (ragged rows and columns)");
	}
	ok(epilogue_gets_the_product(&r), "gemm_fast_then hands each element of the product to "
	   "the epilogue once, the bits gemm_fast stores (one block of K and several, "
	   "accumulating, 1 and 2 threads)");
	gemm_set_threads(0);
	return done_testing();
}

/* matrix.h — what the tests of the matrix products share: a product's shape, and
 * matrices of random numbers to multiply.
 */
#ifndef DIGITS_TEST_MATRIX_H
#define DIGITS_TEST_MATRIX_H

#include "rng.h"
#include "util.h"

/* op(a) (m, k) op(b) (k, n) */
typedef struct { int m, n, k; } Dims;

/* n floats drawn uniformly from [-1, 1) with r (at least one float allocated, so
   that an empty matrix is still a pointer to free) */
static inline float *random_matrix(size_t n, Rng *r)
{
	float *v = xmalloc(sizeof(float) * (n ? n : 1));
	for (size_t i = 0; i < n; i++)
		v[i] = (float)(2 * rng_uniform(r) - 1);
	return v;
}

#endif

/* tap.h — a small producer of TAP (the Test Anything Protocol) for the tests.
 *
 *   plan(3);
 *   ok(x == 1, "x is one");
 *   is_int(n, 60000, "train set has %d images", 60000);
 *   is_double(got, want, 1e-6, "loss");
 *   return done_testing();
 *
 * A failed check prints what was expected and what was seen as `#' lines.
 * skip_all("reason") prints `1..0 # SKIP reason' and exits 0.
 * done_testing() returns non-zero when any check failed or the count of checks
 * differs from the plan, so a test that crashes half-way or skips checks fails.
 */
#ifndef DIGITS_TAP_H
#define DIGITS_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_planned = -1, tap_run = 0, tap_failed = 0;

static inline void plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline void skip_all(const char *reason)
{
	printf("1..0 # SKIP %s\n", reason);
	exit(0);
}

static inline int tap_vok(int pass, const char *fmt, va_list ap)
{
	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	return pass;
}

/* A check that cannot run here: `ok N # SKIP reason', counted as run. */
__attribute__((format(printf, 1, 2)))
static inline void skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("ok %d # SKIP ", ++tap_run);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static inline int ok(int pass, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_vok(pass, fmt, ap);
	va_end(ap);
	return pass;
}

__attribute__((format(printf, 3, 4)))
static inline int is_int(long got, long want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int pass = tap_vok(got == want, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   expected: %ld\n#        got: %ld\n", want, got);
	return pass;
}

/* |got - want| <= tol */
__attribute__((format(printf, 4, 5)))
static inline int is_double(double got, double want, double tol, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int pass = tap_vok(fabs(got - want) <= tol, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   expected: %.9g (within %g)\n#        got: %.9g\n", want, tol, got);
	return pass;
}

/* got <= bound (for errors and distances) */
__attribute__((format(printf, 3, 4)))
static inline int is_below(double got, double bound, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int pass = tap_vok(got <= bound, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   expected: at most %.9g\n#        got: %.9g\n", bound, got);
	return pass;
}

/* got >= floor (for accuracies) */
__attribute__((format(printf, 3, 4)))
static inline int is_above(double got, double floor_, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int pass = tap_vok(got >= floor_, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   expected: at least %.9g\n#        got: %.9g\n", floor_, got);
	return pass;
}

/* strstr(got, want) != NULL: an error message names what it should */
__attribute__((format(printf, 3, 4)))
static inline int like(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int pass = tap_vok(got && strstr(got, want) != NULL, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   expected to contain: %s\n#                   got: %s\n", want, got ? got : "(null)");
	return pass;
}

__attribute__((format(printf, 1, 2)))
static inline void diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

/* Largest |a - b| over n floats, relative to the largest |b| (for comparing a
   fast kernel with its reference). */
static inline double max_rel_diff(const float *a, const float *b, size_t n)
{
	double diff = 0, big = 1e-30;
	for (size_t i = 0; i < n; i++) {
		diff = fmax(diff, fabs((double)a[i] - b[i]));
		big = fmax(big, fabs((double)b[i]));
	}
	return diff / big;
}

static inline int done_testing(void)
{
	if (tap_planned >= 0 && tap_run != tap_planned) {
		printf("# planned %d tests but ran %d\n", tap_planned, tap_run);
		return 1;
	}
	return tap_failed ? 1 : 0;
}

#endif

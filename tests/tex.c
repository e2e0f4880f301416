/* The book's numbers as the reports write them (tex.c) and the one reader of
   learning curves (curve_read in report.c): formats for people, strict parsing. */
#include "report.h"
#include "tap.h"
#include "tex.h"
#include "util.h"
#include <unistd.h>

/* What fn(f, "m", ...) wrote between \newcommand{\m}{ and the closing }. */
static const char *macro_of(void (*write)(FILE *f), char *out, size_t n)
{
	char buf[256] = "";
	FILE *f = tmpfile();
	write(f);
	rewind(f);
	size_t k = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[k] = 0;
	const char *s = strstr(buf, "}{");
	snprintf(out, n, "%.*s", s ? (int)(strlen(s + 2) - 2) : 0, s ? s + 2 : "");
	return out;
}

static void pct(FILE *f) { tex_percent(f, "m", 99.32); }
static void pct_round(FILE *f) { tex_percent(f, "m", 81.93499); }
static void sec_long(FILE *f) { tex_seconds(f, "m", 89.767); }
static void sec_short(FILE *f) { tex_seconds(f, "m", 0.127); }
static void small(FILE *f) { tex_significant(f, "m", 3.14e-5, 2); }
static void plain(FILE *f) { tex_significant(f, "m", 0.0369, 2); }
static void count(FILE *f) { tex_count(f, "m", 10000); }
static void count_small(FILE *f) { tex_count(f, "m", 489); }
static void count_million(FILE *f) { tex_count(f, "m", 1280010); }

/* got is want exactly. */
static int same(const char *got, const char *want, const char *what)
{
	int pass = ok(strcmp(got, want) == 0, "%s", what);
	if (!pass)
		diag("expected %s, got %s", want, got);
	return pass;
}

/* Write text to a fresh file and read it as a learning curve. */
static int read_text(const char *text, Curve *c, char *err)
{
	char path[4096];
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/digits-curve.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return -2;
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	int rc = curve_read(c, path, err);
	unlink(path);
	return rc;
}

int main(void)
{
	char got[128], err[ERR_LEN];
	plan(15);
	same(macro_of(pct, got, sizeof got), "99.32\\%", "a percentage has two decimals and its sign");
	same(macro_of(pct_round, got, sizeof got), "81.93\\%", "and is rounded to them");
	same(macro_of(sec_long, got, sizeof got), "89.8", "seconds have one decimal (89.767 s)");
	same(macro_of(sec_short, got, sizeof got), "0.13", "below a second, two significant digits");
	same(macro_of(small, got, sizeof got), "$3.1\\times10^{-5}$",
	     "a small quantity is written as a power of ten, not 0.0000");
	same(macro_of(plain, got, sizeof got), "0.037", "one above a thousandth, as a decimal");
	same(macro_of(count, got, sizeof got), "10{,}000", "a count has its thousands set apart");
	same(macro_of(count_small, got, sizeof got), "489", "a count below a thousand is plain");
	same(macro_of(count_million, got, sizeof got), "1{,}280{,}010", "and so has a million");

	Curve c;
	int rc = read_text("epoch,cost,valid_accuracy\n1,0.5,90.5\n2,0.25,91.75\n", &c, err);
	ok(rc == 0 && c.rows == 2 && c.columns == 3, "a curve of two epochs and three columns reads");
	const double *v = rc == 0 ? curve_column(&c, "valid_accuracy") : NULL;
	ok(v && v[0] == 90.5 && v[1] == 91.75, "its columns are found by name, in order");
	ok(rc == 0 && !curve_column(&c, "seconds"), "a column it does not have is NULL");
	if (rc == 0)
		curve_free(&c);
	rc = read_text("epoch,cost\n1,0.5\n2,x\n", &c, err);
	ok(rc < 0 && strstr(err, ":3: expected 2 numbers, found '2,x'"),
	   "a bad number is refused, naming its line");
	rc = read_text("epoch,cost\n1,0.5,7\n", &c, err);
	ok(rc < 0 && strstr(err, ":2: expected 2 numbers"), "so is a line with a number too many");
	rc = read_text("epoch,cost\n", &c, err);
	ok(rc < 0 && strstr(err, "at least one epoch"), "a curve without epochs is refused");
	return done_testing();
}

/* The model file: an exact round trip, atomic writes, and every corrupt case
   rejected with a message naming the file and the problem. */
#include "tap.h"
#include "model.h"
#include "mlp.h"
#include "perceptron.h"
#include "util.h"
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/digits-modelfile-test.XXXXXX";

static char *tmp(const char *name)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static unsigned char *slurp(const char *p, size_t *n)
{
	FILE *f = fopen(p, "rb");
	static unsigned char buf[1 << 20];
	*n = f ? fread(buf, 1, sizeof buf, f) : 0;
	if (f)
		fclose(f);
	return buf;
}

static void spit(const char *p, const unsigned char *b, size_t n)
{
	FILE *f = fopen(p, "wb");
	fwrite(b, 1, n, f);
	fclose(f);
}

static int files_in_dir(void)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* A perceptron with small random weights, saved as a model file. */
static Perceptron *random_perceptron(uint64_t seed)
{
	Perceptron *p = perceptron_new(MNIST_PIXELS, MNIST_CLASSES);
	Rng r;
	rng_seed(&r, seed);
	for (int i = 0; i < MNIST_PIXELS * MNIST_CLASSES; i++)
		p->w[i] = (float)rng_normal(&r);
	for (int c = 0; c < MNIST_CLASSES; c++)
		p->b[c] = (float)rng_normal(&r);
	return p;
}

static void round_trip(void)
{
	char err[ERR_LEN] = "";
	ModelFile *mf = mf_new("test");
	float *a = mf_add(mf, "a", 2, (int[]){ 3, 5 });
	float *b = mf_add(mf, "bias", 1, (int[]){ 7 });
	for (int i = 0; i < 15; i++)
		a[i] = (float)i * 0.1f - 0.7f;
	for (int i = 0; i < 7; i++)
		b[i] = 1e-30f * (float)i;
	b[6] = -3.4e38f;
	mf_set(mf, "epochs", "%d", 30);
	mf_set(mf, "note", "%s", "a value with spaces");
	mf_set(mf, "epochs", "%d", 31);   /* replaces */
	ok(mf_save(mf, tmp("t.model"), err) == 0, "a model file saves");
	ModelFile *back = mf_load(tmp("t.model"), err);
	if (!ok(back != NULL, "and loads back"))
		diag("%s", err);
	if (!back) {
		for (int i = 0; i < 4; i++)
			ok(0, "skipped (no model loaded)");
		mf_free(mf);
		return;
	}
	ok(strcmp(back->kind, "test") == 0 && back->ntensors == 2 && back->nmeta == 2,
	   "kind, tensor count and metadata count survive");
	const Tensor *ta = mf_tensor(back, "a"), *tb = mf_tensor(back, "bias");
	ok(ta && tb && ta->rank == 2 && ta->shape[0] == 3 && ta->shape[1] == 5 &&
	   tb->rank == 1 && tb->shape[0] == 7, "tensor names and shapes survive");
	ok(ta && tb && memcmp(ta->data, a, 15 * 4) == 0 && memcmp(tb->data, b, 7 * 4) == 0,
	   "every float survives bit for bit (denormals and extremes too)");
	ok(mf_get(back, "epochs") && strcmp(mf_get(back, "epochs"), "31") == 0 &&
	   strcmp(mf_get(back, "note"), "a value with spaces") == 0, "metadata survives, set replaces");
	mf_free(back);
	mf_free(mf);
}

static void face_round_trip(void)
{
	char err[ERR_LEN] = "";
	Perceptron *p = random_perceptron(3);
	ModelFile *mf = perceptron_to_file(p);
	mf_save(mf, tmp("p.model"), err);
	mf_free(mf);
	Model *m = model_load(tmp("p.model"), err);
	if (!ok(m != NULL, "a perceptron loads through the model face"))
		diag("%s", err);
	ok(m && model_kind(m)->chapter == 1 && strcmp(model_kind(m)->name, "perceptron") == 0,
	   "it says it is chapter 1's perceptron");
	int same = m != NULL, in_range = m != NULL;
	Rng r;
	rng_seed(&r, 9);
	float x[MNIST_PIXELS], s1[10], s2[10];
	for (int t = 0; m && t < 20; t++) {
		for (int j = 0; j < MNIST_PIXELS; j++)
			x[j] = (float)rng_uniform(&r);
		perceptron_scores(p, x, s1);
		model_predict(m, x, s2);
		same &= argmax(s1, 10) == argmax(s2, 10);
		for (int c = 0; c < 10; c++)
			in_range &= s2[c] >= 0 && s2[c] <= 1;
	}
	ok(same, "the loaded model picks the same digit as the original on 20 images");
	ok(in_range, "its scores lie in [0,1]");
	model_free(m);
	m = model_load_as(tmp("p.model"), &mlp_kind, NULL, err);
	ok(m == NULL, "loaded as an mlp, the perceptron is refused");
	like(err, "expected a model of kind mlp (chapter 2), found kind perceptron (chapter 1)",
	     "  the message names both kinds");
	model_free(m);
	m = model_load_as(tmp("p.model"), &perceptron_kind,
	                  (const char *const[]){ "train_seconds", NULL }, err);
	ok(m == NULL, "a perceptron without the metadata a command reads is refused");
	like(err, "expected metadata 'train_seconds' in the perceptron model, found none",
	     "  the message names the missing key");
	model_free(m);
	perceptron_free(p);
}

/* Save a valid perceptron model, let mutate() damage its bytes, expect model_load to fail. */
static void expect_rejected(const char *name, void (*mutate)(unsigned char *, size_t *),
                            const char *want, const char *what)
{
	char err[ERR_LEN] = "";
	Perceptron *p = random_perceptron(5);
	ModelFile *mf = perceptron_to_file(p);
	mf_save(mf, tmp(name), err);
	mf_free(mf);
	perceptron_free(p);
	size_t n;
	unsigned char *b = slurp(tmp(name), &n);
	mutate(b, &n);
	spit(tmp(name), b, n);
	Model *m = model_load(tmp(name), err);
	ok(m == NULL, "%s is rejected", what);
	like(err, want, "  the message says '%s'", want);
	like(err, tmp(name), "  and names the file");
	model_free(m);
}

static void m_magic(unsigned char *b, size_t *n) { (void)n; b[0] = 'X'; }
static void m_version(unsigned char *b, size_t *n) { (void)n; b[8] = 7; }
static void m_truncate(unsigned char *b, size_t *n) { (void)b; *n -= 100; }
static void m_trailing(unsigned char *b, size_t *n) { b[(*n)++] = 0; }
static void m_checksum(unsigned char *b, size_t *n) { (void)n; b[20] ^= 1; }
static void m_deflate(unsigned char *b, size_t *n) { b[*n / 2] ^= 0x55; }
static void m_empty(unsigned char *b, size_t *n) { (void)b; *n = 0; }

/* A model file written by hand with a given kind and tensors. */
static void expect_bad_content(const char *kind, int wcols, int with_b, float poison,
                               const char *want, const char *what)
{
	char err[ERR_LEN] = "";
	ModelFile *mf = mf_new(kind);
	float *w = mf_add(mf, "W", 2, (int[]){ 10, wcols });
	if (with_b)
		mf_add(mf, "b", 1, (int[]){ 10 });
	w[5] = poison;
	mf_save(mf, tmp("bad.model"), err);
	mf_free(mf);
	Model *m = model_load(tmp("bad.model"), err);
	ok(m == NULL, "%s is rejected", what);
	like(err, want, "  the message says '%s'", want);
	model_free(m);
}

static void atomic_writes(void)
{
	char err[ERR_LEN] = "";
	Perceptron *p = random_perceptron(11);
	ModelFile *mf = perceptron_to_file(p);
	int before = files_in_dir();
	ok(mf_save(mf, tmp("a.model"), err) == 0 && mf_save(mf, tmp("a.model"), err) == 0,
	   "saving over an existing model works");
	is_int(files_in_dir(), before + 1, "and leaves no temporary file behind");
	size_t n0, n1;
	unsigned char copy[1 << 16];
	unsigned char *b = slurp(tmp("a.model"), &n0);
	memcpy(copy, b, n0 < sizeof copy ? n0 : sizeof copy);
	AtomicFile af;
	atomic_open(&af, tmp("a.model"), err);
	fwrite("half a model", 1, 12, af.f);
	atomic_abort(&af);           /* as if the program died mid-save */
	b = slurp(tmp("a.model"), &n1);
	ok(n1 == n0 && memcmp(b, copy, n0) == 0, "an aborted save leaves the old file whole");
	is_int(files_in_dir(), before + 1, "and no temporary file");
	ok(mf_save(mf, tmp("no/such/folder/x.model"), err) == -1, "saving into a missing folder fails");
	like(err, "no/such/folder/x.model", "  with a message naming the file");
	mf_free(mf);
	perceptron_free(p);
}

int main(void)
{
	if (!mkdtemp(dir))
		skip_all("cannot create a temporary folder");
	plan(6 + 4 + 4 + 7 * 3 + 5 * 2 + 1 + 6);
	round_trip();
	face_round_trip();
	expect_rejected("magic.model", m_magic, "not a Digits model file", "a file with a wrong magic");
	expect_rejected("version.model", m_version, "unknown format version 7", "format version 7");
	expect_rejected("trunc.model", m_truncate, "truncated", "a truncated body");
	expect_rejected("trail.model", m_trailing, "trailing bytes", "a body with a byte too many");
	expect_rejected("crc.model", m_checksum, "bad checksum", "a wrong checksum");
	expect_rejected("deflate.model", m_deflate, ".model: ", "damaged compressed data");
	expect_rejected("empty.model", m_empty, "not a Digits model file", "an empty file");
	expect_bad_content("banana", 784, 1, 0, "unknown model kind 'banana'", "an unknown kind");
	expect_bad_content("perceptron", 783, 1, 0, "tensor 'W' has shape 10x783, expected 10x784",
	                   "a perceptron with 783 inputs");
	expect_bad_content("perceptron", 784, 0, 0, "has no tensor 'b'", "a perceptron without biases");
	expect_bad_content("perceptron", 784, 1, NAN, "tensor 'W' element 5 is NaN", "a NaN weight");
	expect_bad_content("perceptron", 784, 1, -INFINITY, "element 5 is infinite", "an infinite weight");
	char err[ERR_LEN] = "";
	ok(model_load(tmp("does-not-exist.model"), err) == NULL && strstr(err, "cannot open"),
	   "a missing model file is an error that says so");
	atomic_writes();
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}

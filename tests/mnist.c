/* The IDX loader: small files made here (plain and gzip'ed), every corrupt case,
   and the real MNIST files with their known label counts. */
#include "tap.h"
#include "mnist.h"
#include "util.h"
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

static char dir[] = "/tmp/digits-mnist-test.XXXXXX";
static char path[512];

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16 & 255; p[2] = v >> 8 & 255; p[3] = v & 255;
}

/* Write an IDX file: magic, dims, then nbytes of data (byte k = (k * 7) % 256 or
   the given labels); gz selects gzip.  Returns the path. */
static const char *write_idx(const char *name, int gz, uint32_t magic, int ndims,
                             const uint32_t *dims, const unsigned char *data, size_t nbytes)
{
	unsigned char head[16];
	be32(head, magic);
	for (int i = 0; i < ndims; i++)
		be32(head + 4 + 4 * i, dims[i]);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (gz) {
		gzFile g = gzopen(path, "wb");
		gzwrite(g, head, 4 + 4 * ndims);
		if (nbytes)
			gzwrite(g, data, (unsigned)nbytes);
		gzclose(g);
	} else {
		FILE *f = fopen(path, "wb");
		fwrite(head, 1, 4 + 4 * (size_t)ndims, f);
		if (nbytes)
			fwrite(data, 1, nbytes, f);
		fclose(f);
	}
	return path;
}

static unsigned char pixels[3 * 784];

static void small_files(void)
{
	for (size_t k = 0; k < sizeof pixels; k++)
		pixels[k] = (unsigned char)(k * 7 % 256);
	unsigned char labels[3] = { 7, 0, 9 };
	float *x = NULL;
	unsigned char *y = NULL;
	int n = 0;
	char err[ERR_LEN];
	for (int gz = 0; gz < 2; gz++) {
		const char *kind = gz ? "gzip'ed" : "plain";
		const char *p = write_idx("img", gz, 0x803, 3, (uint32_t[]){ 3, 28, 28 }, pixels, sizeof pixels);
		int rc = idx_read_images(p, &x, &n, err);
		is_int(rc, 0, "a %s 3-image IDX file loads", kind);
		is_int(n, 3, "  with 3 images");
		int same = rc == 0;
		for (int k = 0; same && k < 3 * 784; k++)
			same = x[k] == pixels[k] / 255.0f;
		ok(same, "  every pixel is its byte / 255 (%s)", kind);
		if (rc == 0)
			free(x);
		p = write_idx("lab", gz, 0x801, 1, (uint32_t[]){ 3 }, labels, 3);
		rc = idx_read_labels(p, &y, &n, err);
		ok(rc == 0 && n == 3 && y[0] == 7 && y[1] == 0 && y[2] == 9,
		   "a %s label file loads its 3 labels", kind);
		if (rc == 0)
			free(y);
	}
}

/* Each corrupt image or label file must fail with a message naming the file and the problem. */
static void expect_image_error(const char *p, const char *want, const char *what)
{
	float *x = NULL;
	int n, rc;
	char err[ERR_LEN] = "";
	rc = idx_read_images(p, &x, &n, err);
	ok(rc == -1, "%s is rejected", what);
	like(err, want, "  the message says '%s'", want);
	like(err, p, "  and names the file");
	if (rc == 0)
		free(x);
}

static void expect_label_error(const char *p, const char *want, const char *what)
{
	unsigned char *y = NULL;
	int n, rc;
	char err[ERR_LEN] = "";
	rc = idx_read_labels(p, &y, &n, err);
	ok(rc == -1, "%s is rejected", what);
	like(err, want, "  the message says '%s'", want);
	if (rc == 0)
		free(y);
}

static void corrupt_files(void)
{
	expect_image_error(write_idx("magic", 0, 0x801, 3, (uint32_t[]){ 3, 28, 28 }, pixels, sizeof pixels),
	                   "bad magic number", "an image file with a label magic");
	expect_image_error(write_idx("dims", 0, 0x803, 3, (uint32_t[]){ 3, 27, 29 }, pixels, sizeof pixels),
	                   "wrong dimensions", "27x29 images");
	expect_image_error(write_idx("short", 0, 0x803, 3, (uint32_t[]){ 4, 28, 28 }, pixels, sizeof pixels),
	                   "file too short", "a count larger than the data");
	expect_image_error(write_idx("long", 0, 0x803, 3, (uint32_t[]){ 2, 28, 28 }, pixels, sizeof pixels),
	                   "count disagrees with the file's length", "a count smaller than the data");
	expect_image_error(write_idx("head", 0, 0x803, 0, NULL, NULL, 0), "expected 16 bytes of the IDX header",
	                   "a file with only a magic");
	/* a truncated .gz: cut a valid gzip file in the middle */
	write_idx("trunc.gz", 1, 0x803, 3, (uint32_t[]){ 3, 28, 28 }, pixels, sizeof pixels);
	char full[512];
	snprintf(full, sizeof full, "%s", path);
	FILE *f = fopen(full, "rb");
	unsigned char buf[8192];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	f = fopen(full, "wb");
	fwrite(buf, 1, n / 2, f);
	fclose(f);
	expect_image_error(full, "truncated gzip", "a gzip file cut in half");
	unsigned char bad[3] = { 1, 10, 2 };
	expect_label_error(write_idx("label10", 0, 0x801, 1, (uint32_t[]){ 3 }, bad, 3),
	                   "label 1 is 10: expected a digit 0..9", "a label of 10");
	expect_label_error(write_idx("labmagic", 0, 0x803, 1, (uint32_t[]){ 3 }, bad, 3),
	                   "bad magic number", "a label file with an image magic");
	char missing[600];
	snprintf(missing, sizeof missing, "%s/no-such-file", dir);
	expect_image_error(missing, "run `make data'", "a missing file");
}

static void real_mnist(void)
{
	static const int train_counts[10] = { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 };
	static const int test_counts[10] = { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 };
	Mnist m;
	char err[ERR_LEN] = "";
	int rc = mnist_load(&m, NULL, err);
	if (!ok(rc == 0, "the real MNIST files load from %s", mnist_dir()))
		diag("%s", err);
	if (rc != 0) {
		for (int i = 0; i < 7; i++)
			ok(0, "skipped checks on MNIST (it did not load)");
		return;
	}
	is_int(m.train.n + m.valid.n, 60000, "60,000 training images");
	is_int(m.test.n, 10000, "10,000 test images");
	ok(m.train.n == 50000 && m.valid.n == 10000 && m.valid.x == m.train.x + 50000 * 784,
	   "split 50,000/10,000, the validation set right after the training set");
	int tc[10] = { 0 }, ec[10] = { 0 };
	for (int i = 0; i < 60000; i++)
		tc[m.train.y[i]]++;
	for (int i = 0; i < 10000; i++)
		ec[m.test.y[i]]++;
	ok(memcmp(tc, train_counts, sizeof tc) == 0, "training label counts are 5923 6742 ... 5949");
	ok(memcmp(ec, test_counts, sizeof ec) == 0, "test label counts are 980 1135 ... 1009");
	double sum = 0, lo = 1, hi = 0;
	for (size_t k = 0; k < 10000 * 784; k++) {
		float v = m.test.x[k];
		sum += v;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	ok(lo == 0 && hi == 1, "pixels span exactly [0,1]");
	is_double(sum / (10000.0 * 784), 0.1325, 0.002, "mean test pixel is MNIST's 0.1325");
	mnist_free(&m);
}

int main(void)
{
	if (!mkdtemp(dir))
		skip_all("cannot create a temporary folder");
	plan(8 + 25 + 8);
	small_files();
	corrupt_files();
	real_mnist();
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}

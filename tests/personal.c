/* The personal set and the inside view's saliency picture (chapter 6), without a
 * display: labelled drawings go into new files, never over old ones; a folder
 * lists all its strokes files, however many; every fourth drawing of a digit is
 * held out; a bad file is an error that names it; the saliency picture is the
 * image's grey where the gradient is zero and red where it is largest. */
#include "tap.h"
#include "inside.h"
#include "personal.h"
#include "util.h"
#include <unistd.h>

static void line(Strokes *s, float x0, float y0, float x1, float y1)
{
	strokes_clear(s);
	strokes_begin(s);
	for (int i = 0; i <= 10; i++)
		strokes_add(s, x0 + (x1 - x0) * i / 10, y0 + (y1 - y0) * i / 10);
}

static int same_points(const Strokes *a, const Strokes *b)
{
	if (a->n != b->n || a->nstrokes != b->nstrokes)
		return 0;
	for (int i = 0; i < a->n; i++)
		if (fabsf(a->p[i].x - b->p[i].x) > 1e-4f || fabsf(a->p[i].y - b->p[i].y) > 1e-4f)
			return 0;
	return 1;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f)
		fputs(text, f), fclose(f);
}

static void test_saliency(void)
{
	unsigned char rgb[MNIST_PIXELS * 3];
	float image[MNIST_PIXELS] = { 0 }, grad[MNIST_PIXELS] = { 0 };
	image[5] = 1, grad[7] = 2, grad[9] = -1;
	inside_saliency(image, grad, rgb);
	ok(rgb[0] == 255 && rgb[15] == rgb[16] && rgb[15] < 200 && rgb[21] == 255 && rgb[22] == 0 &&
	   rgb[29] > rgb[27], "saliency: paper, the image's grey, red at the largest gradient, "
	   "bluish where it is negative");
}

int main(void)
{
	char dir[] = "/tmp/digits-personal.XXXXXX", sub[64], path[4096], p2[4096], err[ERR_LEN];
	if (!mkdtemp(dir))
		skip_all("cannot make a temporary directory");
	plan(7);
	snprintf(sub, sizeof sub, "%s/saved/personal", dir);
	Strokes s, back;
	strokes_init(&s);
	strokes_init(&back);
	line(&s, 0.3f, 0.2f, 0.5f, 0.8f);
	int rc = personal_add(sub, &s, 3, "a test", path, sizeof path, err);
	ok(rc == 0 && strstr(path, "/3-0001.strokes") && strokes_load(&back, path, err) == 0 &&
	   same_points(&s, &back), "a labelled drawing goes to %s and reads back the same", path);
	snprintf(path, sizeof path, "%s/3-0002.strokes", sub);
	write_file(path, "0.5 0.5\n");
	rc = personal_add(sub, &s, 3, "a test", p2, sizeof p2, err);
	ok(rc == 0 && strstr(p2, "/3-0003.strokes") && strokes_load(&back, path, err) == 0 &&
	   back.n == 1, "the next goes to a free name (%s), the file in the way is kept", p2);
	for (int i = 0; i < 70; i++) {
		line(&s, 0.2f + 0.005f * i, 0.2f, 0.6f, 0.7f);
		personal_add(sub, &s, i % 10, "a test", p2, sizeof p2, err);
	}
	Samples files;
	int n = samples_find(&files, sub, err), sorted = n > 1;
	for (int i = 1; i < n; i++)
		sorted &= strcmp(files.path[i - 1], files.path[i]) < 0;
	ok(n == 73 && sorted, "a folder of %d strokes files lists them all, sorted", n);
	samples_free(&files);
	PersonalSet ps;
	rc = personal_load(sub, &ps, err);
	ok(rc == 0 && ps.train.n == 62 && ps.held.n == 11 && ps.held.y[0] == 0,
	   "every fourth drawing of each digit is held out: %d trained on, %d held out",
	   ps.train.n, ps.held.n);
	personal_free(&ps);
	snprintf(path, sizeof path, "%s/4-9999.strokes", sub);
	write_file(path, "0.5 oops\n");
	rc = personal_load(sub, &ps, err);
	ok(rc == -1 && strstr(err, "4-9999.strokes:1:"), "a bad file is an error that names it: %s",
	   err);
	test_saliency();
	ok(personal_load("/nonexistent/digits", &ps, err) == -1 && strstr(err, "/nonexistent"),
	   "a missing folder is an error that names it: %s", err);
	strokes_free(&s);
	strokes_free(&back);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? done_testing() : 1;
}

/* The strokes file, and what a drawing goes through: the canvas (the spline and
   the pen) and the MNIST-style preprocessing. */
#include "fuzz.h"
#include "canvas.h"
#include "preprocess.h"
#include "strokes.h"
#include "util.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static float ink[CANVAS_SIDE * CANVAS_SIDE];
	char path[64], err[ERR_LEN];
	int fd = fuzz_file(data, size, path);
	Strokes s;
	strokes_init(&s);
	if (strokes_load(&s, path, err) == 0) {
		float image[MNIST_PIXELS];
		canvas_draw(&s, ink, CANVAS_SIDE);
		preprocess(ink, CANVAS_SIDE, image, NULL);
	}
	strokes_free(&s);
	close(fd);
	return 0;
}

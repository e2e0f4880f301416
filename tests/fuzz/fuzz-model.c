/* The model file, whole: header, zlib, CRC, payload, every kind's loader, and
   the prediction of each model that loads. */
#include "fuzz.h"
#include "model.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[ERR_LEN];
	int fd = fuzz_file(data, size, path);
	Model *m = model_load(path, err);
	if (m) {
		float x[MNIST_PIXELS], s[MNIST_CLASSES];
		for (int i = 0; i < MNIST_PIXELS; i++)
			x[i] = (float)(i % 29) / 28.0f;
		model_predict(m, x, s);
		model_free(m);
	}
	close(fd);
	return 0;
}

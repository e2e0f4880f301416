/* The model file's payload: the input is wrapped in a valid header, zlib stream
   and CRC, so that mutations reach the parser and the kinds' loaders instead of
   stopping at the checksum.  Each model that loads predicts one image. */
#include "fuzz.h"
#include "model.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 255, p[1] = v >> 8 & 255, p[2] = v >> 16 & 255, p[3] = v >> 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uLongf zlen = compressBound(size);
	unsigned char *file = malloc(24 + zlen);
	compress2(file + 24, &zlen, data, size, 1);
	memcpy(file, "DIGITSMF", 8);
	le32(file + 8, MF_VERSION);
	le32(file + 12, (uint32_t)size);
	le32(file + 16, (uint32_t)zlen);
	le32(file + 20, (uint32_t)crc32(0L, data, (uInt)size));
	char path[64], err[ERR_LEN];
	int fd = fuzz_file(file, 24 + zlen, path);
	free(file);
	Model *m = model_load(path, err);
	if (m) {
		float x[MNIST_PIXELS], s[MNIST_CLASSES];
		for (int i = 0; i < MNIST_PIXELS; i++)
			x[i] = (float)(i % 31) / 30.0f;
		model_predict(m, x, s);
		model_free(m);
	}
	close(fd);
	return 0;
}

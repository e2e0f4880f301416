/* The IDX reader: the input as an image file and as a label file, plain or gzip'ed
   (gzopen reads both, telling them apart by the gzip magic). */
#include "fuzz.h"
#include "mnist.h"
#include "util.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[ERR_LEN];
	int fd = fuzz_file(data, size, path);
	float *x;
	unsigned char *y;
	int n;
	if (idx_read_images(path, &x, &n, err) == 0)
		free(x);
	if (idx_read_labels(path, &y, &n, err) == 0)
		free(y);
	close(fd);
	return 0;
}

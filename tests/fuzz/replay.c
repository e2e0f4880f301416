/* replay FILE...: run a fuzz harness on each file, as libFuzzer would on a
   finding, so that make test (with SANITIZE=1: under ASan and UBSan) replays
   the fuzzers' seeds and every regression case without clang. */
#include "fuzz.h"
#include <stdlib.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		size_t cap = 1 << 16, n = 0, r;
		uint8_t *buf = malloc(cap);
		while ((r = fread(buf + n, 1, cap - n, f)) > 0)
			if ((n += r) == cap)
				buf = realloc(buf, cap *= 2);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
	}
	return 0;
}

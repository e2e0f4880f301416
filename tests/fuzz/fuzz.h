/* fuzz.h: what the fuzz harnesses share.  Each harness defines
   LLVMFuzzerTestOneInput; libFuzzer calls it with mutated inputs (make fuzz),
   and tests/fuzz/replay.c calls it with the files it is given (make test). */
#ifndef DIGITS_FUZZ_H
#define DIGITS_FUZZ_H
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The loaders read files by name: hand them the bytes as a file in memory,
   /proc/self/fd/N.  Returns the descriptor (close it after), path filled. */
static inline int fuzz_file(const uint8_t *data, size_t size, char path[64])
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0) {
		perror("memfd_create");
		_exit(2);
	}
	for (size_t at = 0; at < size;) {
		ssize_t w = write(fd, data + at, size - at);
		if (w <= 0) {
			perror("write");
			_exit(2);
		}
		at += (size_t)w;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}
#endif

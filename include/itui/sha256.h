/*
 * sha256.h - SHA-256 (FIPS 180-4), for the record's hash chains.
 *
 * Contract: pure, any thread; a struct sha256 is the caller's.  Written
 * here rather than linked: a shared crypto library costs every process
 * ~0.1-0.3 ms of dynamic loading (measured with nettle), which a plain
 * `log` would pay for nothing.  tests/test_memory.c holds it to the FIPS
 * 180-4 example vectors.
 */
#ifndef ITUI_SHA256_H
#define ITUI_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	uint8_t buf[64];
	size_t fill;
};

void sha256_begin(struct sha256 *c);
void sha256_add(struct sha256 *c, const void *data, size_t len);
void sha256_end(struct sha256 *c, uint8_t out[SHA256_BYTES]);

#endif

/*
 * fuzz.h - what the fuzz targets share: libFuzzer's entry point (run by
 * libFuzzer under clang for `make fuzz`, by replay.c under gcc for `make
 * check`) and a scratch file for the parsers that read a path.
 */
#ifndef ITUI_FUZZ_H
#define ITUI_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input. Free it. */
char *fuzz_cstr(const uint8_t *data, size_t size);
/* The input written to this process's scratch file; its path. */
const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix);

#endif

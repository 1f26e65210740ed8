#ifndef RESTGATE_CFUZZ_H
#define RESTGATE_CFUZZ_H

#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry for a program that has its own main (SwiftPM gives every executable one).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

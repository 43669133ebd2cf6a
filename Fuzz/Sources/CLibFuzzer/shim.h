#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver (compiler-rt's FuzzerDriver): parses libFuzzer's flags from argv and runs
// `callback` on every input. Linked by -sanitize=fuzzer; declared here for Swift.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

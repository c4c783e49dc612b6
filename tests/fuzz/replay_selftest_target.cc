// Copyright corsc developers.
//
// A fuzz target that fails on purpose, for the replay driver's own test
// (fuzz_replay/finds_and_saves_a_failure): it traps on any input that
// begins with "trap", as a target traps when a property is broken.

#include <cstddef>
#include <cstdint>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size >= 4 && std::memcmp(data, "trap", 4) == 0) __builtin_trap();
  return 0;
}

// Copyright corsc developers.
//
// Unaligned word loads. The hot path reads origins, header names and keys
// a word at a time; memcpy compiles to one load and is defined for any
// alignment. Little-endian, like every word the table format stores.

#ifndef CORSC_ENGINE_BYTES_H_
#define CORSC_ENGINE_BYTES_H_

#include <cstdint>
#include <cstring>

namespace corsc::bytes {

inline uint64_t Load64(const char* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint32_t Load32(const char* p) noexcept {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace corsc::bytes

#endif  // CORSC_ENGINE_BYTES_H_

// Copyright corsc developers.
//
// Unaligned word loads, and a byte compare within a word. The hot path
// reads origins, header names and keys a word at a time; memcpy compiles
// to one load and is defined for any alignment. Little-endian, like every
// word the table format stores.

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

// The high bit of each byte of `w` that equals the byte repeated in
// `pattern`, and no other bit. Exact, unlike the classic "has a zero byte"
// test on w ^ pattern, whose false positives (a byte one above a match,
// right after it) would be taken for matches.
inline uint64_t BytesEqual(uint64_t w, uint64_t pattern) noexcept {
  constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7full;
  const uint64_t t = w ^ pattern;
  return ~(((t & kLow7) + kLow7) | t | kLow7);
}

}  // namespace corsc::bytes

#endif  // CORSC_ENGINE_BYTES_H_

// Copyright corsc developers.
//
// The origin pass of the `table` strategy: the reading of an Origin value
// that the tiers of the origin matcher share. It splits the value into
// scheme, host and port and hashes it for the exact tier and the wildcard
// tier at once.
//
// Hashes. Both tables are keyed by hashes of an origin's parts, which the
// builder computes from a pattern's parts with the same functions:
//
//   exact key      ExactKey(scheme, host, port), for the set's exact table
//                  ("null": kNullKey);
//   wildcard key   WildKey(set, scheme, suffix), for a suffix of the host.
//
// Both hash the host (or the suffix) as a chain over its 16-byte chunks
// from its right end, so that the chain value of every suffix is a
// by-product of the host's: a suffix of L bytes has the host's value after
// floor(L / 16) chunks, plus one step for its first L mod 16 bytes. The
// definitions (part of the table format, docs/table_format.md):
//
//   mum(a, b)        the 128-bit product a * b, its two halves xor-ed
//   word(x, i)       bytes x[i, i + 8) as a little-endian u64
//   chain(seed, x)   h = seed; for j = 1 .. floor(L / 16):
//                      h = mum(h ^ word(x, L - 16j), word(x, L - 16j + 8) ^ kChunk);
//                    then with r = L mod 16: r > 8: h = mum(h ^ word(x, 0),
//                    word(x, r - 8) ^ kChunk); 1 <= r <= 8: h = mum(h ^ x[0, r)
//                    zero-padded, kChunk)
//   scheme(s)        mum(chain(kSchemeSeed, s), kScheme + |s|)
//   ExactKey         mum(chain(kHostSeed, host) ^ scheme(s),
//                        kExact ^ (|host| << 32) ^ port)       port: 0..65535
//                                                              or kNoPort
//   WildKey          mum(chain(kHostSeed, suffix) ^ scheme(s),
//                        WildSeed(set) ^ |suffix|)
//   WildSeed(set)    kWild ^ ((set + 1) * kSetMul)
//
// The pass:
//
//   Prepare    the scheme from the left ("https://" and "http://" by one
//              8-byte compare each, any other by a check of its bytes, out
//              of line), a port from the right (checked as a canonical
//              port), then the chain of the host: two loads and one
//              multiply per 16 bytes, every intermediate value kept; and
//              the exact key. No byte of the host is checked: a hit in the
//              exact tier is confirmed by comparing the value with the
//              pattern, which is canonical, and a wildcard hit by checking
//              the labels left of the suffix (AreCanonicalLabels): the
//              rest then equals a canonical pattern's.
//   WildKeyAt  the wildcard key of one suffix, from the kept chain value
//              and at most one more step.
//
// Measured and set aside: checking the whole host up front (16-byte SSE2
// classification into masks of dots and of bad bytes) cost more than it
// saved; every miss paid it, and a hit needs only the few bytes left of
// its suffix checked.
//
// Reads: only bytes of the value, except that a value shorter than 16 bytes
// is first copied into a zeroed buffer (so that whole-word loads stay in
// bounds).

#ifndef CORSC_ENGINE_ORIGIN_SCAN_H_
#define CORSC_ENGINE_ORIGIN_SCAN_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "ascii.h"
#include "bytes.h"
#include "corsc/origin.h"
#include "corsc/table_spec.h"

namespace corsc::origin_scan {

inline constexpr uint64_t kHostSeed = 0x97b1165f0971b7c5ull;
inline constexpr uint64_t kScheme = 0xd13c513a42f8eda1ull;
inline constexpr uint64_t kChunk = 0x8a8318174d645fa7ull;
inline constexpr uint64_t kSchemeSeed = 0x25abd89bd67e4d93ull;
inline constexpr uint64_t kExact = 0x48a7c8252abc5619ull;
inline constexpr uint64_t kWild = 0x3cbb7daa64c184fbull;
inline constexpr uint64_t kSetMul = 0xf15ce760f3e452f3ull;
inline constexpr uint64_t kNullKey = 0xeca9bad1449e78e5ull;

__extension__ typedef unsigned __int128 Uint128;

inline constexpr uint64_t Mum(uint64_t a, uint64_t b) noexcept {
#if defined(__x86_64__)
  // GCC 12 sends the 128-bit product through the stack; one mulq does not.
  if (!std::is_constant_evaluated()) {
    uint64_t lo, hi;
    asm("mulq %3" : "=a"(lo), "=d"(hi) : "a"(a), "rm"(b) : "cc");
    return lo ^ hi;
  }
#endif
  const Uint128 r = static_cast<Uint128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

// ------------------------------------------------- the builder's functions

// x[i, i + n) as a little-endian integer (n <= 8), byte by byte.
inline constexpr uint64_t WordAt(std::string_view x, size_t i, size_t n = 8) noexcept {
  uint64_t v = 0;
  for (size_t k = 0; k < n; ++k) v |= uint64_t{static_cast<uint8_t>(x[i + k])} << (8 * k);
  return v;
}

inline constexpr uint64_t Chain(uint64_t seed, std::string_view x) noexcept {
  const size_t n = x.size();
  uint64_t h = seed;
  for (size_t j = 1; 16 * j <= n; ++j) {
    h = Mum(h ^ WordAt(x, n - 16 * j), WordAt(x, n - 16 * j + 8) ^ kChunk);
  }
  const size_t r = n % 16;
  if (r > 8) h = Mum(h ^ WordAt(x, 0), WordAt(x, r - 8) ^ kChunk);
  if (r != 0 && r <= 8) h = Mum(h ^ WordAt(x, 0, r), kChunk);
  return h;
}

inline constexpr uint64_t SchemeHash(std::string_view scheme) noexcept {
  return Mum(Chain(kSchemeSeed, scheme), kScheme + scheme.size());
}

inline constexpr uint64_t WildSeed(uint32_t set) noexcept {
  return kWild ^ ((uint64_t{set} + 1) * kSetMul);
}

inline constexpr uint64_t ExactKeyOf(uint64_t chain, uint64_t scheme, size_t host_size,
                                     uint32_t port) noexcept {
  return Mum(chain ^ scheme, kExact ^ (uint64_t{host_size} << 32) ^ port);
}
inline constexpr uint64_t WildKeyOf(uint64_t chain, uint64_t scheme, uint64_t wild_seed,
                                    size_t suffix_size) noexcept {
  return Mum(chain ^ scheme, wild_seed ^ suffix_size);
}

// The keys of a pattern, as the builder computes them.
inline constexpr uint64_t ExactKey(std::string_view scheme, std::string_view host,
                                   uint32_t port) noexcept {
  return ExactKeyOf(Chain(kHostSeed, host), SchemeHash(scheme), host.size(), port);
}
inline constexpr uint64_t WildKey(uint32_t set, std::string_view scheme,
                                  std::string_view suffix) noexcept {
  return WildKeyOf(Chain(kHostSeed, suffix), SchemeHash(scheme), WildSeed(set), suffix.size());
}

inline constexpr uint64_t kHttpsHash = SchemeHash("https");
inline constexpr uint64_t kHttpHash = SchemeHash("http");

// ---------------------------------------------------------------- the pass

using bytes::Load64;

// ascii::IsLabelChar as a table: one load a byte.
inline constexpr std::array<bool, 256> kLabelByte = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = ascii::IsLabelChar(static_cast<char>(c));
  return t;
}();

// Whether s[b, e) is one or more labels of [a-z0-9_-] joined by single
// dots: the part of a host name left of a wildcard suffix. Byte by byte.
// (A 16-byte SSE2 classification of the same bytes was measured: it
// saved 10 instructions on labels of 9 bytes and cost 12 more on labels
// of 7, the usual "app1234". Labels left of a suffix are short.)
inline bool AreCanonicalLabels(const char* s, size_t b, size_t e) noexcept {
  bool label_start = true;  // no byte of the current label yet
  for (size_t i = b; i < e; ++i) {
    const char c = s[i];
    if (kLabelByte[static_cast<uint8_t>(c)]) {
      label_start = false;
    } else if (c != '.' || label_start) {
      return false;
    } else {
      label_start = true;
    }
  }
  return !label_start;
}

// The dots of the 8 bytes s[p, p + 8) as a mask: bit 8i + 7 set when
// s[p + i] is '.'; bytes at or past `size` count as none. REQUIRES: p <
// size, and the 8 bytes that end at s + size readable (a prepared value:
// OriginScan::s and the value's size). Exact (bytes::BytesEqual): a '/'
// after a '.' is no dot.
inline uint64_t DotMask(const char* s, size_t p, size_t size) noexcept {
  // Near the end, the last 8 bytes shifted down: the bytes past the end
  // become zeros, which are not dots.
  const uint64_t word =
      p + 8 <= size ? Load64(s + p) : Load64(s + size - 8) >> (8 * (p + 8 - size));
  return bytes::BytesEqual(word, 0x2e2e2e2e2e2e2e2eull);  // "........"
}

struct OriginScan {
  // Set by Prepare().
  const char* s;         // the value, or its padded copy in `pad`
  bool padded;           // s is `pad` + 16: the 16 bytes before s are readable
  uint32_t host_begin;   // the scheme is s[0, host_begin - 3)
  uint32_t host_end;     // the host is s[host_begin, host_end)
  uint32_t port;         // kNoPort when absent
  uint64_t scheme_hash;  // scheme(s)
  uint64_t exact_key;    // ExactKey of the value
  // chain[j]: the host's chain after its last j chunks of 16 bytes.
  uint64_t chain[kMaxOriginLength / 16 + 1];
  alignas(16) char pad[32];
};

enum class ScanResult { kNotCanonical, kNull, kReady };

namespace internal {

using ascii::IsDigit;
using ascii::IsLowerAlpha;
using ascii::IsSchemeChar;

// s[b, b + r) zero-padded, 1 <= r <= 7. Reads the 8 bytes ending at b + r
// when they are all readable (b + r >= 8, or `padded`), else the 8 from b
// (then b < 8, and a value that is not padded has 16 bytes or more).
[[gnu::always_inline]] inline uint64_t Partial(const char* s, ptrdiff_t b, size_t r,
                                               bool padded) noexcept {
  if (b + static_cast<ptrdiff_t>(r) >= 8 || padded) return Load64(s + b + r - 8) >> (64 - 8 * r);
  return Load64(s + b) & (~uint64_t{0} >> (64 - 8 * r));
}

// chain() of the r bytes s[b, b + r) (0 <= r < 16) from the value h of the
// chunks right of them. Reads as Partial() does.
[[gnu::always_inline]] inline uint64_t ChainHead(uint64_t h, const char* s, ptrdiff_t b, size_t r,
                                                 bool padded) noexcept {
  if (r > 8) return Mum(h ^ Load64(s + b), Load64(s + b + r - 8) ^ kChunk);
  if (r != 0) return Mum(h ^ Partial(s, b, r, padded), kChunk);
  return h;
}

// A canonical port s[j, n) of a scheme whose default port is
// `default_port`: 1 to 5 digits, no leading zero, at most 65535, not the
// default. Returns it, or kNoPort when it is not canonical.
inline uint32_t CanonicalPort(const char* s, size_t j, size_t n, uint32_t default_port) noexcept {
  const size_t digits = n - j;
  if (digits > 5 || (digits > 1 && s[j] == '0')) return kNoPort;
  uint32_t port = 0;
  for (size_t k = j; k < n; ++k) port = port * 10 + static_cast<uint32_t>(s[k] - '0');
  if (port > 65535 || port == default_port) return kNoPort;
  return port;
}

// The rest of Prepare() once the scheme is known: the host begins at
// s[host_begin]; o->s and o->padded are set.
[[gnu::always_inline]] inline ScanResult PrepareHost(const char* s, size_t n, size_t host_begin,
                                                     uint64_t scheme_hash, uint32_t default_port,
                                                     OriginScan* o) noexcept {
  // Port: digits at the end after a ':'.
  size_t host_end = n;
  uint32_t port = kNoPort;
  if (IsDigit(s[n - 1])) {
    size_t j = n - 1;  // the first digit of the run at the end
    while (j > host_begin && IsDigit(s[j - 1])) --j;
    if (j > host_begin && s[j - 1] == ':') {
      port = CanonicalPort(s, j, n, default_port);
      if (port == kNoPort) return ScanResult::kNotCanonical;
      host_end = j - 1;
    }
  }
  if (host_end == host_begin) return ScanResult::kNotCanonical;
  o->host_begin = static_cast<uint32_t>(host_begin);
  o->host_end = static_cast<uint32_t>(host_end);
  o->port = port;
  o->scheme_hash = scheme_hash;

  // The host's chain, from its end.
  const size_t size = host_end - host_begin;
  uint64_t h = kHostSeed;
  o->chain[0] = h;
  const char* w = s + host_end;
  for (size_t j = 1; j <= size / 16; ++j) {
    w -= 16;
    h = Mum(h ^ Load64(w), Load64(w + 8) ^ kChunk);
    o->chain[j] = h;
  }
  h = ChainHead(h, s, static_cast<ptrdiff_t>(host_begin), size % 16, o->padded);
  o->exact_key = ExactKeyOf(h, scheme_hash, size, port);
  return ScanResult::kReady;
}

// Prepare() for values of fewer than 16 or more than kMaxOriginLength
// bytes and schemes other than "https" and "http" (origin_scan.cc).
ScanResult PrepareOther(std::string_view origin, OriginScan* o) noexcept;

}  // namespace internal

// Splits and hashes `origin`. kReady: the fields Prepare sets are set (the
// value may still be non-canonical: the host is not checked). kNull: the
// value is "null". kNotCanonical: the length, scheme or port already shows
// that it is not canonical.
[[gnu::always_inline]] inline ScanResult Prepare(std::string_view origin, OriginScan* o) noexcept {
  const size_t n = origin.size();
  const char* const s = origin.data();
  if (n >= 16 && n <= kMaxOriginLength) {
    const uint64_t head = Load64(s);
    o->s = s;
    o->padded = false;
    if (head == 0x2f2f3a7370747468ull) {  // "https://"
      return internal::PrepareHost(s, n, 8, kHttpsHash, 443, o);
    }
    if ((head & 0x00ffffffffffffffull) == 0x002f2f3a70747468ull) {  // "http://"
      return internal::PrepareHost(s, n, 7, kHttpHash, 80, o);
    }
  }
  return internal::PrepareOther(origin, o);
}

// The wildcard key of the host's suffix s[b, host_end) for `wild_seed`.
// REQUIRES: host_begin <= b <= host_end.
[[gnu::always_inline]] inline uint64_t WildKeyAt(const OriginScan& o, size_t b,
                                                 uint64_t wild_seed) noexcept {
  const size_t size = o.host_end - b;
  const uint64_t h =
      internal::ChainHead(o.chain[size / 16], o.s, static_cast<ptrdiff_t>(b), size % 16, o.padded);
  return WildKeyOf(h, o.scheme_hash, wild_seed, size);
}

}  // namespace corsc::origin_scan

#endif  // CORSC_ENGINE_ORIGIN_SCAN_H_

// Copyright corsc developers.
//
// The less common branch of the origin pass (origin_scan.h): values of
// fewer than 16 bytes (read from a padded copy), "null", and schemes other
// than "https" and "http".

#include "origin_scan.h"

namespace corsc::origin_scan::internal {

ScanResult PrepareOther(std::string_view origin, OriginScan* o) noexcept {
  const size_t n = origin.size();
  if (n > kMaxOriginLength || n == 0) return ScanResult::kNotCanonical;
  const char* s = origin.data();
  o->padded = n < 16;
  if (o->padded) {
    if (n == 4 && std::memcmp(s, "null", 4) == 0) return ScanResult::kNull;
    std::memset(o->pad, 0, sizeof(o->pad));
    std::memcpy(o->pad + 16, s, n);
    s = o->pad + 16;
  }
  o->s = s;
  const uint64_t head = Load64(s);
  if (head == 0x2f2f3a7370747468ull) return PrepareHost(s, n, 8, kHttpsHash, 443, o);
  if ((head & 0x00ffffffffffffffull) == 0x002f2f3a70747468ull) {
    return PrepareHost(s, n, 7, kHttpHash, 80, o);
  }
  // Any other scheme: [a-z][a-z0-9+.-]* "://".
  if (!IsLowerAlpha(s[0])) return ScanResult::kNotCanonical;
  size_t i = 1;
  while (i < n && IsSchemeChar(s[i])) ++i;
  if (n - i < 3 || s[i] != ':' || s[i + 1] != '/' || s[i + 2] != '/') {
    return ScanResult::kNotCanonical;
  }
  const std::string_view scheme(s, i);
  return PrepareHost(s, n, i + 3, SchemeHash(scheme), DefaultPort(scheme), o);
}

}  // namespace corsc::origin_scan::internal

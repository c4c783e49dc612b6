// Copyright corsc developers.
//
// Canonical origins (see corsc/origin.h for the grammar). The checks are a
// single forward pass; nothing here allocates.

#include "corsc/origin.h"

#include <utility>

#include "ascii.h"

namespace corsc {
namespace {

using ascii::IsDigit;
using ascii::IsLowerAlpha;

// The classes of ascii.h in one table: one lookup a byte.
constexpr uint8_t kSchemeChar = 1;  // [a-z0-9+.-]
constexpr uint8_t kHostChar = 2;    // [a-z0-9_-]
constexpr uint8_t kHostDot = 4;     // '.'
constexpr uint8_t kHostColon = 8;   // ':'
constexpr std::array<uint8_t, 256> kCharClass = [] {
  std::array<uint8_t, 256> t{};
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (ascii::IsSchemeChar(c)) t[b] |= kSchemeChar;
    if (ascii::IsLabelChar(c)) t[b] |= kHostChar;
  }
  t['.'] |= kHostDot;
  t[':'] = kHostColon;
  return t;
}();

constexpr uint8_t CharClass(char c) { return kCharClass[static_cast<uint8_t>(c)]; }

constexpr bool IsSchemeChar(char c) { return (CharClass(c) & kSchemeChar) != 0; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A decimal number without leading zeros ("0" itself is fine), at most
// `max`. Returns -1 otherwise.
long CanonicalDecimal(std::string_view s, long max) {
  if (s.empty() || s.size() > 5) return -1;
  if (s.size() > 1 && s[0] == '0') return -1;
  long v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v <= max ? v : -1;
}

// Dotted-decimal IPv4 in the form the URL standard serializes.
bool IsCanonicalIpv4(std::string_view host) {
  int parts = 0;
  while (true) {
    size_t dot = host.find('.');
    std::string_view part = host.substr(0, dot);
    if (CanonicalDecimal(part, 255) < 0) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool IsCanonicalIpv6Literal(std::string_view bracketed) {
  if (bracketed.size() < 4 || bracketed.front() != '[' || bracketed.back() != ']') {
    return false;
  }
  std::string_view inner = bracketed.substr(1, bracketed.size() - 2);
  std::optional<std::array<uint16_t, 8>> pieces = ParseIpv6(inner);
  if (!pieces) return false;
  char buf[40];
  size_t n = SerializeIpv6(*pieces, buf);
  return inner == std::string_view(buf, n);
}

constexpr size_t kBadHost = ~size_t{0};

// The end of the canonical host that begins at s[i] and ends at a ':' or
// at s[n], or kBadHost. One forward pass: an IPv6 literal, or lower-case
// labels of [a-z0-9_-] joined by single dots.
size_t ScanHost(const char* s, size_t i, size_t n) noexcept {
  const size_t host_begin = i;
  if (i < n && s[i] == '[') {
    while (i < n && s[i] != ']') ++i;
    if (i == n) return kBadHost;
    ++i;
    if (!IsCanonicalIpv6Literal(std::string_view(s + host_begin, i - host_begin))) return kBadHost;
    return i < n && s[i] != ':' ? kBadHost : i;
  }
  size_t label_begin = i;
  for (; i < n; ++i) {
    const uint8_t k = CharClass(s[i]);
    if ((k & kHostChar) != 0) continue;
    if (k == (kSchemeChar | kHostDot)) {
      if (i == label_begin) return kBadHost;  // empty label
      label_begin = i + 1;
    } else if (k == kHostColon) {
      break;
    } else {
      return kBadHost;
    }
  }
  if (i == label_begin) return kBadHost;  // empty host, trailing dot
  // When the last label looks numeric, the URL standard parses the host as
  // IPv4, so it must then be a canonical IPv4 address. (Both checks need a
  // leading digit: most hosts end in a letter and stop here.)
  if (IsDigit(s[label_begin])) {
    const std::string_view last(s + label_begin, i - label_begin);
    bool numeric = true;
    for (char c : last) numeric = numeric && IsDigit(c);
    const bool hex = last.size() >= 2 && last[0] == '0' && last[1] == 'x';
    if ((numeric || hex) && !IsCanonicalIpv4(std::string_view(s + host_begin, i - host_begin))) {
      return kBadHost;
    }
  }
  return i;
}

}  // namespace

bool IsCanonicalHost(std::string_view host) noexcept {
  return !host.empty() && ScanHost(host.data(), 0, host.size()) == host.size();
}

uint32_t DefaultPort(std::string_view scheme) noexcept {
  if (scheme == "http" || scheme == "ws") return 80;
  if (scheme == "https" || scheme == "wss") return 443;
  if (scheme == "ftp") return 21;
  return kNoPort;
}

std::optional<OriginParts> ParseCanonicalOrigin(std::string_view origin) noexcept {
  // One forward pass: scheme, "://", host (labels, or an IPv6 literal),
  // optional port. The list strategies call this on every request that
  // gets past their exact rules, so it avoids searches and re-scans.
  const size_t n = origin.size();
  if (n == 0 || n > kMaxOriginLength) return std::nullopt;
  const char* s = origin.data();
  if (!IsLowerAlpha(s[0])) return std::nullopt;
  size_t i = 1;
  while (i < n && IsSchemeChar(s[i])) ++i;
  if (n - i < 3 || s[i] != ':' || s[i + 1] != '/' || s[i + 2] != '/') return std::nullopt;
  OriginParts parts;
  parts.scheme = std::string_view(s, i);
  i += 3;

  const size_t host_end = ScanHost(s, i, n);
  if (host_end == kBadHost) return std::nullopt;
  parts.host = std::string_view(s + i, host_end - i);
  i = host_end;
  if (i < n) {  // s[i] == ':'
    const long port = CanonicalDecimal(std::string_view(s + i + 1, n - i - 1), 65535);
    if (port < 0) return std::nullopt;
    if (static_cast<uint32_t>(port) == DefaultPort(parts.scheme)) return std::nullopt;
    parts.port = static_cast<uint32_t>(port);
  }
  return parts;
}

std::optional<std::array<uint16_t, 8>> ParseIpv6(std::string_view text) noexcept {
  // The URL standard's IPv6 parser (3.5), step for step: groups of 1-4 hex
  // digits, at most one "::", and an optional dotted-decimal IPv4 tail in
  // place of the last two groups.
  std::array<uint16_t, 8> address{};
  int piece = 0;
  int compress = -1;
  size_t p = 0;
  auto at = [&](size_t i) { return i < text.size() ? text[i] : '\0'; };
  if (at(p) == ':') {
    if (at(p + 1) != ':') return std::nullopt;
    p += 2;
    compress = ++piece;
  }
  while (p < text.size()) {
    if (piece == 8) return std::nullopt;
    if (at(p) == ':') {
      if (compress >= 0) return std::nullopt;
      ++p;
      compress = ++piece;
      continue;
    }
    uint32_t value = 0;
    int length = 0;
    while (length < 4 && HexValue(at(p)) >= 0) {
      value = value * 16 + static_cast<uint32_t>(HexValue(at(p)));
      ++p;
      ++length;
    }
    if (at(p) == '.') {
      if (length == 0 || piece > 6) return std::nullopt;
      p -= static_cast<size_t>(length);
      int numbers_seen = 0;
      while (p < text.size()) {
        if (numbers_seen > 0) {
          if (at(p) != '.' || numbers_seen >= 4) return std::nullopt;
          ++p;
        }
        if (!IsDigit(at(p))) return std::nullopt;
        int octet = -1;
        while (IsDigit(at(p))) {
          int digit = at(p) - '0';
          if (octet == 0) return std::nullopt;  // leading zero
          octet = octet < 0 ? digit : octet * 10 + digit;
          if (octet > 255) return std::nullopt;
          ++p;
        }
        address[piece] = static_cast<uint16_t>(address[piece] * 0x100 + octet);
        ++numbers_seen;
        if (numbers_seen == 2 || numbers_seen == 4) ++piece;
      }
      if (numbers_seen != 4) return std::nullopt;
      break;
    }
    if (at(p) == ':') {
      ++p;
      if (p == text.size()) return std::nullopt;
    } else if (p != text.size()) {
      return std::nullopt;
    }
    if (length == 0) return std::nullopt;
    address[piece++] = static_cast<uint16_t>(value);
  }
  if (compress >= 0) {
    int swaps = piece - compress;
    piece = 7;
    while (piece != 0 && swaps > 0) {
      std::swap(address[piece], address[compress + swaps - 1]);
      --piece;
      --swaps;
    }
  } else if (piece != 8) {
    return std::nullopt;
  }
  return address;
}

size_t SerializeIpv6(const std::array<uint16_t, 8>& pieces, char (&out)[40]) noexcept {
  // URL standard 3.5 (IPv6 serializer): compress the first longest run of
  // two or more zero pieces; lower-case hex without leading zeros.
  int best_start = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (pieces[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && pieces[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  size_t n = 0;
  bool ignore0 = false;
  for (int i = 0; i < 8; ++i) {
    if (ignore0 && pieces[i] == 0) continue;
    ignore0 = false;
    if (i == best_start) {
      out[n++] = ':';
      if (i == 0) out[n++] = ':';
      ignore0 = true;
      continue;
    }
    uint16_t v = pieces[i];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int d = (v >> shift) & 0xf;
      if (d != 0 || started || shift == 0) {
        out[n++] = kHex[d];
        started = true;
      }
    }
    if (i != 7) out[n++] = ':';
  }
  return n;
}

}  // namespace corsc

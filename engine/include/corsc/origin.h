// Copyright corsc developers.
//
// Serialized origins in canonical form, the form browsers send in the Origin
// header (see the policy-language spec, "Canonical form", and
// docs/decisions.md for the exact grammar):
//
//   origin = scheme "://" host [ ":" port ]
//   scheme = lower-case ALPHA *( lower-case ALPHA / DIGIT / "+" / "-" / "." )
//   host   = label *( "." label )          labels of [a-z0-9_-], non-empty
//          / dotted-decimal IPv4           no leading zeros
//          / "[" IPv6 "]"                  RFC 5952 text: lower case, compressed
//   port   = "0" / %x31-39 *DIGIT          at most 65535, never the scheme's default
//
// Shared by the engine (request origins must be canonical to match a
// wildcard or a regex) and the compiler (patterns are brought to this form).

#ifndef CORSC_ORIGIN_H_
#define CORSC_ORIGIN_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "corsc/table_spec.h"

namespace corsc {

struct OriginParts {
  std::string_view scheme;  // "https"
  std::string_view host;    // "app.example.com", "127.0.0.1", "[::1]"
  uint32_t port = kNoPort;  // kNoPort when absent
};

// Longest origin the engine parses (scheme, "://", a 253-byte host, port).
// Longer Origin values are never canonical.
inline constexpr size_t kMaxOriginLength = 512;

// Parses `origin` if, and only if, it is a canonical serialized origin.
// "null", upper case, a default port, a path, a trailing dot or slash, an
// empty label, a non-canonical IP literal: all nullopt. Linear time, no
// allocation.
std::optional<OriginParts> ParseCanonicalOrigin(std::string_view origin) noexcept;

// Whether `host` is the host part of a canonical origin: labels, IPv4 or
// a bracketed IPv6 literal, as in the grammar above.
bool IsCanonicalHost(std::string_view host) noexcept;

// The default port of a scheme with one ("http" 80, "https" 443, "ws" 80,
// "wss" 443, "ftp" 21, as in the URL standard), else kNoPort.
uint32_t DefaultPort(std::string_view scheme) noexcept;

// IPv6 text (without brackets) to its eight 16-bit pieces; accepts any
// RFC 4291 text form, including an embedded IPv4 tail. nullopt when invalid.
std::optional<std::array<uint16_t, 8>> ParseIpv6(std::string_view text) noexcept;

// The RFC 5952 / URL-standard serialization of an IPv6 address (without
// brackets) into `out`; returns the length written (at most 39).
size_t SerializeIpv6(const std::array<uint16_t, 8>& pieces, char (&out)[40]) noexcept;

}  // namespace corsc

#endif  // CORSC_ORIGIN_H_

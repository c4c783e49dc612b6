// Copyright corsc developers.
//
// Origin patterns as written in a policy, read into OriginPattern
// (corsc/policy.h) in the canonical form of corsc/origin.h, or refused with
// the code and the bytes at fault. check.cc turns an error into a
// Diagnostic that points into the string.

#ifndef CORSC_COMPILER_ORIGIN_PATTERN_H_
#define CORSC_COMPILER_ORIGIN_PATTERN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "corsc/diagnostic.h"
#include "corsc/policy.h"

namespace corsc {

// Memory budget of one regex origin: RE2's max_mem, the engine's
// OpenOptions::regex_max_mem default, so that what compiles here loads
// there.
inline constexpr int64_t kRegexMaxMem = int64_t{8} << 20;

struct OriginPatternError {
  Code code = Code::kMalformedOrigin;
  size_t offset = 0;  // byte offset of the fault in the pattern
  size_t length = 0;  // bytes to underline; 0 for a caret only
  std::string message;
};

using OriginPatternResult = std::variant<OriginPattern, OriginPatternError>;

// A string pattern: "*", "null", "https://app.example.com",
// "http://localhost:*", "https://*.example.com[:port|:*]". The result's
// `written` is `text`; its `where` is left for the caller to fill.
//
// Canonical form: lower-case scheme and host, no default port, a port
// without leading zeros, IPv6 compressed (RFC 5952), "null" in lower case.
// Refused: CORS010 malformed (see the message), CORS011 wildcard not the
// whole leftmost label, CORS012 wildcard directly above a public suffix,
// CORS015 non-ASCII host (the message gives the punycode form).
OriginPatternResult ParseOriginPattern(std::string_view text);

// A { regex = "..." } pattern: RE2 must accept it within kRegexMaxMem
// (else CORS014 with RE2's reason).
OriginPatternResult ParseOriginRegex(std::string_view regex);

// Whether `domain` (lower case, ASCII) is a public suffix in the Public
// Suffix List, private section included, without the list's implicit "*"
// rule (decision D4).
bool IsPublicSuffix(std::string_view domain);

// The ASCII (punycode) form of a host name (IDNA 2008, UTS 46
// non-transitional); nullopt when it has none.
std::optional<std::string> HostToAscii(std::string_view host);

}  // namespace corsc

#endif  // CORSC_COMPILER_ORIGIN_PATTERN_H_

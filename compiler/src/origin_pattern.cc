// Copyright corsc developers.
//
// Origin patterns: the text of an origin list entry to an OriginPattern in
// canonical form (corsc/origin.h), or an error that names the bytes at
// fault.
//
// A string pattern is read left to right, the way the URL standard reads
// an origin, and refused at the first fault:
//
//   scheme "://" host [ ":" port ]
//     scheme   letter, then letters, digits, "+", "-", "."; lower-cased
//     host     "*." suffix (a subdomain wildcard) | "[" IPv6 "]" |
//              dotted-decimal IPv4 | labels of letters, digits, "-", "_";
//              lower-cased; non-ASCII is CORS015 with the punycode form
//     port     decimal 0..65535 (leading zeros dropped, the scheme's
//              default port dropped) | "*" (any port, or none)
//
// After the authority there must be nothing: a path (a trailing slash
// included), a query or a fragment is CORS010, as is user info.
//
// Hosts that end in a number are IP addresses for browsers (the URL
// standard's "ends in a number" rule), so "https://a.123" can never be
// sent. Only the dotted-decimal form with four parts and no leading zeros
// is accepted: the URL standard reads "010" as octal 8 and "127.1" as
// 127.0.0.1, which is not what a reader of the policy would expect.
//
// Wildcards: "*" must be the whole leftmost label (CORS011), may not stand
// above an IP address (CORS010), nor directly above a public suffix
// (CORS012, libpsl and Debian's list; decision D4).
//
// The canonical result is verified with ParseCanonicalOrigin, the engine's
// own reader, so that the compiler never hands the engine a pattern that no
// request origin could equal.

#include "origin_pattern.h"

#include <idn2.h>
#include <libpsl.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>

#include "corsc/origin.h"
#include "text.h"

namespace corsc {
namespace {

using text::Quote;

OriginPatternError Fail(Code code, size_t offset, size_t length, std::string message) {
  return OriginPatternError{code, offset, length, std::move(message)};
}

bool IsSchemeChar(char c) {
  return text::IsAlpha(c) || text::IsDigit(c) || c == '+' || c == '-' || c == '.';
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || text::IsDigit(c) || c == '-' || c == '_';
}

// The URL standard's "ends in a number": the last label is all digits, or
// "0x" followed by hex digits.
bool EndsInNumber(std::string_view host) {
  std::string_view last = host.substr(host.rfind('.') + 1);
  if (last.empty()) return false;
  if (std::all_of(last.begin(), last.end(), text::IsDigit)) return true;
  if (last.size() >= 2 && last[0] == '0' && last[1] == 'x') {
    return std::all_of(last.begin() + 2, last.end(),
                       [](char c) { return text::IsDigit(c) || (c >= 'a' && c <= 'f'); });
  }
  return false;
}

// Four decimal numbers 0..255 without leading zeros, joined by dots.
bool IsDottedDecimalIpv4(std::string_view host) {
  int parts = 0;
  while (true) {
    size_t dot = host.find('.');
    std::string_view part = host.substr(0, dot);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0') ||
        !std::all_of(part.begin(), part.end(), text::IsDigit)) {
      return false;
    }
    if (std::stoi(std::string(part)) > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return parts == 4;
}

const psl_ctx_t* PublicSuffixList() {
  static const psl_ctx_t* const ctx = []() -> const psl_ctx_t* {
    if (psl_ctx_t* loaded = psl_load_file(CORSC_PSL_FILE)) return loaded;
    if (psl_ctx_t* latest = psl_latest(nullptr)) return latest;
    return psl_builtin();
  }();
  return ctx;
}

}  // namespace

bool IsPublicSuffix(std::string_view domain) {
  const psl_ctx_t* psl = PublicSuffixList();
  std::string d(domain);
  if (psl == nullptr) {
    // No list at all (a broken installation): be strict about top-level
    // domains, which are the common mistake, and keep D4's exceptions.
    static constexpr std::array<std::string_view, 6> kNotPublic = {
        "localhost", "test", "internal", "example", "invalid", "local"};
    return d.find('.') == std::string::npos &&
           std::find(kNotPublic.begin(), kNotPublic.end(), d) == kNotPublic.end();
  }
  return psl_is_public_suffix2(psl, d.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

std::optional<std::string> HostToAscii(std::string_view host) {
  std::string input(host);
  if (input.find('\0') != std::string::npos) return std::nullopt;
  char* output = nullptr;
  int rc = idn2_to_ascii_8z(input.c_str(), &output, IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK || output == nullptr) {
    if (output != nullptr) idn2_free(output);
    return std::nullopt;
  }
  std::string ascii(output);
  idn2_free(output);
  return ascii;
}

OriginPatternResult ParseOriginPattern(std::string_view text) {
  OriginPattern p;
  p.written = std::string(text);
  if (text == "*") {
    p.kind = OriginKind::kAny;
    p.canonical = "*";
    return p;
  }
  if (text::EqualsIgnoreCase(text, "null")) {
    p.kind = OriginKind::kExact;
    p.canonical = "null";
    return p;
  }
  if (text.empty()) return Fail(Code::kMalformedOrigin, 0, 0, "empty origin pattern");
  const std::string q = Quote(text);
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c <= 0x20 || c == 0x7F) {
      return Fail(Code::kMalformedOrigin, i, 1,
                  "origin " + q + " holds a space or a control character");
    }
  }

  // Scheme.
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    std::string message = "origin " + q + " has no scheme (\"://\" is missing)";
    if (text.find_first_of(":/") == std::string_view::npos) {
      message += ": write " + Quote("https://" + std::string(text));
    }
    return Fail(Code::kMalformedOrigin, 0, text.size(), std::move(message));
  }
  if (sep == 0) {
    return Fail(Code::kMalformedOrigin, 0, 3, "origin " + q + " has no scheme before \"://\"");
  }
  std::string_view scheme_text = text.substr(0, sep);
  for (size_t i = 0; i < scheme_text.size(); ++i) {
    if (!IsSchemeChar(scheme_text[i]) || (i == 0 && !text::IsAlpha(scheme_text[i]))) {
      return Fail(Code::kMalformedOrigin, i, 1,
                  "origin " + q + " has an invalid scheme " + Quote(scheme_text) +
                      " (a letter, then letters, digits, \"+\", \"-\" or \".\")");
    }
  }
  p.scheme = text::ToLowerAscii(scheme_text);

  // Authority, and nothing after it.
  const size_t base = sep + 3;
  std::string_view rest = text.substr(base);
  const size_t end = rest.find_first_of("/?#");
  if (end != std::string_view::npos) {
    const size_t at = base + end;
    const size_t len = text.size() - at;
    std::string_view origin_part = text.substr(0, at);
    switch (rest[end]) {
      case '/':
        if (end + 1 == rest.size()) {
          return Fail(Code::kMalformedOrigin, at, 1,
                      "origin " + q + " ends in a slash; an origin has no path: write " +
                          Quote(origin_part));
        }
        return Fail(Code::kMalformedOrigin, at, len,
                    "origin " + q + " has a path; an origin is scheme://host[:port]");
      case '?':
        return Fail(Code::kMalformedOrigin, at, len,
                    "origin " + q + " has a query; an origin is scheme://host[:port]");
      default:
        return Fail(Code::kMalformedOrigin, at, len,
                    "origin " + q + " has a fragment; an origin is scheme://host[:port]");
    }
  }
  std::string_view authority = rest;
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    return Fail(Code::kMalformedOrigin, base, at + 1,
                "origin " + q + " has user info; browsers never send it in an origin");
  }

  // Host and port.
  std::string_view host_text;
  size_t host_offset = base;
  std::string_view port_text;
  size_t port_offset = 0;
  bool has_port = false;
  bool ipv6 = false;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return Fail(Code::kMalformedOrigin, base, authority.size(),
                  "origin " + q + " has an IPv6 address without its closing \"]\"");
    }
    std::string_view inner = authority.substr(1, close - 1);
    std::optional<std::array<uint16_t, 8>> pieces = ParseIpv6(inner);
    if (!pieces) {
      return Fail(Code::kMalformedOrigin, base, close + 1,
                  "origin " + q + " has an invalid IPv6 address " + Quote(inner));
    }
    char buf[40];
    size_t n = SerializeIpv6(*pieces, buf);
    p.host = "[" + std::string(buf, n) + "]";
    ipv6 = true;
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') {
        return Fail(Code::kMalformedOrigin, base + close + 1, after.size(),
                    "origin " + q + " has " + Quote(after) + " after its IPv6 address");
      }
      has_port = true;
      port_text = after.substr(1);
      port_offset = base + close + 2;
    }
  } else if (authority.substr(0, 3) == "*.[") {
    return Fail(Code::kMalformedOrigin, base, authority.size(),
                "origin " + q + " has a wildcard above an IP address");
  } else {
    size_t colon = authority.find(':');
    host_text = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      if (authority.find(':', colon + 1) != std::string_view::npos) {
        return Fail(Code::kMalformedOrigin, base, authority.size(),
                    "origin " + q +
                        " has more than one \":\" (an IPv6 address needs "
                        "brackets, as in \"http://[::1]:8080\")");
      }
      has_port = true;
      port_text = authority.substr(colon + 1);
      port_offset = base + colon + 1;
    }
  }

  // Port.
  bool any_port = false;
  p.port = kNoPort;
  if (has_port) {
    if (port_text.empty()) {
      return Fail(Code::kMalformedOrigin, port_offset - 1, 1,
                  "origin " + q + " has an empty port after \":\"");
    }
    if (port_text == "*") {
      any_port = true;
      p.port = kAnyPort;
    } else {
      for (size_t i = 0; i < port_text.size(); ++i) {
        if (!text::IsDigit(port_text[i])) {
          return Fail(Code::kMalformedOrigin, port_offset, port_text.size(),
                      "origin " + q + " has port " + Quote(port_text) +
                          ", which is not a decimal number (or \"*\")");
        }
      }
      std::string_view digits = port_text;
      while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
      if (digits.size() > 5 || std::stol(std::string(digits)) > 65535) {
        return Fail(
            Code::kMalformedOrigin, port_offset, port_text.size(),
            "origin " + q + " has port " + std::string(port_text) + ", out of range (0 to 65535)");
      }
      uint32_t port = static_cast<uint32_t>(std::stol(std::string(digits)));
      p.port = port == DefaultPort(p.scheme) ? kNoPort : port;
    }
  }

  // Host name.
  bool wildcard = false;
  if (!ipv6) {
    if (host_text.empty()) {
      return Fail(Code::kMalformedOrigin, base, 0, "origin " + q + " has an empty host");
    }
    if (std::any_of(host_text.begin(), host_text.end(),
                    [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
      bool star = host_text.substr(0, 2) == "*.";
      std::optional<std::string> ascii = HostToAscii(host_text.substr(star ? 2 : 0));
      std::string message = "origin " + q + " has the non-ASCII host " + Quote(host_text);
      if (ascii) {
        std::string fixed = p.scheme + "://" + (star ? "*." : "") + *ascii +
                            std::string(authority.substr(host_text.size()));
        message += "; browsers send its punycode form: write " + Quote(fixed);
      } else {
        message += ", which has no punycode form";
      }
      return Fail(Code::kNonAsciiHost, host_offset, host_text.size(), std::move(message));
    }
    std::string host = text::ToLowerAscii(host_text);
    std::string_view name = host;
    size_t name_offset = host_offset;
    if (host.find('*') != std::string::npos) {
      const std::string example = "\"" + p.scheme + "://*.example.com\"";
      if (host == "*" || host == "*.") {
        return Fail(Code::kWildcardNotLeftmost, host_offset, host_text.size(),
                    "wildcard in " + q + " needs a domain below it, as in " + example);
      }
      size_t bad = host.substr(0, 2) == "*." ? host.find('*', 2) : host.find('*');
      if (bad != std::string::npos) {
        return Fail(Code::kWildcardNotLeftmost, host_offset + bad, 1,
                    "wildcard in " + q + " must be the whole leftmost label, as in " + example);
      }
      wildcard = true;
      name = std::string_view(host).substr(2);
      name_offset = host_offset + 2;
    }
    if (name.back() == '.') {
      return Fail(Code::kMalformedOrigin, name_offset + name.size() - 1, 1,
                  "origin " + q + " has a host ending in a dot");
    }
    if (wildcard && name[0] == '[') {
      return Fail(Code::kMalformedOrigin, host_offset, host_text.size(),
                  "origin " + q + " has a wildcard above an IP address");
    }
    for (size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      if (c == '.') {
        if (i == 0 || name[i - 1] == '.') {
          return Fail(Code::kMalformedOrigin, name_offset + i, 1,
                      "origin " + q + " has an empty label in its host");
        }
      } else if (!IsHostChar(c)) {
        return Fail(Code::kMalformedOrigin, name_offset + i, 1,
                    "origin " + q + " has " +
                        Quote(std::string(1, host_text[i + name_offset - host_offset])) +
                        " in its host (letters, digits, \"-\" and \"_\" between dots)");
      }
    }
    if (EndsInNumber(name)) {
      if (wildcard) {
        return Fail(Code::kMalformedOrigin, host_offset, host_text.size(),
                    "origin " + q + " has a wildcard above an IP address");
      }
      if (!IsDottedDecimalIpv4(name)) {
        return Fail(Code::kMalformedOrigin, host_offset, host_text.size(),
                    "origin " + q +
                        " has a host that ends in a number, so browsers read it "
                        "as an IPv4 address; write the address as four decimal numbers 0 to 255 "
                        "without leading zeros");
      }
    }
    if (wildcard && IsPublicSuffix(name)) {
      return Fail(Code::kWildcardAbovePublicSuffix, 0, text.size(),
                  "wildcard directly above the public suffix " + Quote(name) + " in " + q);
    }
    p.host = std::string(name);
  }

  // Canonical text and kind.
  std::string port_suffix;
  if (p.port == kAnyPort) {
    port_suffix = ":*";
  } else if (p.port != kNoPort) {
    port_suffix = ":" + std::to_string(p.port);
  }
  if (wildcard) {
    p.kind = OriginKind::kSubdomain;
    p.canonical = p.scheme + "://*." + p.host + port_suffix;
  } else {
    p.kind = any_port ? OriginKind::kHostAnyPort : OriginKind::kExact;
    p.canonical = p.scheme + "://" + p.host + port_suffix;
  }

  // Verify with the engine's reader: an origin this pattern matches.
  std::string probe = p.scheme + "://" + (wildcard ? "a." : "") + p.host;
  if (p.port != kNoPort && p.port != kAnyPort) probe += ":" + std::to_string(p.port);
  if (probe.size() > kMaxOriginLength) {
    return Fail(Code::kMalformedOrigin, 0, text.size(),
                "origin " + q + " is longer than " + std::to_string(kMaxOriginLength) + " bytes");
  }
  if (!ParseCanonicalOrigin(probe)) {
    return Fail(Code::kMalformedOrigin, 0, text.size(), "origin " + q + " is not valid");
  }
  return p;
}

OriginPatternResult ParseOriginRegex(std::string_view regex) {
  if (regex.size() > kMaxOriginRuleTextLength) {
    return Fail(Code::kRegexRejected, 0, 1,
                "regex of " + std::to_string(regex.size()) + " bytes; at most " +
                    std::to_string(kMaxOriginRuleTextLength) +
                    " are allowed (docs/decisions.md D31)");
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kRegexMaxMem);
  RE2 re(re2::StringPiece(regex.data(), regex.size()), options);
  if (!re.ok()) {
    size_t offset = 0, length = regex.size();
    const std::string& arg = re.error_arg();
    if (!arg.empty()) {
      if (size_t at = regex.find(arg); at != std::string_view::npos) {
        offset = at;
        length = arg.size();
      }
    }
    return Fail(Code::kRegexRejected, offset, length,
                "regex " + Quote(regex) + " is rejected by RE2: " + re.error());
  }
  OriginPattern p;
  p.kind = OriginKind::kRegex;
  p.canonical = std::string(regex);
  p.written = std::string(regex);
  return p;
}

}  // namespace corsc

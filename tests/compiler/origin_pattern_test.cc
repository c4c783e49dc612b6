// Copyright corsc developers.
//
// Origin patterns: canonical forms, kinds and parts of accepted patterns;
// code and offending bytes of refused ones.

#include "origin_pattern.h"

#include <gtest/gtest.h>

#include "corsc/origin.h"

namespace corsc {
namespace {

struct Accept {
  const char* written;
  OriginKind kind;
  const char* canonical;
  const char* scheme;
  const char* host;
  uint32_t port;
};

constexpr Accept kAccepted[] = {
    {"*", OriginKind::kAny, "*", "", "", kNoPort},
    {"null", OriginKind::kExact, "null", "", "", kNoPort},
    {"NULL", OriginKind::kExact, "null", "", "", kNoPort},
    {"https://app.example.com", OriginKind::kExact, "https://app.example.com", "https",
     "app.example.com", kNoPort},
    {"https://App.Example.com:443", OriginKind::kExact, "https://app.example.com", "https",
     "app.example.com", kNoPort},
    {"HTTPS://APP.EXAMPLE.COM", OriginKind::kExact, "https://app.example.com", "https",
     "app.example.com", kNoPort},
    {"http://app.example.com:80", OriginKind::kExact, "http://app.example.com", "http",
     "app.example.com", kNoPort},
    {"http://app.example.com:443", OriginKind::kExact, "http://app.example.com:443", "http",
     "app.example.com", 443},
    {"https://app.example.com:8443", OriginKind::kExact, "https://app.example.com:8443", "https",
     "app.example.com", 8443},
    {"https://app.example.com:008443", OriginKind::kExact, "https://app.example.com:8443", "https",
     "app.example.com", 8443},
    {"https://app.example.com:0", OriginKind::kExact, "https://app.example.com:0", "https",
     "app.example.com", 0},
    {"https://app.example.com:00", OriginKind::kExact, "https://app.example.com:0", "https",
     "app.example.com", 0},
    {"https://app.example.com:65535", OriginKind::kExact, "https://app.example.com:65535", "https",
     "app.example.com", 65535},
    {"wss://app.example.com:443", OriginKind::kExact, "wss://app.example.com", "wss",
     "app.example.com", kNoPort},
    {"chrome-extension://abcdefghijklmnop", OriginKind::kExact,
     "chrome-extension://abcdefghijklmnop", "chrome-extension", "abcdefghijklmnop", kNoPort},
    {"capacitor://localhost", OriginKind::kExact, "capacitor://localhost", "capacitor", "localhost",
     kNoPort},
    {"https://under_score.example.com", OriginKind::kExact, "https://under_score.example.com",
     "https", "under_score.example.com", kNoPort},
    {"https://xn--bcher-kva.example", OriginKind::kExact, "https://xn--bcher-kva.example", "https",
     "xn--bcher-kva.example", kNoPort},
    {"http://127.0.0.1:8080", OriginKind::kExact, "http://127.0.0.1:8080", "http", "127.0.0.1",
     8080},
    {"http://0.0.0.0", OriginKind::kExact, "http://0.0.0.0", "http", "0.0.0.0", kNoPort},
    // IPv6: compressed, lower case (RFC 5952 / URL standard).
    {"http://[::1]", OriginKind::kExact, "http://[::1]", "http", "[::1]", kNoPort},
    {"http://[0:0:0:0:0:0:0:1]:8080", OriginKind::kExact, "http://[::1]:8080", "http", "[::1]",
     8080},
    {"https://[2001:DB8:0:0:0:0:0:1]", OriginKind::kExact, "https://[2001:db8::1]", "https",
     "[2001:db8::1]", kNoPort},
    {"https://[2001:db8:0:0:1:0:0:1]", OriginKind::kExact, "https://[2001:db8::1:0:0:1]", "https",
     "[2001:db8::1:0:0:1]", kNoPort},
    {"https://[::ffff:192.168.0.1]:443", OriginKind::kExact, "https://[::ffff:c0a8:1]", "https",
     "[::ffff:c0a8:1]", kNoPort},
    {"http://[::1]:*", OriginKind::kHostAnyPort, "http://[::1]:*", "http", "[::1]", kAnyPort},
    // Port wildcards.
    {"http://localhost:*", OriginKind::kHostAnyPort, "http://localhost:*", "http", "localhost",
     kAnyPort},
    {"http://LocalHost:*", OriginKind::kHostAnyPort, "http://localhost:*", "http", "localhost",
     kAnyPort},
    // Subdomain wildcards: host is the suffix below "*.".
    {"https://*.example.com", OriginKind::kSubdomain, "https://*.example.com", "https",
     "example.com", kNoPort},
    {"https://*.Example.COM:443", OriginKind::kSubdomain, "https://*.example.com", "https",
     "example.com", kNoPort},
    {"https://*.example.com:*", OriginKind::kSubdomain, "https://*.example.com:*", "https",
     "example.com", kAnyPort},
    {"https://*.api.example.net:8443", OriginKind::kSubdomain, "https://*.api.example.net:8443",
     "https", "api.example.net", 8443},
    {"https://*.example.co.uk", OriginKind::kSubdomain, "https://*.example.co.uk", "https",
     "example.co.uk", kNoPort},
    {"https://*.user.github.io", OriginKind::kSubdomain, "https://*.user.github.io", "https",
     "user.github.io", kNoPort},
    // D4: single labels that are not in the list are not public suffixes.
    {"http://*.localhost:*", OriginKind::kSubdomain, "http://*.localhost:*", "http", "localhost",
     kAnyPort},
    {"https://*.test", OriginKind::kSubdomain, "https://*.test", "https", "test", kNoPort},
    {"https://*.internal", OriginKind::kSubdomain, "https://*.internal", "https", "internal",
     kNoPort},
};

TEST(OriginPatternTest, CanonicalFormsAndParts) {
  for (const Accept& a : kAccepted) {
    SCOPED_TRACE(a.written);
    OriginPatternResult r = ParseOriginPattern(a.written);
    ASSERT_TRUE(std::holds_alternative<OriginPattern>(r))
        << std::get<OriginPatternError>(r).message;
    const OriginPattern& p = std::get<OriginPattern>(r);
    EXPECT_EQ(p.kind, a.kind);
    EXPECT_EQ(p.canonical, a.canonical);
    EXPECT_EQ(p.scheme, a.scheme);
    EXPECT_EQ(p.host, a.host);
    EXPECT_EQ(p.port, a.port);
    EXPECT_EQ(p.written, a.written);
    if (a.kind == OriginKind::kExact && p.canonical != "null") {
      // The engine reads every exact canonical pattern back.
      std::optional<OriginParts> parts = ParseCanonicalOrigin(p.canonical);
      ASSERT_TRUE(parts.has_value());
      EXPECT_EQ(parts->scheme, a.scheme);
      EXPECT_EQ(parts->host, a.host);
      EXPECT_EQ(parts->port, a.port);
    }
  }
}

TEST(OriginPatternTest, CanonicalFormIsAFixedPoint) {
  for (const Accept& a : kAccepted) {
    SCOPED_TRACE(a.written);
    OriginPatternResult again = ParseOriginPattern(a.canonical);
    ASSERT_TRUE(std::holds_alternative<OriginPattern>(again));
    EXPECT_EQ(std::get<OriginPattern>(again).canonical, a.canonical);
  }
}

struct Reject {
  const char* written;
  Code code;
  size_t offset;  // of the fault in `written`
};

constexpr Reject kRejected[] = {
    {"", Code::kMalformedOrigin, 0},
    {"app.example.com", Code::kMalformedOrigin, 0},
    {"https:/app.example.com", Code::kMalformedOrigin, 0},
    {"://app.example.com", Code::kMalformedOrigin, 0},
    {"ht_tp://app.example.com", Code::kMalformedOrigin, 2},
    {"1http://app.example.com", Code::kMalformedOrigin, 0},
    {"https://app.example.com/", Code::kMalformedOrigin, 23},
    {"https://app.example.com/api", Code::kMalformedOrigin, 23},
    {"https://app.example.com?x", Code::kMalformedOrigin, 23},
    {"https://app.example.com#x", Code::kMalformedOrigin, 23},
    {"https://user@app.example.com", Code::kMalformedOrigin, 8},
    {"https://", Code::kMalformedOrigin, 8},
    {"https://:443", Code::kMalformedOrigin, 8},
    {"https://app.example.com.", Code::kMalformedOrigin, 23},
    {"https://app..example.com", Code::kMalformedOrigin, 12},
    {"https://.example.com", Code::kMalformedOrigin, 8},
    {"https://app.example.com:", Code::kMalformedOrigin, 23},
    {"https://app.example.com:65536", Code::kMalformedOrigin, 24},
    {"https://app.example.com:123456", Code::kMalformedOrigin, 24},
    {"https://app.example.com:8a", Code::kMalformedOrigin, 24},
    {"https://app.example.com:+80", Code::kMalformedOrigin, 24},
    {"https://app.example.com:80:80", Code::kMalformedOrigin, 8},
    {"https://app example.com", Code::kMalformedOrigin, 11},
    {"https://app\t.example.com", Code::kMalformedOrigin, 11},
    {"https://app%2e.example.com", Code::kMalformedOrigin, 11},
    {"http://[::g]", Code::kMalformedOrigin, 7},
    {"http://[::1", Code::kMalformedOrigin, 7},
    {"http://[::1]x", Code::kMalformedOrigin, 12},
    {"http://[fe80::1%25eth0]", Code::kMalformedOrigin, 7},
    {"http://::1", Code::kMalformedOrigin, 7},
    {"http://127.1", Code::kMalformedOrigin, 7},
    {"http://127.0.0.01", Code::kMalformedOrigin, 7},
    {"http://0x7f.0.0.1", Code::kMalformedOrigin, 7},
    {"http://1.2.3.4.5", Code::kMalformedOrigin, 7},
    {"http://256.0.0.1", Code::kMalformedOrigin, 7},
    {"https://app.0x1f", Code::kMalformedOrigin, 8},
    {"https://*.1.2.3", Code::kMalformedOrigin, 8},
    {"https://*.[::1]", Code::kMalformedOrigin, 8},
    {"https://*.", Code::kWildcardNotLeftmost, 8},
    {"https://*", Code::kWildcardNotLeftmost, 8},
    {"https://*:443", Code::kWildcardNotLeftmost, 8},
    {"https://api.*.example.com", Code::kWildcardNotLeftmost, 12},
    {"https://a*.example.com", Code::kWildcardNotLeftmost, 9},
    {"https://*a.example.com", Code::kWildcardNotLeftmost, 8},
    {"https://*.*.example.com", Code::kWildcardNotLeftmost, 10},
    {"https://**.example.com", Code::kWildcardNotLeftmost, 8},
    {"https://example.*", Code::kWildcardNotLeftmost, 16},
    {"https://*.com", Code::kWildcardAbovePublicSuffix, 0},
    {"https://*.co.uk", Code::kWildcardAbovePublicSuffix, 0},
    {"https://*.github.io", Code::kWildcardAbovePublicSuffix, 0},
    {"https://*.com:*", Code::kWildcardAbovePublicSuffix, 0},
    {"https://*.COM", Code::kWildcardAbovePublicSuffix, 0},
    {"https://bücher.example", Code::kNonAsciiHost, 8},
    {"https://*.bücher.example", Code::kNonAsciiHost, 8},
};

TEST(OriginPatternTest, RefusedWithCodeAndOffset) {
  for (const Reject& r : kRejected) {
    SCOPED_TRACE(r.written);
    OriginPatternResult result = ParseOriginPattern(r.written);
    ASSERT_TRUE(std::holds_alternative<OriginPatternError>(result))
        << "accepted as " << std::get<OriginPattern>(result).canonical;
    const OriginPatternError& e = std::get<OriginPatternError>(result);
    EXPECT_EQ(e.code, r.code) << e.message;
    EXPECT_EQ(e.offset, r.offset) << e.message;
    EXPECT_FALSE(e.message.empty());
    EXPECT_NE(e.message.back(), '.');
  }
}

TEST(OriginPatternTest, MessagesQuoteTheOriginAndSuggestFixes) {
  auto message = [](const char* written) {
    return std::get<OriginPatternError>(ParseOriginPattern(written)).message;
  };
  EXPECT_EQ(message("https://app.example.com/"),
            "origin \"https://app.example.com/\" ends in a slash; an origin has no path: "
            "write \"https://app.example.com\"");
  EXPECT_EQ(message("app.example.com"),
            "origin \"app.example.com\" has no scheme (\"://\" is missing): write "
            "\"https://app.example.com\"");
  EXPECT_EQ(message("https://*.com"),
            "wildcard directly above the public suffix \"com\" in \"https://*.com\"");
  EXPECT_EQ(message("https://bücher.example:8443"),
            "origin \"https://bücher.example:8443\" has the non-ASCII host \"bücher.example\"; "
            "browsers send its punycode form: write \"https://xn--bcher-kva.example:8443\"");
  EXPECT_EQ(message("https://*.bücher.example"),
            "origin \"https://*.bücher.example\" has the non-ASCII host \"*.bücher.example\"; "
            "browsers send its punycode form: write \"https://*.xn--bcher-kva.example\"");
}

TEST(OriginPatternTest, NonTransitionalPunycode) {
  // UTS 46 non-transitional: "ß" stays (IDNA 2003 would map it to "ss").
  EXPECT_EQ(HostToAscii("faß.de"), "xn--fa-hia.de");
  EXPECT_EQ(HostToAscii("Bücher.example"), "xn--bcher-kva.example");
}

TEST(OriginPatternTest, PublicSuffixes) {
  EXPECT_TRUE(IsPublicSuffix("com"));
  EXPECT_TRUE(IsPublicSuffix("co.uk"));
  EXPECT_TRUE(IsPublicSuffix("github.io"));  // private section
  EXPECT_FALSE(IsPublicSuffix("example.com"));
  EXPECT_FALSE(IsPublicSuffix("user.github.io"));
  EXPECT_FALSE(IsPublicSuffix("localhost"));  // no implicit "*" rule (D4)
  EXPECT_FALSE(IsPublicSuffix("test"));
}

TEST(OriginPatternTest, Regexes) {
  OriginPatternResult ok = ParseOriginRegex(R"(^https://pr-[0-9]+\.preview\.example\.net$)");
  ASSERT_TRUE(std::holds_alternative<OriginPattern>(ok));
  EXPECT_EQ(std::get<OriginPattern>(ok).kind, OriginKind::kRegex);
  EXPECT_EQ(std::get<OriginPattern>(ok).canonical, R"(^https://pr-[0-9]+\.preview\.example\.net$)");

  OriginPatternResult bad = ParseOriginRegex("^https://(a|b$");
  ASSERT_TRUE(std::holds_alternative<OriginPatternError>(bad));
  EXPECT_EQ(std::get<OriginPatternError>(bad).code, Code::kRegexRejected);
  EXPECT_NE(std::get<OriginPatternError>(bad).message.find("missing )"), std::string::npos);

  // RE2 names the offending fragment: the offset points at it.
  OriginPatternResult rep = ParseOriginRegex("^https://a{2,1}$");
  ASSERT_TRUE(std::holds_alternative<OriginPatternError>(rep));
  EXPECT_EQ(std::get<OriginPatternError>(rep).offset, 10u);
  EXPECT_EQ(std::get<OriginPatternError>(rep).length, 5u);
}

TEST(OriginPatternTest, LongestHostIsBounded) {
  // A host that makes the origin longer than kMaxOriginLength can never
  // be sent; it is refused rather than compiled into a dead rule.
  std::string host;
  for (int i = 0; i < 9; ++i) host += std::string(60, 'a') + ".";
  host += "com";
  OriginPatternResult r = ParseOriginPattern("https://" + host);
  ASSERT_TRUE(std::holds_alternative<OriginPatternError>(r));
  EXPECT_EQ(std::get<OriginPatternError>(r).code, Code::kMalformedOrigin);
}

}  // namespace
}  // namespace corsc

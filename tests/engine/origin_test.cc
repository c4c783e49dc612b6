// Copyright corsc developers.
//
// Canonical origins (docs/decisions.md D2) and IPv6 text, table-driven.

#include "corsc/origin.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace corsc {
namespace {

struct AcceptCase {
  const char* origin;
  const char* scheme;
  const char* host;
  uint32_t port;
};

TEST(ParseCanonicalOrigin, Accepts) {
  const AcceptCase kCases[] = {
      {"https://app.example.com", "https", "app.example.com", kNoPort},
      {"http://localhost", "http", "localhost", kNoPort},
      {"http://localhost:3000", "http", "localhost", 3000},
      {"http://localhost:0", "http", "localhost", 0},
      {"http://localhost:65535", "http", "localhost", 65535},
      {"https://example.com:80", "https", "example.com", 80},  // not https's default
      {"http://example.com:443", "http", "example.com", 443},
      {"https://a.b.c.d.e", "https", "a.b.c.d.e", kNoPort},
      {"https://a_b-c.example", "https", "a_b-c.example", kNoPort},
      {"https://xn--bcher-kva.example.com", "https", "xn--bcher-kva.example.com", kNoPort},
      {"https://1password.com", "https", "1password.com", kNoPort},
      {"https://a.1x", "https", "a.1x", kNoPort},
      {"http://127.0.0.1", "http", "127.0.0.1", kNoPort},
      {"http://10.0.0.1:8080", "http", "10.0.0.1", 8080},
      {"http://0.0.0.0", "http", "0.0.0.0", kNoPort},
      {"http://[::1]", "http", "[::1]", kNoPort},
      {"http://[::1]:8080", "http", "[::1]", 8080},
      {"https://[2001:db8::1]", "https", "[2001:db8::1]", kNoPort},
      {"http://[::ffff:c000:280]", "http", "[::ffff:c000:280]", kNoPort},
      {"chrome-extension://abcdefghijklmnop", "chrome-extension", "abcdefghijklmnop", kNoPort},
      {"capacitor://localhost", "capacitor", "localhost", kNoPort},
      {"web+app.v2://x", "web+app.v2", "x", kNoPort},
      {"ws://a.example:8080", "ws", "a.example", 8080},
      {"ftp://files.example:2121", "ftp", "files.example", 2121},
  };
  for (const AcceptCase& c : kCases) {
    std::optional<OriginParts> p = ParseCanonicalOrigin(c.origin);
    ASSERT_TRUE(p.has_value()) << c.origin;
    EXPECT_EQ(p->scheme, c.scheme) << c.origin;
    EXPECT_EQ(p->host, c.host) << c.origin;
    EXPECT_EQ(p->port, c.port) << c.origin;
  }
}

TEST(ParseCanonicalOrigin, Rejects) {
  const char* kCases[] = {
      "",
      "null",
      "*",
      "app.example.com",
      "://app.example.com",
      "https//app.example.com",
      "https:/app.example.com",
      "https://",
      "HTTPS://app.example.com",  // upper-case scheme
      "https://App.example.com",  // upper-case host
      "https://app.EXAMPLE.com",
      "1http://app.example.com",  // scheme must start with a letter
      "ht_tp://app.example.com",
      "https://app.example.com:443",  // default ports
      "http://app.example.com:80",
      "ws://app.example.com:80",
      "wss://app.example.com:443",
      "ftp://app.example.com:21",
      "https://app.example.com/",  // path, query, fragment, user info
      "https://app.example.com/x",
      "https://app.example.com?x=1",
      "https://app.example.com#f",
      "https://user@app.example.com",
      "https://user:pw@app.example.com",
      "https://app.example.com.",  // trailing dot
      "https://.example.com",      // empty labels
      "https://a..example.com",
      "https://*.example.com",
      "https://exa mple.com",
      "https://exa%41mple.com",
      "https://b\xc3\xbc"
      "cher.example",              // not punycode
      "https://app.example.com:",  // bad ports
      "https://app.example.com:08443",
      "https://app.example.com:65536",
      "https://app.example.com:123456",
      "https://app.example.com:-1",
      "https://app.example.com:+1",
      "https://app.example.com:8443:1",
      "https://app.example.com:*",
      "http://127.0.0.01",  // IPv4 must be canonical
      "http://127.0.0",
      "http://1.2.3.4.5",
      "http://256.0.0.1",
      "http://0x7f.0.0.1",
      "http://example.0x1",
      "http://a.123",
      "http://[::1",  // IPv6 must be canonical and bracketed
      "http://::1",
      "http://[::1]x",
      "http://[::1]:",
      "http://[0:0:0:0:0:0:0:1]",
      "http://[::01]",
      "http://[::A]",
      "http://[::ffff:192.0.2.128]",
      "http://[1::2::3]",
      "http://[]",
  };
  for (const char* c : kCases) {
    EXPECT_FALSE(ParseCanonicalOrigin(c).has_value()) << c;
  }
}

TEST(ParseCanonicalOrigin, LengthLimit) {
  // 512 bytes is accepted, 513 is not, whatever the content.
  std::string origin = "https://";
  while (origin.size() < kMaxOriginLength - 4) origin += "a.";
  origin.resize(kMaxOriginLength - 4);
  if (origin.back() == '.') origin.back() = 'b';
  origin += ".com";
  ASSERT_EQ(origin.size(), kMaxOriginLength);
  EXPECT_TRUE(ParseCanonicalOrigin(origin).has_value());
  EXPECT_FALSE(ParseCanonicalOrigin("x" + origin).has_value());
}

TEST(IsCanonicalHost, TheHostPartOfTheGrammar) {
  for (const char* host : {"a", "app.example.com", "x_y-z.a1", "127.0.0.1", "255.255.255.255",
                           "[::1]", "[2001:db8::1]", "a.b.c.d.e", "1a.example"}) {
    EXPECT_TRUE(IsCanonicalHost(host)) << host;
  }
  for (const char* host :
       {"", ".", "a.", ".a", "a..b", "A.com", "a b", "a:80", "a/b", "1.2.3", "1.2.3.04",
        "256.0.0.1", "0x7f.0.0.1", "a.1", "[::1", "[::1]:80", "[0:0::1]", "[::1]x", "\xc3\xa9.com",
        "a%2e.com", "[]"}) {
    EXPECT_FALSE(IsCanonicalHost(host)) << host;
  }
}

TEST(IsCanonicalHost, AgreesWithParseCanonicalOrigin) {
  // The host of every canonical origin is canonical, and a bad host makes
  // any origin around it non-canonical.
  for (const char* host : {"example.com", "10.0.0.1", "[::1]", "a..b", "1.2.3", "A.b", "[::0:1]"}) {
    for (const char* frame : {"https://%s", "http://%s:8080", "ws://%s:1"}) {
      char origin[128];
      std::snprintf(origin, sizeof origin, frame, host);
      EXPECT_EQ(ParseCanonicalOrigin(origin).has_value(), IsCanonicalHost(host)) << origin;
    }
  }
}

TEST(DefaultPort, KnownSchemes) {
  EXPECT_EQ(DefaultPort("http"), 80u);
  EXPECT_EQ(DefaultPort("ws"), 80u);
  EXPECT_EQ(DefaultPort("https"), 443u);
  EXPECT_EQ(DefaultPort("wss"), 443u);
  EXPECT_EQ(DefaultPort("ftp"), 21u);
  EXPECT_EQ(DefaultPort("chrome-extension"), kNoPort);
  EXPECT_EQ(DefaultPort("HTTP"), kNoPort);
}

struct Ipv6Case {
  const char* text;
  const char* canonical;
};

TEST(Ipv6, ParsesAndSerializes) {
  const Ipv6Case kCases[] = {
      {"::1", "::1"},
      {"::", "::"},
      {"1::", "1::"},
      {"0:0:0:0:0:0:0:1", "::1"},
      {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
      {"2001:db8::ff00:42:8329", "2001:db8::ff00:42:8329"},
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},  // the first longest run
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},        // the longest run
      {"1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"},         // runs of one stay
      {"ABCD:EF01::", "abcd:ef01::"},
      {"::ffff:192.0.2.128", "::ffff:c000:280"},
      {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
      {"fe80::1", "fe80::1"},
  };
  for (const Ipv6Case& c : kCases) {
    std::optional<std::array<uint16_t, 8>> pieces = ParseIpv6(c.text);
    ASSERT_TRUE(pieces.has_value()) << c.text;
    char buf[40];
    const size_t n = SerializeIpv6(*pieces, buf);
    EXPECT_EQ(std::string(buf, n), c.canonical) << c.text;
  }
  std::optional<std::array<uint16_t, 8>> p = ParseIpv6("2001:db8::1");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ((*p)[0], 0x2001);
  EXPECT_EQ((*p)[1], 0x0db8);
  EXPECT_EQ((*p)[7], 1);
}

TEST(Ipv6, Rejects) {
  const char* kCases[] = {
      "",
      ":",
      ":::",
      "1:",
      ":1",
      "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      "12345::",
      "g::",
      "::1.2.3",
      "::1.2.3.04",
      "::1.2.3.256",
      "::1.2.3.4.5",
      "1:2:3:4:5:6:7:1.2.3.4",
      "::1 ",
      "[::1]",
  };
  for (const char* c : kCases) EXPECT_FALSE(ParseIpv6(c).has_value()) << c;
}

}  // namespace
}  // namespace corsc

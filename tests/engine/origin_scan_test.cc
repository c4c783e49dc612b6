// Copyright corsc developers.
//
// The origin pass of the `table` strategy (engine/src/origin_scan.h): its
// keys must be the builder's for every canonical origin, wherever the
// host's bytes fall against the 8- and 16-byte words it reads; it must
// refuse what D2 refuses by scheme, length and port; and the matcher built
// on it must never let a non-canonical value match a wildcard or a regex.
// Decisions are compared with the `linear` strategy, which parses every
// value in full.

#include "origin_scan.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "corsc/origin.h"
#include "corsc/table.h"
#include "hash_index.h"
#include "test_util.h"

namespace corsc::testing {
namespace {

using origin_scan::OriginScan;
using origin_scan::ScanResult;

// A host name of `size` bytes, labels of varying lengths: "abc.d.efgh...".
std::string HostOfSize(size_t size, size_t seed) {
  std::string host;
  size_t label = 1 + seed % 9;
  while (host.size() < size) {
    if (!host.empty() && host.size() + 1 < size && host.back() != '.' && label == 0) {
      host += '.';
      label = 1 + (host.size() * 7 + seed) % 11;
      continue;
    }
    host += static_cast<char>('a' + (host.size() * 5 + seed) % 26);
    if (label > 0) --label;
  }
  if (host.back() == '.') host.back() = 'z';
  return host;
}

std::vector<std::string> CanonicalOrigins() {
  std::vector<std::string> out;
  const std::vector<std::string> schemes = {
      "https", "http", "ws", "wss", "ftp", "chrome-extension", "a+b.c-d", "x"};
  const std::vector<std::string> ports = {"", ":0", ":1", ":8080", ":65535"};
  for (size_t size = 1; size <= 90; ++size) {
    for (size_t seed = 0; seed < 3; ++seed) {
      const std::string host = HostOfSize(size, seed + size);
      for (const std::string& scheme : schemes) {
        out.push_back(scheme + "://" + host + ports[(size + seed) % ports.size()]);
      }
    }
  }
  for (const char* host : {"1.2.3.4", "127.0.0.1", "255.255.255.255", "[::1]", "[2001:db8::1]",
                           "[::ffff:102:304]", "a-b_c.d", "0a.b", "localhost", "a", "x.1a"}) {
    for (const std::string& scheme : schemes) {
      for (const std::string& port : ports) out.push_back(scheme + "://" + host + port);
    }
  }
  return out;
}

TEST(OriginScan, KeysAgreeWithTheBuilderForEveryCanonicalShape) {
  size_t checked = 0;
  for (const std::string& origin : CanonicalOrigins()) {
    const auto parts = ParseCanonicalOrigin(origin);
    ASSERT_TRUE(parts.has_value()) << origin;
    OriginScan o;
    ASSERT_EQ(origin_scan::Prepare(origin, &o), ScanResult::kReady) << origin;
    EXPECT_EQ(o.port, parts->port) << origin;
    EXPECT_EQ(std::string_view(origin).substr(0, o.host_begin - 3), parts->scheme) << origin;
    EXPECT_EQ(std::string_view(origin).substr(o.host_begin, o.host_end - o.host_begin), parts->host)
        << origin;
    EXPECT_EQ(o.exact_key, origin_scan::ExactKey(parts->scheme, parts->host, parts->port))
        << origin;
    // Every suffix that starts after a dot, and the whole host.
    const std::string_view host = parts->host;
    for (size_t b = 0; b < host.size(); ++b) {
      if (b != 0 && host[b - 1] != '.') continue;
      for (uint32_t set : {0u, 7u}) {
        ASSERT_EQ(origin_scan::WildKeyAt(o, o.host_begin + b, origin_scan::WildSeed(set)),
                  origin_scan::WildKey(set, parts->scheme, host.substr(b)))
            << origin << " suffix " << host.substr(b);
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 5000u);
}

TEST(OriginScan, RefusesByLengthSchemeAndPort) {
  const std::vector<std::string> refused = {
      "",
      "https://",
      "http://",
      "https://:8080",
      "HTTPS://a.example.com",
      "Https://a.example.com",
      "1http://a.example.com",
      "ht tp://a.example.com",
      "http:/a.example.com",
      "http:a.example.com",
      "://a.example.com",
      "https://a.example.com:443",
      "http://a.example.com:80",
      "ws://a.example.com:80",
      "wss://a.example.com:443",
      "ftp://a.example.com:21",
      "https://a.example.com:0443",
      "https://a.example.com:00",
      "https://a.example.com:65536",
      "https://a.example.com:99999",
      "https://a.example.com:123456",
      "http://a:80",
      "nul",
      "null ",
      "NULL",
      "https://" + std::string(505, 'a'),
      "x",
  };
  for (const std::string& origin : refused) {
    OriginScan o;
    EXPECT_EQ(origin_scan::Prepare(origin, &o), ScanResult::kNotCanonical) << origin;
    EXPECT_FALSE(ParseCanonicalOrigin(origin).has_value()) << origin;
  }
  OriginScan o;
  EXPECT_EQ(origin_scan::Prepare("null", &o), ScanResult::kNull);
  // The longest value the pass reads.
  const std::string longest = "https://" + std::string(504, 'a');
  ASSERT_EQ(longest.size(), kMaxOriginLength);
  EXPECT_EQ(origin_scan::Prepare(longest, &o), ScanResult::kReady);
  EXPECT_EQ(origin_scan::Prepare(longest + "a", &o), ScanResult::kNotCanonical);
}

TEST(OriginScan, LabelsLeftOfASuffix) {
  struct Case {
    std::string labels;
    bool canonical;
  };
  const std::vector<Case> cases = {
      {"a", true},
      {"a.b", true},
      {"a-b_c.0", true},
      {"abcdefghijklmnopq", true},
      {"a.b.c.d.e.f.g.h.i", true},
      {".a", false},
      {"a.", false},
      {"a..b", false},
      {".", false},
      {"A", false},
      {"a/b", false},
      {"a:b", false},
      {"a b", false},
      {"a%2e", false},
      {"\x80", false},
      {"a\xff"
       "b",
       false},
      {std::string("a\0b", 3), false},
      {"[::1]", false},
  };
  for (const Case& c : cases) {
    const std::string s = "https://" + c.labels + ".example.com";
    EXPECT_EQ(origin_scan::AreCanonicalLabels(s.data(), 8, 8 + c.labels.size()), c.canonical)
        << c.labels;
  }
}

// DotMask must see exactly the dots of the 8 bytes from any position of a
// prepared value: at its start, in the middle, up to its very end (where
// the word is taken from the end and shifted), in a value shorter than 16
// bytes (read from the pass's padded copy), with bytes that differ from a
// dot by one bit or by one ('/', '-') right after a dot, where the "has a
// zero byte" shortcut would report a false one.
TEST(OriginScan, DotMaskFindsExactlyTheDots) {
  const std::string alphabet = std::string("az09-_./:%@~A") + '\0' + '\x80' + '\xae' + '\xff';
  std::mt19937 rng(7);
  for (size_t size = 1; size <= 40; ++size) {
    for (int round = 0; round < 60; ++round) {
      std::string value(size, 'a');
      for (char& c : value) c = rng() % 3 == 0 ? '.' : alphabet[rng() % alphabet.size()];
      OriginScan o{};
      const char* s = value.data();
      if (size < 16) {  // the pass's padded copy
        std::memset(o.pad, 0, sizeof(o.pad));
        std::memcpy(o.pad + 16, value.data(), size);
        s = o.pad + 16;
      }
      for (size_t p = 0; p < size; ++p) {
        uint64_t want = 0;
        for (size_t i = 0; i < 8 && p + i < size; ++i) {
          if (s[p + i] == '.') want |= uint64_t{0x80} << (8 * i);
        }
        ASSERT_EQ(origin_scan::DotMask(s, p, size), want) << '"' << value << "\" at " << p;
      }
    }
  }
}

TEST(KeyEquals, EveryLengthAndPosition) {
  for (size_t n = 0; n <= 80; ++n) {
    std::string a(n, 'x');
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + i % 26);
    std::string b = a;
    EXPECT_TRUE(hash_index::KeyEquals(a, b)) << n;
    for (size_t i = 0; i < n; ++i) {
      b[i] ^= 0x20;
      EXPECT_FALSE(hash_index::KeyEquals(a, b)) << n << " at " << i;
      b[i] ^= 0x20;
    }
    EXPECT_FALSE(hash_index::KeyEquals(a, a + "x")) << n;
  }
}

// ------------------------------------------------- the matcher on the pass

const std::vector<std::string> kPatterns = {
    "https://app.example.com",
    "null",
    "https://*.example.com",
    "https://*.a.example.com:8443",
    "https://*.b.example.com:*",
    "http://localhost:*",
    "http://127.0.0.1:*",
    "http://[::1]:*",
    "wss://*.sock.example.net",
    "x://*.y",
    "regex:^https://pr-[0-9]+\\.preview\\.example\\.org$",
    "regex:^https://[a-z.]+\\.dots\\.example\\.org$",
    "regex:^http://[0-9.]+:9$",
};

std::shared_ptr<const CompiledTable> TableWith(Strategy strategy,
                                               const std::vector<std::string>& patterns) {
  SpecBuilder b;
  b.CatchAll(b.Set(patterns)).methods = {"GET"};
  b.spec().strategy = strategy;
  return b.Table();
}

RuleId Matched(const CompiledTable& table, const std::string& origin) {
  TestRequest r("GET", "/");
  r.H("Origin", origin);
  return table.Evaluate(r.request()).origin_rule;
}

TEST(OriginTier, NonCanonicalValuesMatchNoWildcardOrRegex) {
  const auto table = TableWith(Strategy::kTable, kPatterns);
  const auto linear = TableWith(Strategy::kLinear, kPatterns);
  ASSERT_NE(table, nullptr);
  ASSERT_NE(linear, nullptr);
  // Each would match a wildcard or a regex if it were read loosely.
  const std::vector<std::string> refused = {
      "https://A.example.com",
      "https://a..example.com",
      "https://.example.com",
      "https://a.example.com.",
      "https://a.example.com:443",
      "https://a.example.com:0443",
      "https://a/b.example.com",
      "https://a:b.example.com",
      "https://a b.example.com",
      "https://a%2e.example.com",
      "https://a\x80.example.com",
      "https://[::1].example.com",
      "https://1.2.3.4.example.com:8443x",
      "https://q.a.example.com:08443",
      "https://q.b.example.com:",
      "https://q.b.example.com:65536",
      "HTTPS://q.example.com",
      "http://localhost:080",
      "http://localhost.:1",
      "http://127.0.0.01:1",
      "http://127.0.0.1.:1",
      "http://[::0001]:1",
      "http://[0:0:0:0:0:0:0:1]:1",
      "http://[::1]:80",
      "https://pr-1.preview.example.org:443",
      "https://a..dots.example.org",
      "https://.dots.example.org",
      "http://1.2.3:9",
      "http://1.2.3.04:9",
      "https://a.0x1",
      "x://a.Y",
      "https://app.example.com:443",
      "https://App.example.com",
  };
  for (const std::string& origin : refused) {
    EXPECT_EQ(Matched(*table, origin), kNoRule) << origin;
    EXPECT_EQ(Matched(*linear, origin), kNoRule) << origin;
  }
  const std::vector<std::string> allowed = {
      "https://app.example.com",
      "null",
      "https://q.example.com",
      "https://a_b-c.example.com",
      "https://q.a.example.com:8443",
      "https://q.a.example.com",
      "https://q.b.example.com:1",
      "https://q.b.example.com",
      "http://localhost:3000",
      "http://localhost:0",
      "http://127.0.0.1:65535",
      "http://[::1]:1",
      "wss://a.sock.example.net",
      "x://a.y",
      "https://pr-1.preview.example.org",
      "https://a.b.dots.example.org",
      "http://1.2.3.4:9",
  };
  for (const std::string& origin : allowed) {
    const RuleId got = Matched(*table, origin);
    EXPECT_NE(got, kNoRule) << origin;
    EXPECT_EQ(got, Matched(*linear, origin)) << origin;
  }
}

TEST(OriginTier, HostsOfEveryLengthAgreeWithLinear) {
  const std::vector<std::string> patterns = {
      "https://*.example.com",
      "https://*.a.example.com",
      "http://*.x.io:*",
      "https://*." + HostOfSize(40, 3),
      "http://" + HostOfSize(30, 1) + ":*",
      "x://*.y",
  };
  const auto table = TableWith(Strategy::kTable, patterns);
  const auto linear = TableWith(Strategy::kLinear, patterns);
  ASSERT_NE(table, nullptr);
  ASSERT_NE(linear, nullptr);
  std::mt19937_64 rng(static_cast<uint64_t>(GTEST_FLAG_GET(random_seed)) * 31 + 5);
  size_t matched = 0;
  for (size_t size = 1; size <= 120; ++size) {
    for (const std::string& suffix :
         std::vector<std::string>{".example.com", ".a.example.com", ".x.io:7", ".x.io",
                                  "." + HostOfSize(40, 3), "", ":7", ".y"}) {
      const std::string left = HostOfSize(size, static_cast<size_t>(rng() % 100));
      for (const char* scheme : {"https", "http", "x"}) {
        const std::string origin = std::string(scheme) + "://" + left + suffix;
        const RuleId want = Matched(*linear, origin);
        ASSERT_EQ(Matched(*table, origin), want) << origin;
        matched += want != kNoRule;
      }
    }
  }
  EXPECT_GT(matched, 300u);
}

// Keys of 63 labels and more share the last bit of the label masks.
TEST(OriginTier, SuffixesOfManyLabels) {
  std::string suffix = "z";
  for (int i = 0; i < 69; ++i) suffix = "a." + suffix;  // 70 labels
  std::string shorter = "z";
  for (int i = 0; i < 62; ++i) shorter = "b." + shorter;  // 63 labels
  const std::vector<std::string> patterns = {"https://*." + suffix, "https://*." + shorter,
                                             "http://" + suffix + ":*"};
  const auto table = TableWith(Strategy::kTable, patterns);
  const auto linear = TableWith(Strategy::kLinear, patterns);
  ASSERT_NE(table, nullptr);
  ASSERT_NE(linear, nullptr);
  for (const std::string& origin : std::vector<std::string>{
           "https://x." + suffix, "https://x.y." + suffix, "https://x." + shorter,
           "https://" + suffix, "http://" + suffix + ":1", "https://x.a" + suffix}) {
    const RuleId want = Matched(*linear, origin);
    EXPECT_EQ(Matched(*table, origin), want) << origin;
  }
  EXPECT_NE(Matched(*table, "https://x." + suffix), kNoRule);
  EXPECT_NE(Matched(*table, "https://x." + shorter), kNoRule);
  EXPECT_NE(Matched(*table, "http://" + suffix + ":1"), kNoRule);
}

}  // namespace
}  // namespace corsc::testing

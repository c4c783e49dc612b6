// Copyright corsc developers.
//
// The `table` strategy's origin matching reads origins with word-at-a-time
// tricks (engine/src/origin_scan.h: the scheme by one 8-byte compare, a
// port from the right, the host hashed in 16-byte chunks from its end,
// suffixes probed by length where a dot precedes them, and only the labels
// left of a matched suffix checked) and skips work its tables prove
// useless. This test holds it to the `linear` strategy, whose matcher
// parses every origin in full and tries the rules one by one, on origins
// built to land on every boundary those tricks have: labels of 1 to 20
// bytes (on both sides of 8 and 16), hosts shorter than a word, ports of
// every shape, IP literals, and random byte changes, insertions and
// deletions of real patterns. Both must name the same rule for every
// origin. (origin_scan_test.cc tests the pass itself.)

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "corsc/table.h"
#include "test_util.h"

namespace corsc::testing {
namespace {

const std::vector<std::string> kPatterns = {
    "https://app.example.com",
    "https://tenant-1234.example-corp.com",
    "http://localhost:3000",
    "null",
    "https://*.example.com",
    "https://*.a.example.com",
    "https://*.abcdefghijklmnop.example.com:8443",
    "https://*.customer-17.example-saas.net",
    "https://*.eu.customer-17.example-saas.net:*",
    "https://*.x.io",
    "wss://*.abcdefgh.io",
    "http://*.localhost:*",
    "http://localhost:*",
    "http://127.0.0.1:*",
    "http://[::1]:*",
    "https://dev-1.internal:*",
    "chrome-extension://*.abcdefghijklmnopq",
    "regex:^https://pr-[0-9]+\\.preview\\.example-corp\\.com$",
    "regex:^https://[a-z0-9-]+\\.staging\\.example-corp\\.com$",
    "regex:^https://[a-z.]+\\.dots\\.test$",
    "regex:^http://[0-9]+$",
    "regex:^https://x[0-9]*\\.y\\.test$",
    "regex:^https://k\\.[a-z]*\\.z\\.test$",
    "regex:(?i)^https://static\\.example\\.com$",
};

// Origins near the patterns: the bases every mutation starts from.
std::vector<std::string> Bases() {
  std::vector<std::string> out = {
      "https://app.example.com",
      "https://tenant-1234.example-corp.com",
      "http://localhost:3000",
      "null",
      "https://a.example.com",
      "https://a.b.c.example.com",
      "https://q.a.example.com",
      "https://q.abcdefghijklmnop.example.com:8443",
      "https://app5.customer-17.example-saas.net",
      "https://a5.b.c.eu.customer-17.example-saas.net:9",
      "https://a.x.io",
      "https://x.io",
      "wss://s.abcdefgh.io",
      "http://app.localhost:5",
      "http://localhost:1",
      "http://127.0.0.1:8080",
      "http://[::1]:3000",
      "https://dev-1.internal:65535",
      "chrome-extension://id.abcdefghijklmnopq",
      "https://pr-1234.preview.example-corp.com",
      "https://abc-9.staging.example-corp.com",
      "https://a.b.dots.test",
      "http://12345",
      "https://x.y.test",
      "https://x0.y.test",
      "https://k..z.test",
      "https://k.abc.z.test",
      "https://static.example.com",
      "https://evil-example.com",
      "https://example.com.evil.net",
  };
  // Labels of every length from 1 to 20 below each wildcard.
  for (const char* suffix : {".example.com", ".a.example.com", ".x.io", ".abcdefgh.io",
                             ".customer-17.example-saas.net", ".localhost:7"}) {
    for (int n = 1; n <= 20; ++n) {
      std::string label;
      for (int i = 0; i < n; ++i) label += static_cast<char>('a' + (i * 7 + n) % 26);
      const std::string scheme = std::string(suffix) == ".abcdefgh.io" ? "wss" : "https";
      out.push_back((std::string(suffix).starts_with(".localhost") ? "http" : scheme) + "://" +
                    label + suffix);
      out.push_back(scheme + "://" + label + "." + label + suffix);
    }
  }
  return out;
}

constexpr char kAlphabetBytes[] = "./:@[]-_09aAzZ ,%\x7f\x80\xff";
const std::string kAlphabet = std::string(kAlphabetBytes, sizeof(kAlphabetBytes) - 1) + '\0';

std::string Mutate(std::string s, std::mt19937_64& rng) {
  auto below = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const int edits = 1 + static_cast<int>(below(3));
  for (int e = 0; e < edits; ++e) {
    const char c = kAlphabet[below(kAlphabet.size())];
    switch (below(8)) {
      case 0:
        if (!s.empty()) s[below(s.size())] = c;
        break;
      case 1:
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(below(s.size() + 1)), c);
        break;
      case 2:
        if (!s.empty()) s.erase(below(s.size()), 1);
        break;
      case 3: {
        // A new port in place of the old one, if any.
        const size_t colon = s.rfind(':');
        if (colon != std::string::npos && colon + 1 < s.size() &&
            s.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
          s.resize(colon);
        }
        s += std::vector<std::string>{":0",     ":00",    ":1",      ":80",    ":443",   ":8443",
                                      ":65535", ":65536", ":123456", ":",      ":08443", ".",
                                      "/",      ":3000",  ":21",     ":99999", ":012"}[below(17)];
        break;
      }
      case 4: {
        const size_t at = s.find("://");
        if (at != std::string::npos) {
          std::string label(1 + below(18), 'a' + static_cast<char>(below(26)));
          s.insert(at + 3, label + ".");
        }
        break;
      }
      case 5: {
        const size_t dot = s.rfind('.');
        if (dot != std::string::npos) s.insert(dot, ".");
        break;
      }
      case 6:
        if (s.size() > 1) s.resize(below(s.size()));
        break;
      default: {
        // A scheme of another kind.
        const size_t at = s.find("://");
        if (at != std::string::npos) {
          s.replace(0, at,
                    std::vector<std::string>{"http", "https", "ws", "wss", "ftp", "HTTPS", "h",
                                             "a+b.c-d", ""}[below(9)]);
        }
        break;
      }
    }
  }
  return s;
}

std::shared_ptr<const CompiledTable> TableWith(Strategy strategy) {
  SpecBuilder b;
  b.CatchAll(b.Set(kPatterns)).methods = {"GET"};
  b.spec().strategy = strategy;
  return b.Table();
}

TEST(OriginPass, TableAgreesWithLinearNearEveryBoundary) {
  const auto table = TableWith(Strategy::kTable);
  const auto linear = TableWith(Strategy::kLinear);
  ASSERT_NE(table, nullptr);
  ASSERT_NE(linear, nullptr);
  std::mt19937_64 rng(static_cast<uint64_t>(GTEST_FLAG_GET(random_seed)) * 7919 + 17);
  std::set<std::string> origins;
  for (const std::string& base : Bases()) {
    origins.insert(base);
    for (int i = 0; i < 60; ++i) origins.insert(Mutate(base, rng));
  }
  origins.insert(std::string(600, 'a'));
  origins.insert("https://" + std::string(520, 'a') + ".example.com");
  origins.insert("https://" + std::string(490, 'a') + ".example.com");
  size_t allowed = 0;
  for (const std::string& origin : origins) {
    if (origin.empty()) continue;
    TestRequest r("GET", "/");
    r.H("Origin", origin);
    const Decision want = linear->Evaluate(r.request());
    const Decision got = table->Evaluate(r.request());
    ASSERT_EQ(got.origin_rule, want.origin_rule)
        << "origin \"" << origin << "\": table " << Describe(got) << ", linear " << Describe(want);
    allowed += got.allowed;
  }
  // The bases and many of their mutations match something.
  EXPECT_GT(allowed, Bases().size());
}

}  // namespace
}  // namespace corsc::testing

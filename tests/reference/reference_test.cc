// Copyright corsc developers.
//
// The reference evaluator held to the spec's own examples, so that the
// differential test compares the engine with something known to be right.

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <random>

#include "corsc/compiler.h"
#include "corsc/origin.h"
#include "reference_eval.h"

namespace corsc::testing {
namespace {

constexpr const char* kSpecExample = R"(
version = 1
name = "storefront-api"

[defaults]
origins = [
  "https://app.example.com",
  "https://*.example.com",
  { regex = '^https://pr-[0-9]+\.preview\.example\.net$' },
]
methods = ["GET", "POST"]
allow_headers = ["content-type", "authorization"]
expose_headers = ["x-request-id"]
credentials = true
max_age = 600
private_network = false
preflight_status = 204

[[routes]]
path = "/api/v1/users/{id}"
methods = ["GET", "PUT", "DELETE"]

[[routes]]
path = "/public/**"
origins = ["*"]
credentials = false
methods = ["GET"]

[[routes]]
path = "/internal/**"
origins = []

[profiles.dev.defaults]
origins.add = ["http://localhost:*", "http://192.168.1.10:3000"]
)";

using Headers = std::vector<std::pair<std::string, std::string>>;

class ReferenceTest : public ::testing::Test {
 protected:
  static ResolvedPolicy Resolve(const std::string& text, const std::string& profile = "") {
    SourceFile file{"spec.toml", text};
    CompileOptions options;
    options.profile = profile;
    Compilation c = Compile(std::span<const SourceFile>(&file, 1), options);
    EXPECT_FALSE(HasErrors(c.diagnostics));
    return c.policy.value_or(ResolvedPolicy{});
  }
  static RefDecision Eval(const ResolvedPolicy& p, std::string method, std::string path,
                          Headers headers) {
    return ReferenceEvaluate(p, RefRequest{std::move(method), std::move(path), std::move(headers)});
  }

  ResolvedPolicy spec_ = Resolve(kSpecExample);
};

const char* kPreflightVary =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

TEST_F(ReferenceTest, SpecTestOneShopSubdomainMayUpdateAUser) {
  RefDecision d = Eval(spec_, "OPTIONS", "/api/v1/users/42",
                       {{"Origin", "https://shop.example.com"},
                        {"Access-Control-Request-Method", "PUT"},
                        {"Access-Control-Request-Headers", "content-type"}});
  EXPECT_EQ(d.kind, Kind::kPreflight);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.status, 204);
  EXPECT_EQ(d.route, "/api/v1/users/{id}");
  EXPECT_EQ(d.origin_rule, "https://*.example.com");
  EXPECT_EQ(d.headers, (Headers{{"Access-Control-Allow-Origin", "https://shop.example.com"},
                                {"Access-Control-Allow-Credentials", "true"},
                                {"Access-Control-Allow-Methods", "GET, PUT, DELETE"},
                                {"Access-Control-Allow-Headers", "content-type"},
                                {"Access-Control-Max-Age", "600"},
                                {"Vary", kPreflightVary}}));
}

TEST_F(ReferenceTest, SpecTestTwoLookAlikeIsRefused) {
  RefDecision d = Eval(spec_, "GET", "/api/v1/users/42", {{"Origin", "https://evil-example.com"}});
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kOriginNotAllowed);
  EXPECT_EQ(d.headers, (Headers{{"Vary", "Origin"}}));
}

TEST_F(ReferenceTest, StarRouteSharesWithAnyoneWithoutVary) {
  RefDecision d = Eval(spec_, "GET", "/public/docs/intro", {{"Origin", "https://random.test"}});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.origin_rule, "*");
  EXPECT_EQ(d.headers, (Headers{{"Access-Control-Allow-Origin", "*"},
                                {"Access-Control-Expose-Headers", "x-request-id"}}));
  d = Eval(spec_, "OPTIONS", "/public/x",
           {{"Origin", "null"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(d.headers, (Headers{{"Access-Control-Allow-Origin", "*"},
                                {"Access-Control-Allow-Methods", "GET"},
                                {"Access-Control-Max-Age", "600"},
                                {"Vary",
                                 "Access-Control-Request-Method, "
                                 "Access-Control-Request-Headers"}}));
}

TEST_F(ReferenceTest, EmptyOriginListRefusesWithoutVary) {
  RefDecision d = Eval(spec_, "GET", "/internal/metrics", {{"Origin", "https://app.example.com"}});
  EXPECT_EQ(d.reason, Reason::kOriginNotAllowed);
  EXPECT_TRUE(d.headers.empty());
  d = Eval(spec_, "GET", "/internal/x", {});
  EXPECT_EQ(d.kind, Kind::kNotCors);
  EXPECT_TRUE(d.headers.empty());
}

TEST_F(ReferenceTest, CatchAllRouteAndRegexOrigin) {
  RefDecision d = Eval(spec_, "OPTIONS", "/orders",
                       {{"Origin", "https://pr-9.preview.example.net"},
                        {"Access-Control-Request-Method", "POST"},
                        {"Access-Control-Request-Headers", "Content-Type, Authorization"}});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.route, "[defaults]");
  EXPECT_EQ(d.origin_rule, R"(^https://pr-[0-9]+\.preview\.example\.net$)");
  EXPECT_EQ(d.headers[3], (std::pair<std::string, std::string>{"Access-Control-Allow-Headers",
                                                               "Content-Type, Authorization"}));
  d = Eval(spec_, "GET", "/orders", {{"Origin", "https://pr-1.preview.example.net.evil.com"}});
  EXPECT_EQ(d.reason, Reason::kOriginNotAllowed);
}

TEST_F(ReferenceTest, CheckOrder) {
  Headers base = {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "PUT"}};
  EXPECT_EQ(Eval(spec_, "OPTIONS", "/orders", base).reason, Reason::kMethodNotAllowed);
  Headers h = base;
  h.emplace_back("Access-Control-Request-Headers", "x-custom");
  EXPECT_EQ(Eval(spec_, "OPTIONS", "/api/v1/users/1", h).reason, Reason::kHeaderNotAllowed);
  h = base;
  h.emplace_back("Access-Control-Request-Private-Network", "true");
  EXPECT_EQ(Eval(spec_, "OPTIONS", "/api/v1/users/1", h).reason, Reason::kPrivateNetworkNotAllowed);
  EXPECT_EQ(Eval(spec_, "HEAD", "/api/v1/users/1", {{"Origin", "https://app.example.com"}}).reason,
            Reason::kMethodNotAllowed);
}

TEST_F(ReferenceTest, NotCorsOnAListRouteVariesOnOrigin) {
  RefDecision d = Eval(spec_, "GET", "/api/v1/users/42", {});
  EXPECT_EQ(d.kind, Kind::kNotCors);
  EXPECT_EQ(d.headers, (Headers{{"Vary", "Origin"}}));
}

TEST_F(ReferenceTest, NonCanonicalOriginMatchesOnlyStar) {
  EXPECT_FALSE(Eval(spec_, "GET", "/orders", {{"Origin", "HTTPS://APP.EXAMPLE.COM"}}).allowed);
  EXPECT_FALSE(Eval(spec_, "GET", "/orders", {{"Origin", "https://A.example.com"}}).allowed);
  EXPECT_FALSE(Eval(spec_, "GET", "/orders", {{"Origin", "https://a.example.com:443"}}).allowed);
  EXPECT_TRUE(Eval(spec_, "GET", "/public/", {{"Origin", "https://a.example.com:443"}}).allowed);
  EXPECT_FALSE(Eval(spec_, "GET", "/orders",
                    {{"Origin", "https://app.example.com"}, {"Origin", "https://app.example.com"}})
                   .allowed);
}

TEST_F(ReferenceTest, DevProfileAddsLocalhostOnAnyPort) {
  ResolvedPolicy dev = Resolve(kSpecExample, "dev");
  EXPECT_TRUE(Eval(dev, "GET", "/orders", {{"Origin", "http://localhost:5173"}}).allowed);
  EXPECT_TRUE(Eval(dev, "GET", "/orders", {{"Origin", "http://localhost"}}).allowed);
  EXPECT_FALSE(Eval(spec_, "GET", "/orders", {{"Origin", "http://localhost:5173"}}).allowed);
}

TEST_F(ReferenceTest, RoutePrecedence) {
  ResolvedPolicy p = Resolve(R"(
version = 1
[defaults]
origins = ["https://app.example.com"]
[[routes]]
path = "/**"
[[routes]]
path = "/a/**"
[[routes]]
path = "/a/{x}"
[[routes]]
path = "/a/b"
[[routes]]
path = "/m/{x}/c"
[[routes]]
path = "/m/b/**"
[[routes]]
path = "/p/{x}/**"
[[routes]]
path = "/p/{x}"
[[routes]]
path = "/p"
)");
  auto route = [&](const char* path) {
    return Eval(p, "GET", path, {{"Origin", "https://app.example.com"}}).route;
  };
  EXPECT_EQ(route("/a/b"), "/a/b");
  EXPECT_EQ(route("/a/c"), "/a/{x}");
  EXPECT_EQ(route("/a/b/c"), "/a/**");
  EXPECT_EQ(route("/a"), "/a/**");
  EXPECT_EQ(route("/a/"), "/a/**");
  EXPECT_EQ(route("/z"), "/**");
  EXPECT_EQ(route("/"), "/**");
  EXPECT_EQ(route("/m/b/c"), "/m/b/**");
  EXPECT_EQ(route("/m/z/c"), "/m/{x}/c");
  EXPECT_EQ(route("/p"), "/p");
  EXPECT_EQ(route("/p/1"), "/p/{x}");
  EXPECT_EQ(route("/p/1/"), "/p/{x}/**");
  EXPECT_EQ(route("/p//1"), "/**");
  EXPECT_EQ(route("/a/b?x=1"), "/a/b");
}

TEST_F(ReferenceTest, RequestHeaderLinesAreJoinedAndEchoedLineByLine) {
  RefDecision d = Eval(spec_, "OPTIONS", "/api/v1/users/1",
                       {{"Origin", "https://app.example.com"},
                        {"Access-Control-Request-Method", "PUT"},
                        {"Access-Control-Request-Headers", " content-type "},
                        {"Access-Control-Request-Headers", ",,"},
                        {"Access-Control-Request-Headers", "authorization"}});
  ASSERT_TRUE(d.allowed);
  EXPECT_EQ(d.headers[3].second, "content-type");
  EXPECT_EQ(d.headers[4].second, "authorization");
  EXPECT_EQ(d.headers[5].first, "Access-Control-Max-Age");
}

TEST_F(ReferenceTest, RequestHeaderLimits) {
  ResolvedPolicy p = Resolve(R"(
version = 1
[defaults]
origins = ["https://app.example.com"]
methods = ["PUT"]
allow_headers = ["*"]
)");
  auto reason = [&](Headers extra) {
    Headers h = {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "PUT"}};
    h.insert(h.end(), extra.begin(), extra.end());
    return Eval(p, "OPTIONS", "/", h).reason;
  };
  // Over 4 KiB in 110 names: within the limits (D12: 8 KiB, 128 names).
  std::string names_4k;
  for (int i = 0; i < 110; ++i)
    names_4k += "x-a-rather-long-custom-header-name-" + std::to_string(100 + i) + ",";
  ASSERT_GE(names_4k.size(), 4096u);
  EXPECT_EQ(reason({{"Access-Control-Request-Headers", names_4k}}), Reason::kOk);
  EXPECT_EQ(reason({{"Access-Control-Request-Headers", std::string(100 * 1024, 'x')}}),
            Reason::kHeaderNotAllowed);
  std::string names_129;
  for (int i = 0; i < 129; ++i) names_129 += "h" + std::to_string(i) + ",";
  EXPECT_EQ(reason({{"Access-Control-Request-Headers", names_129}}), Reason::kHeaderNotAllowed);
  EXPECT_EQ(reason({{"Access-Control-Request-Headers", "x-a b"}}), Reason::kHeaderNotAllowed);
  // The lines are one list: 64 that name a header and 128 in all are
  // allowed, one more of either is refused.
  Headers lines(64, {"Access-Control-Request-Headers", "x"});
  EXPECT_EQ(reason(lines), Reason::kOk);
  lines.push_back({"Access-Control-Request-Headers", "y"});
  EXPECT_EQ(reason(lines), Reason::kHeaderNotAllowed);
  lines.pop_back();
  lines.resize(128, {"Access-Control-Request-Headers", ""});
  EXPECT_EQ(reason(lines), Reason::kOk);
  lines.push_back({"Access-Control-Request-Headers", " , "});
  EXPECT_EQ(reason(lines), Reason::kHeaderNotAllowed);
  EXPECT_EQ(reason({{"Access-Control-Request-Headers", " , \t, "}}), Reason::kOk);
}

TEST(ReferenceIpv6, Examples) {
  for (const char* ok :
       {"::", "::1", "1::", "2001:db8::1", "1:0:1:0:1:0:1:0", "0:0:1::1", "1::1:0:0:1",
        "1:0:0:1::1", "ffff:1:2:3:4:5:6:7", "1:2:3:4:5:6::", "abcd::"}) {
    EXPECT_TRUE(IsCanonicalIpv6(ok)) << ok;
  }
  for (const char* bad : {"", ":", ":::", "0::1", "1::0", "1::1::1", "ABCD::", "01::", "00000::",
                          "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:0:0", "::ffff:1.2.3.4",
                          "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "g::", "1:0:0:2:0:0:0:3", " ::1"}) {
    EXPECT_FALSE(IsCanonicalIpv6(bad)) << bad;
  }
}

TEST(ReferenceIpv6, AgreesWithTheEngineOnGeneratedAddresses) {
  // Two implementations written apart: the reference reads the text, the
  // engine parses and serializes. They must agree on every address and on
  // near-misses of it.
  std::mt19937 rng(11);
  const uint16_t kValues[] = {0, 0, 0, 1, 0xab, 0xffff};
  size_t canonical = 0;
  for (int round = 0; round < 20000; ++round) {
    std::array<uint16_t, 8> pieces;
    for (uint16_t& p : pieces) p = kValues[rng() % 6];
    char buf[40];
    const std::string serialized(buf, SerializeIpv6(pieces, buf));
    std::vector<std::string> texts = {serialized};
    // The long form, with or without leading zeros, and upper case.
    std::string full, padded;
    for (size_t i = 0; i < 8; ++i) {
      char g[8];
      std::snprintf(g, sizeof g, "%x", pieces[i]);
      full += (i ? ":" : "") + std::string(g);
      std::snprintf(g, sizeof g, "%04x", pieces[i]);
      padded += (i ? ":" : "") + std::string(g);
    }
    texts.push_back(full);
    texts.push_back(padded);
    std::string upper = serialized;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    texts.push_back(upper);
    for (const std::string& t : texts) {
      auto parsed = ParseIpv6(t);
      const bool engine = parsed && std::string(buf, SerializeIpv6(*parsed, buf)) == t;
      ASSERT_EQ(IsCanonicalIpv6(t), engine) << t;
      canonical += engine;
    }
  }
  EXPECT_GT(canonical, 20000u);  // every serialized form, and some long ones
}

}  // namespace
}  // namespace corsc::testing

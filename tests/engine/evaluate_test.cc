// Copyright corsc developers.
//
// Evaluate(): one test per row of the spec's header table and per Vary
// rule, every reason and the order of the checks, methods, request-header
// parsing and its limits (D12, D13), private network access (D14), route
// precedence and the paths of D7, and which origin rule is reported (D1).
// Every expectation is the exact header list, in order.

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "corsc/table.h"
#include "test_util.h"

namespace corsc::testing {
namespace {

constexpr const char* kAcao = "Access-Control-Allow-Origin";
constexpr const char* kAcac = "Access-Control-Allow-Credentials";
constexpr const char* kAcam = "Access-Control-Allow-Methods";
constexpr const char* kAcah = "Access-Control-Allow-Headers";
constexpr const char* kAcma = "Access-Control-Max-Age";
constexpr const char* kAcapn = "Access-Control-Allow-Private-Network";
constexpr const char* kAceh = "Access-Control-Expose-Headers";
constexpr const char* kVary = "Vary";
constexpr const char* kVaryPreflight =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
constexpr const char* kVaryPreflightPn =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
    "Access-Control-Request-Private-Network";
constexpr const char* kVaryStarPreflight =
    "Access-Control-Request-Method, Access-Control-Request-Headers";

// Route ids of the fixture policy.
enum : uint32_t {
  kCred,        // "/cred": list origins, credentials, everything set
  kPlain,       // "/plain": list origins, nothing optional, status 200
  kPn,          // "/pn/**": private_network = true
  kStar,        // "/star/**": origins ["*"]
  kDeny,        // "/deny/**": origins []
  kAnyMethod,   // "/any-method": methods ["*"]
  kAnyHeader,   // "/any-header": allow_headers ["*"]
  kZeroMaxAge,  // "/zero": max_age = 0
};

class EvaluateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = b_.Rule("https://app.example.com");
    sub_ = b_.Rule("https://*.example.com");
    local_ = b_.Rule("http://localhost:*");
    regex_ = b_.Rule(R"(regex:^https://pr-[0-9]+\.preview\.example\.net$)");
    star_ = b_.Rule("*");
    const uint32_t list = b_.SetOf({app_, sub_, local_, regex_});
    const uint32_t star = b_.SetOf({star_});
    const uint32_t none = b_.SetOf({});

    RouteSpec& cred = b_.Route("/cred", list);
    cred.methods = {"GET", "PUT", "PATCH"};
    cred.allow_headers = {"x-a", "content-type"};
    cred.expose_headers = {"x-e1", "x-e2"};
    cred.credentials = true;
    cred.max_age = 600;
    RouteSpec& plain = b_.Route("/plain", list);
    plain.methods = {"GET"};
    plain.preflight_status = 200;
    RouteSpec& pn = b_.Route("/pn/**", list);
    pn.methods = {"GET", "PUT"};
    pn.private_network = true;
    RouteSpec& st = b_.Route("/star/**", star);
    st.methods = {"GET", "PUT"};
    st.allow_headers = {"x-a"};
    st.expose_headers = {"x-e"};
    st.max_age = 60;
    RouteSpec& deny = b_.Route("/deny/**", none);
    deny.methods = {"GET"};
    RouteSpec& any_method = b_.Route("/any-method", list);
    any_method.methods = {"*"};
    RouteSpec& any_header = b_.Route("/any-header", list);
    any_header.methods = {"GET", "PUT"};
    any_header.allow_headers = {"*"};
    RouteSpec& zero = b_.Route("/zero", list);
    zero.methods = {"GET", "PUT"};
    zero.max_age = 0;
    table_ = b_.Table();
    ASSERT_NE(table_, nullptr);
  }

  Decision Eval(TestRequest& r) { return table_->Evaluate(r.request()); }

  // A request that lives as long as the test: a Decision points into the
  // request it was made from.
  TestRequest& New(const std::string& method, const std::string& path) {
    requests_.push_back(std::make_unique<TestRequest>(method, path));
    return *requests_.back();
  }

  // An actual GET from `origin` to `path`.
  Decision Get(const std::string& path, const std::string& origin) {
    return Eval(New("GET", path).H("Origin", origin));
  }

  // A preflight for `method` from `origin` to `path`.
  Decision Preflight(const std::string& path, const std::string& origin, const std::string& method,
                     const std::vector<std::string>& acrh = {}) {
    TestRequest& r = New("OPTIONS", path);
    r.H("Origin", origin).H("Access-Control-Request-Method", method);
    for (const std::string& line : acrh) r.H("Access-Control-Request-Headers", line);
    return Eval(r);
  }

  SpecBuilder b_;
  std::shared_ptr<const CompiledTable> table_;
  std::vector<std::unique_ptr<TestRequest>> requests_;
  RuleId app_, sub_, local_, regex_, star_;
};

// ---------------------------------------------------------------- kinds

TEST_F(EvaluateTest, KindNotCorsWithoutOrigin) {
  TestRequest r("OPTIONS", "/cred");
  r.H("Access-Control-Request-Method", "PUT");
  const Decision d = Eval(r);
  EXPECT_EQ(d.kind, Kind::kNotCors) << Describe(d);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kNotCors);
  EXPECT_EQ(d.status, 0);
}

TEST_F(EvaluateTest, KindPreflightNeedsExactlyOptionsAndANonEmptyAcrm) {
  auto kind = [&](const std::string& method, const std::vector<std::string>& acrm) {
    TestRequest r(method, "/cred");
    r.H("Origin", "https://app.example.com");
    for (const std::string& line : acrm) r.H("Access-Control-Request-Method", line);
    return Eval(r).kind;
  };
  EXPECT_EQ(kind("OPTIONS", {"PUT"}), Kind::kPreflight);
  EXPECT_EQ(kind("OPTIONS", {}), Kind::kActual);
  EXPECT_EQ(kind("OPTIONS", {""}), Kind::kActual);
  EXPECT_EQ(kind("OPTIONS", {" \t "}), Kind::kActual);
  EXPECT_EQ(kind("OPTIONS", {"", "PUT"}), Kind::kPreflight);  // D11: some line
  EXPECT_EQ(kind("options", {"PUT"}), Kind::kActual);         // exactly OPTIONS
  EXPECT_EQ(kind("GET", {"PUT"}), Kind::kActual);
}

// ------------------------------------------------------ the header table

TEST_F(EvaluateTest, AllowedActualWithCredentialsAndExposeHeaders) {
  const Decision d = Get("/cred", "https://app.example.com");
  EXPECT_EQ(d.kind, Kind::kActual);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reason, Reason::kOk);
  EXPECT_EQ(d.status, 0);
  EXPECT_EQ(d.route, kCred);
  EXPECT_EQ(d.origin_rule, app_);
  EXPECT_EQ(Headers(d), (HeaderPairs{{kAcao, "https://app.example.com"},
                                     {kAcac, "true"},
                                     {kAceh, "x-e1, x-e2"},
                                     {kVary, "Origin"}}));
}

TEST_F(EvaluateTest, DecisionsCopyWithTheirHeaders) {
  const Decision d = Get("/cred", "https://app.example.com");
  Decision copy = d;
  EXPECT_EQ(Headers(copy), Headers(d));
  Decision assigned = Get("/nowhere", "https://app.example.com");
  ASSERT_TRUE(assigned.headers.empty());
  assigned = d;
  EXPECT_EQ(Headers(assigned), Headers(d));
  assigned = *&assigned;  // self-assignment keeps it
  EXPECT_EQ(Headers(assigned), Headers(d));
  EXPECT_EQ(assigned.headers.size(), 4u);
}

TEST_F(EvaluateTest, AllowedActualWithNothingOptional) {
  const Decision d = Get("/plain", "https://app.example.com");
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(Headers(d), (HeaderPairs{{kAcao, "https://app.example.com"}, {kVary, "Origin"}}));
}

TEST_F(EvaluateTest, AllowedActualOnStarRoute) {
  const Decision d = Get("/star/x", "https://anything.test");
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(d.origin_rule, star_);
  EXPECT_EQ(Headers(d), (HeaderPairs{{kAcao, "*"}, {kAceh, "x-e"}}));
}

TEST_F(EvaluateTest, AllowedPreflightWithEverything) {
  const Decision d = Preflight("/cred", "https://app.example.com", "PUT", {"x-a, Content-Type"});
  EXPECT_EQ(d.kind, Kind::kPreflight);
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(d.status, 204);
  EXPECT_EQ(Headers(d), (HeaderPairs{{kAcao, "https://app.example.com"},
                                     {kAcac, "true"},
                                     {kAcam, "GET, PUT, PATCH"},
                                     {kAcah, "x-a, Content-Type"},
                                     {kAcma, "600"},
                                     {kVary, kVaryPreflight}}));
}

TEST_F(EvaluateTest, AllowedPreflightWithNothingOptional) {
  const Decision d = Preflight("/plain", "https://app.example.com", "GET");
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(
      Headers(d),
      (HeaderPairs{{kAcao, "https://app.example.com"}, {kAcam, "GET"}, {kVary, kVaryPreflight}}));
}

TEST_F(EvaluateTest, AllowedPreflightMaxAgeZeroIsSent) {
  const Decision d = Preflight("/zero", "https://app.example.com", "PUT");
  EXPECT_EQ(Headers(d), (HeaderPairs{{kAcao, "https://app.example.com"},
                                     {kAcam, "GET, PUT"},
                                     {kAcma, "0"},
                                     {kVary, kVaryPreflight}}));
}

TEST_F(EvaluateTest, AllowedPreflightPrivateNetworkFullOrder) {
  TestRequest r("OPTIONS", "/pn/x");
  r.H("Origin", "https://app.example.com")
      .H("Access-Control-Request-Method", "PUT")
      .H("Access-Control-Request-Private-Network", " true\t");
  const Decision d = Eval(r);
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(Headers(d), (HeaderPairs{{kAcao, "https://app.example.com"},
                                     {kAcam, "GET, PUT"},
                                     {kAcapn, "true"},
                                     {kVary, kVaryPreflightPn}}));
}

TEST_F(EvaluateTest, AllowedPreflightOnStarRoute) {
  const Decision d = Preflight("/star/x", "null", "PUT", {"X-A"});
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(Headers(d), (HeaderPairs{{kAcao, "*"},
                                     {kAcam, "GET, PUT"},
                                     {kAcah, "X-A"},
                                     {kAcma, "60"},
                                     {kVary, kVaryStarPreflight}}));
}

TEST_F(EvaluateTest, RefusedRequestsCarryOnlyVary) {
  struct Case {
    Decision d;
    Reason reason;
    HeaderPairs headers;
  };
  TestRequest pn("OPTIONS", "/cred");
  pn.H("Origin", "https://app.example.com")
      .H("Access-Control-Request-Method", "GET")
      .H("Access-Control-Request-Private-Network", "true");
  const Case kCases[] = {
      {Get("/cred", "https://evil.test"), Reason::kOriginNotAllowed, {{kVary, "Origin"}}},
      {Get("/plain", "https://evil.test"), Reason::kOriginNotAllowed, {{kVary, "Origin"}}},
      {Preflight("/cred", "https://evil.test", "GET"),
       Reason::kOriginNotAllowed,
       {{kVary, kVaryPreflight}}},
      {Preflight("/pn/x", "https://evil.test", "GET"),
       Reason::kOriginNotAllowed,
       {{kVary, kVaryPreflightPn}}},
      {Get("/pn/x", "https://evil.test"), Reason::kOriginNotAllowed, {{kVary, "Origin"}}},
      {Preflight("/cred", "https://app.example.com", "DELETE"),
       Reason::kMethodNotAllowed,
       {{kVary, kVaryPreflight}}},
      {Preflight("/cred", "https://app.example.com", "GET", {"x-b"}),
       Reason::kHeaderNotAllowed,
       {{kVary, kVaryPreflight}}},
      {Eval(pn), Reason::kPrivateNetworkNotAllowed, {{kVary, kVaryPreflight}}},
      {Preflight("/star/x", "https://a.test", "DELETE"),
       Reason::kMethodNotAllowed,
       {{kVary, kVaryStarPreflight}}},
      {Preflight("/star/x", "https://a.test", "GET", {"x-b"}),
       Reason::kHeaderNotAllowed,
       {{kVary, kVaryStarPreflight}}},
  };
  for (const Case& c : kCases) {
    EXPECT_FALSE(c.d.allowed) << Describe(c.d);
    EXPECT_EQ(c.d.reason, c.reason) << Describe(c.d);
    EXPECT_EQ(c.d.status, 0) << Describe(c.d);
    EXPECT_EQ(Headers(c.d), c.headers) << Describe(c.d);
  }
}

TEST_F(EvaluateTest, RefusedActualOnStarRouteHasNoVary) {
  TestRequest r("DELETE", "/star/x");
  r.H("Origin", "https://a.test");
  const Decision d = Eval(r);
  EXPECT_EQ(d.reason, Reason::kMethodNotAllowed);
  EXPECT_TRUE(d.headers.empty()) << Describe(d);
}

TEST_F(EvaluateTest, DenyRouteRefusesWithoutVary) {
  const Decision actual = Get("/deny/x", "https://app.example.com");
  EXPECT_EQ(actual.reason, Reason::kOriginNotAllowed);
  EXPECT_EQ(actual.route, kDeny);
  EXPECT_EQ(actual.origin_rule, kNoRule);
  EXPECT_TRUE(actual.headers.empty()) << Describe(actual);
  const Decision preflight = Preflight("/deny/x", "https://app.example.com", "GET");
  EXPECT_EQ(preflight.reason, Reason::kOriginNotAllowed);
  EXPECT_TRUE(preflight.headers.empty()) << Describe(preflight);
}

TEST_F(EvaluateTest, NoRouteRefusesWithoutHeaders) {
  for (const Decision& d : {Get("/nowhere", "https://app.example.com"),
                            Preflight("/nowhere", "https://app.example.com", "GET")}) {
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.reason, Reason::kNoRoute) << Describe(d);
    EXPECT_EQ(d.route, kNoRule);
    EXPECT_EQ(d.origin_rule, kNoRule);
    EXPECT_TRUE(d.headers.empty()) << Describe(d);
  }
}

TEST_F(EvaluateTest, NotCorsHeaders) {
  auto not_cors = [&](const std::string& method, const std::string& path) {
    return Eval(New(method, path));
  };
  // "*" route: ACAO "*" and ACEH, the "*" rule reported.
  Decision d = not_cors("PUT", "/star/x");
  EXPECT_EQ(d.kind, Kind::kNotCors);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.route, kStar);
  EXPECT_EQ(d.origin_rule, star_);
  EXPECT_EQ(Headers(d), (HeaderPairs{{kAcao, "*"}, {kAceh, "x-e"}}));
  // A list route: Vary: Origin only, whatever the method, even on a
  // private_network route.
  for (const char* path : {"/cred", "/plain", "/pn/x"}) {
    d = not_cors("DELETE", path);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.origin_rule, kNoRule);
    EXPECT_EQ(Headers(d), (HeaderPairs{{kVary, "Origin"}})) << path;
  }
  // origins = [] and no route: nothing.
  d = not_cors("GET", "/deny/x");
  EXPECT_EQ(d.route, kDeny);
  EXPECT_TRUE(d.headers.empty());
  d = not_cors("GET", "/nowhere");
  EXPECT_EQ(d.route, kNoRule);
  EXPECT_EQ(d.reason, Reason::kNotCors);
  EXPECT_TRUE(d.headers.empty());
}

// ---------------------------------------------------------- check order

TEST_F(EvaluateTest, FirstFailingCheckGivesTheReason) {
  // Origin before method, method before headers, headers before private
  // network.
  TestRequest all("OPTIONS", "/cred");
  all.H("Origin", "https://evil.test")
      .H("Access-Control-Request-Method", "DELETE")
      .H("Access-Control-Request-Headers", "x-b")
      .H("Access-Control-Request-Private-Network", "true");
  EXPECT_EQ(Eval(all).reason, Reason::kOriginNotAllowed);
  TestRequest method("OPTIONS", "/cred");
  method.H("Origin", "https://app.example.com")
      .H("Access-Control-Request-Method", "DELETE")
      .H("Access-Control-Request-Headers", "x-b")
      .H("Access-Control-Request-Private-Network", "true");
  EXPECT_EQ(Eval(method).reason, Reason::kMethodNotAllowed);
  TestRequest headers("OPTIONS", "/cred");
  headers.H("Origin", "https://app.example.com")
      .H("Access-Control-Request-Method", "GET")
      .H("Access-Control-Request-Headers", "x-b")
      .H("Access-Control-Request-Private-Network", "true");
  EXPECT_EQ(Eval(headers).reason, Reason::kHeaderNotAllowed);
  // The origin rule that matched is still reported when a later check
  // refuses.
  EXPECT_EQ(Eval(headers).origin_rule, app_);
}

// ---------------------------------------------------------------- origins

TEST_F(EvaluateTest, SeveralOrEmptyOriginLinesMatchOnlyStar) {
  TestRequest two("GET", "/cred");
  two.H("Origin", "https://app.example.com").H("Origin", "https://app.example.com");
  Decision d = Eval(two);
  EXPECT_EQ(d.kind, Kind::kActual);
  EXPECT_EQ(d.reason, Reason::kOriginNotAllowed);
  EXPECT_EQ(Headers(d), (HeaderPairs{{kVary, "Origin"}}));
  d = Get("/cred", "");
  EXPECT_EQ(d.kind, Kind::kActual);
  EXPECT_EQ(d.reason, Reason::kOriginNotAllowed);

  TestRequest two_star("GET", "/star/x");
  two_star.H("Origin", "https://a.test").H("Origin", "https://b.test");
  EXPECT_TRUE(Eval(two_star).allowed);
  EXPECT_TRUE(Get("/star/x", "").allowed);
  EXPECT_TRUE(Get("/star/x", "null").allowed);
  EXPECT_TRUE(Get("/star/x", "not an origin at all").allowed);
}

TEST_F(EvaluateTest, NonCanonicalOriginsMatchNoListPattern) {
  for (const char* origin :
       {"https://APP.example.com", "https://app.example.com:443", "https://app.example.com/",
        "https://app.example.com.", "HTTPS://app.example.com", "https://A.example.com",
        "https://a.example.com:443", "http://localhost:80", "http://LOCALHOST:3000",
        "https://PR-1.preview.example.net", "https://pr-1.preview.example.net/", "null"}) {
    const Decision d = Get("/cred", origin);
    EXPECT_EQ(d.reason, Reason::kOriginNotAllowed) << origin << ": " << Describe(d);
  }
}

TEST_F(EvaluateTest, OriginTiers) {
  struct Case {
    const char* origin;
    RuleId rule;
  };
  const Case kCases[] = {
      {"https://app.example.com", app_},
      {"https://a.example.com", sub_},
      {"https://x.y.example.com", sub_},
      {"http://localhost", local_},
      {"http://localhost:5173", local_},
      {"http://localhost:0", local_},
      {"https://pr-42.preview.example.net", regex_},
      {"https://example.com", kNoRule},
      {"https://evil-example.com", kNoRule},
      {"https://example.com.evil.net", kNoRule},
      {"https://a.example.com.evil.net", kNoRule},
      {"http://a.example.com", kNoRule},
      {"https://a.example.com:8443", kNoRule},
      {"https://localhost", kNoRule},
      {"http://a.localhost", kNoRule},
      {"https://pr-x.preview.example.net", kNoRule},
      {"https://pr-1.preview.example.net.evil.com", kNoRule},
  };
  for (const Case& c : kCases) {
    const Decision d = Get("/cred", c.origin);
    EXPECT_EQ(d.origin_rule, c.rule) << c.origin << ": " << Describe(d);
    EXPECT_EQ(d.allowed, c.rule != kNoRule) << c.origin;
  }
}

// D1 for every strategy (the most specific rule, exact before wildcards
// whatever the list order): strategy_test.cc. Here, what only `*` lists do.
TEST(OriginRuleSpecificity, StarListReportsTheStarEntry) {
  SpecBuilder b;
  const RuleId exact = b.Rule("https://a.example.com");
  const RuleId star = b.Rule("*");
  const RuleId star2 = b.Rule("*");
  b.CatchAll(b.SetOf({exact, star, star2}));
  auto table = b.Table();
  ASSERT_NE(table, nullptr);
  TestRequest r("GET", "/");
  r.H("Origin", "https://a.example.com");
  const Decision d = table->Evaluate(r.request());
  EXPECT_EQ(d.origin_rule, star);
  EXPECT_EQ(Headers(d), (HeaderPairs{{kAcao, "*"}}));
}

TEST(OriginMatching, NullSchemesIpv6AndIpv4) {
  SpecBuilder b;
  const RuleId null = b.Rule("null");
  const RuleId ext = b.Rule("chrome-extension://abcdef");
  const RuleId v6 = b.Rule("http://[::1]:*");
  const RuleId v4 = b.Rule("http://127.0.0.1:*");
  const RuleId cap = b.Rule("capacitor://*.app.test");
  b.CatchAll(b.SetOf({null, ext, v6, v4, cap}));
  auto table = b.Table();
  ASSERT_NE(table, nullptr);
  const std::pair<const char*, RuleId> kCases[] = {
      {"null", null},
      {"chrome-extension://abcdef", ext},
      {"chrome-extension://abcdeg", kNoRule},
      {"http://[::1]", v6},
      {"http://[::1]:8080", v6},
      {"http://[::2]:8080", kNoRule},
      {"http://127.0.0.1:8080", v4},
      {"http://127.0.0.1", v4},
      {"http://1.127.0.0.1", kNoRule},
      {"http://0.0.1", kNoRule},
      {"capacitor://x.app.test", cap},
      {"capacitor://app.test", kNoRule},
      {"Null", kNoRule},
  };
  for (const auto& [origin, rule] : kCases) {
    TestRequest r("GET", "/");
    r.H("Origin", origin);
    EXPECT_EQ(table->Evaluate(r.request()).origin_rule, rule) << origin;
  }
}

TEST(OriginMatching, RegexesSeeOnlyCanonicalOrigins) {
  SpecBuilder b;
  const RuleId any_case = b.Rule(R"(regex:(?i)https://a\.example\.com(:443)?/?)");
  b.CatchAll(b.SetOf({any_case}));
  auto table = b.Table();
  ASSERT_NE(table, nullptr);
  for (const char* origin :
       {"https://A.example.com", "https://a.example.com:443", "https://a.example.com/"}) {
    TestRequest r("GET", "/");
    r.H("Origin", origin);
    EXPECT_EQ(table->Evaluate(r.request()).reason, Reason::kOriginNotAllowed) << origin;
  }
  TestRequest ok("GET", "/");
  ok.H("Origin", "https://a.example.com");
  EXPECT_EQ(table->Evaluate(ok.request()).origin_rule, any_case);
}

TEST(OriginMatching, RegexIsAnchoredAtBothEnds) {
  SpecBuilder b;
  const RuleId re = b.Rule(R"(regex:https://a\.example\.com)");
  b.CatchAll(b.SetOf({re}));
  auto table = b.Table();
  ASSERT_NE(table, nullptr);
  for (const char* origin :
       {"https://a.example.com.evil.net", "https://xa.example.com", "https://a.example.comm"}) {
    TestRequest r("GET", "/");
    r.H("Origin", origin);
    EXPECT_EQ(table->Evaluate(r.request()).reason, Reason::kOriginNotAllowed) << origin;
  }
}

// ---------------------------------------------------------------- methods

TEST_F(EvaluateTest, StandardMethodsMatchCaseInsensitivelyOthersExactly) {
  auto actual = [&](const std::string& method, const std::string& path) {
    TestRequest r(method, path);
    r.H("Origin", "https://app.example.com");
    return Eval(r).reason;
  };
  EXPECT_EQ(actual("get", "/cred"), Reason::kOk);
  EXPECT_EQ(actual("Put", "/cred"), Reason::kOk);
  EXPECT_EQ(actual("PATCH", "/cred"), Reason::kOk);
  EXPECT_EQ(actual("patch", "/cred"), Reason::kMethodNotAllowed);
  EXPECT_EQ(actual("DELETE", "/cred"), Reason::kMethodNotAllowed);
  EXPECT_EQ(actual("HEAD", "/cred"), Reason::kMethodNotAllowed);  // listed methods only
  EXPECT_EQ(actual("OPTIONS", "/cred"), Reason::kMethodNotAllowed);
  EXPECT_EQ(actual("", "/cred"), Reason::kMethodNotAllowed);
  // Preflight: the requested method, trimmed.
  EXPECT_EQ(Preflight("/cred", "https://app.example.com", " put\t").reason, Reason::kOk);
  EXPECT_EQ(Preflight("/cred", "https://app.example.com", "patch").reason,
            Reason::kMethodNotAllowed);
}

TEST_F(EvaluateTest, StarMethodsAllowAnyTokenAndEchoIt) {
  auto actual = [&](const std::string& method) {
    TestRequest r(method, "/any-method");
    r.H("Origin", "https://app.example.com");
    return Eval(r).reason;
  };
  EXPECT_EQ(actual("PATCH"), Reason::kOk);
  EXPECT_EQ(actual("get"), Reason::kOk);
  EXPECT_EQ(actual("X-CUSTOM!"), Reason::kOk);
  EXPECT_EQ(actual("G T"), Reason::kMethodNotAllowed);
  EXPECT_EQ(actual("GET,PUT"), Reason::kMethodNotAllowed);
  EXPECT_EQ(actual(""), Reason::kMethodNotAllowed);
  const Decision d = Preflight("/any-method", "https://app.example.com", "  purge ");
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(d.headers.Find(kAcam), "purge");
  // The six standard methods are written upper-case in responses, as asked
  // in any case.
  for (const char* m : {"put", "Delete", "gEt", "head", "post", "options"}) {
    const Decision standard = Preflight("/any-method", "https://app.example.com", m);
    EXPECT_TRUE(standard.allowed) << m;
    std::string upper = m;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(standard.headers.Find(kAcam), std::optional<std::string_view>(upper)) << m;
  }
  // Not a standard method: echoed as asked.
  EXPECT_EQ(Preflight("/any-method", "https://app.example.com", "Patch").headers.Find(kAcam),
            std::optional<std::string_view>("Patch"));
}

TEST_F(EvaluateTest, SeveralAcrmLinesNeverMatch) {
  for (const char* path : {"/cred", "/any-method"}) {
    TestRequest r("OPTIONS", path);
    r.H("Origin", "https://app.example.com")
        .H("Access-Control-Request-Method", "GET")
        .H("Access-Control-Request-Method", "GET");
    const Decision d = Eval(r);
    EXPECT_EQ(d.kind, Kind::kPreflight);
    EXPECT_EQ(d.reason, Reason::kMethodNotAllowed) << path;
  }
}

// ------------------------------------------------ request headers (D12)

// `count` distinct valid names, each `length` bytes, joined with ",".
std::string Names(size_t count, size_t length) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += ',';
    std::string name = "x-" + std::to_string(i) + "-";
    name.resize(length, 'h');
    out += name;
  }
  return out;
}

TEST_F(EvaluateTest, RequestHeaderLimits) {
  const std::string app = "https://app.example.com";
  // 4 KiB of valid names with "*": allowed, echoed.
  const std::string four_k = Names(128, 31);
  ASSERT_EQ(four_k.size(), 4095u);
  Decision d = Preflight("/any-header", app, "GET", {four_k});
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(d.headers.Find(kAcah), four_k);
  // 8192 bytes in all are allowed, 8193 are not (two lines).
  const std::string half = Names(64, 63);
  ASSERT_EQ(half.size(), 64u * 64 - 1);
  EXPECT_TRUE(Preflight("/any-header", app, "GET", {half + ",", half + ","}).allowed);
  EXPECT_EQ(Preflight("/any-header", app, "GET", {half + ",", half + ",,"}).reason,
            Reason::kHeaderNotAllowed);
  // 100 KiB: refused.
  EXPECT_EQ(Preflight("/any-header", app, "GET", {std::string(100 * 1024, 'a')}).reason,
            Reason::kHeaderNotAllowed);
  // 128 names allowed, 129 refused (empty items do not count).
  EXPECT_TRUE(Preflight("/any-header", app, "GET", {Names(128, 3) + ",,, ,"}).allowed);
  EXPECT_EQ(Preflight("/any-header", app, "GET", {Names(129, 3)}).reason,
            Reason::kHeaderNotAllowed);
  // The lines are one list: nine names on nine lines are as good as on one
  // (the spec's floor is 64 names, however the list is split).
  std::vector<std::string> lines(9, "x-a");
  d = Preflight("/any-header", app, "GET", lines);
  EXPECT_TRUE(d.allowed) << Describe(d);
  // 64 lines that name a header allowed (each is echoed), 65 refused.
  lines.assign(64, "x-a");
  d = Preflight("/any-header", app, "GET", lines);
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(d.headers.size(), 64u + 3) << Describe(d);  // ACAO, ACAM, 64 ACAH, Vary
  lines.push_back("x-b");
  EXPECT_EQ(Preflight("/any-header", app, "GET", lines).reason, Reason::kHeaderNotAllowed);
  // 128 lines allowed, empty ones too, and they are not echoed; 129 refused.
  lines.assign(64, "x-a");
  lines.resize(128, " , ");
  d = Preflight("/any-header", app, "GET", lines);
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(d.headers.size(), 64u + 3) << Describe(d);
  lines.push_back("");
  EXPECT_EQ(Preflight("/any-header", app, "GET", lines).reason, Reason::kHeaderNotAllowed);
  // Lines that name a header need not come first.
  lines.assign(127, "");
  lines.push_back("x-last");
  d = Preflight("/any-header", app, "GET", lines);
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(d.headers.Find(kAcah), std::optional<std::string_view>("x-last")) << Describe(d);
  // A non-tchar byte anywhere in an item is refused, even with "*".
  for (const char* bad :
       {"x-a b", "x-a;x-b", "x@b", "(x-a)", "x-\xc3\xa9", "x\x01", "x/y", "\"x\"", "x:"}) {
    EXPECT_EQ(Preflight("/any-header", app, "GET", {std::string("x-ok, ") + bad}).reason,
              Reason::kHeaderNotAllowed)
        << bad;
  }
  // Every tchar is fine.
  EXPECT_TRUE(Preflight("/any-header", app, "GET", {"!#$%&'*+-.^_`|~09azAZ"}).allowed);
}

TEST_F(EvaluateTest, SeparatorRunsOfEveryLength) {
  // The scan skips separators in blocks of 64, 16 and 8 bytes: whatever
  // the length of the run, what follows it is read exactly once and in
  // place (a name is found and echoed, a bad byte refused).
  const std::string app = "https://app.example.com";
  const std::string kSeparators = ", \t,,";
  for (size_t run = 0; run <= 200; ++run) {
    std::string separators;
    for (size_t i = 0; i < run; ++i) separators += kSeparators[i % kSeparators.size()];
    const std::string named = separators + "x-a" + separators;
    const Decision d = Preflight("/cred", app, "GET", {named});
    EXPECT_TRUE(d.allowed) << run << ": " << Describe(d);
    std::string_view trimmed = named;  // D13: the line, trimmed of spaces and tabs
    while (trimmed.front() == ' ' || trimmed.front() == '\t') trimmed.remove_prefix(1);
    while (trimmed.back() == ' ' || trimmed.back() == '\t') trimmed.remove_suffix(1);
    EXPECT_EQ(d.headers.Find(kAcah), std::optional<std::string_view>(trimmed)) << run;
    for (const char bad : {';', '\x01', '\xff', ' '}) {
      // A bad byte after the run (a space inside an item for ' ').
      const std::string line =
          separators + (bad == ' ' ? std::string("x- a") : std::string(1, bad));
      EXPECT_EQ(Preflight("/cred", app, "GET", {line}).reason, Reason::kHeaderNotAllowed)
          << run << " then " << static_cast<int>(bad);
    }
  }
}

TEST_F(EvaluateTest, RequestHeaderNamesAreCaseInsensitive) {
  const std::string app = "https://app.example.com";
  EXPECT_TRUE(Preflight("/cred", app, "GET", {"X-A,CONTENT-TYPE,content-Type"}).allowed);
  EXPECT_EQ(Preflight("/cred", app, "GET", {"x-a,x-aa"}).reason, Reason::kHeaderNotAllowed);
  // Bytes that are not tchars are refused by the lookup too, even those
  // that look like an allowed name's once their high bit or case is
  // dropped ("\xc1" is 'A' | 0x80).
  for (const char* bad : {"x-\xc1", "x-\xe1", "x-a;", "x;a", "x@a", "x-\x01", "x\x7f-a", "x-a b",
                          "content-type\x80", "content\x2dtype;"}) {
    EXPECT_EQ(Preflight("/cred", app, "GET", {std::string("x-a, ") + bad}).reason,
              Reason::kHeaderNotAllowed)
        << bad;
  }
  // Longer than any allowed name: refused without a lookup.
  EXPECT_EQ(Preflight("/cred", app, "GET", {std::string(300, 'x')}).reason,
            Reason::kHeaderNotAllowed);
  // No names at all: allowed, no ACAH.
  for (const char* empty : {"", ",", " , \t, ", ",,,,"}) {
    const Decision d = Preflight("/plain", app, "GET", {empty});
    EXPECT_TRUE(d.allowed) << Describe(d);
    EXPECT_FALSE(d.headers.Find(kAcah).has_value()) << Describe(d);
  }
}

TEST_F(EvaluateTest, AcahIsOneFieldPerLineThatNamesAHeader) {
  const Decision d =
      Preflight("/cred", "https://app.example.com", "GET", {" x-a ", " , ", "\tContent-Type"});
  EXPECT_TRUE(d.allowed) << Describe(d);
  EXPECT_EQ(Headers(d), (HeaderPairs{{kAcao, "https://app.example.com"},
                                     {kAcac, "true"},
                                     {kAcam, "GET, PUT, PATCH"},
                                     {kAcah, "x-a"},
                                     {kAcah, "Content-Type"},
                                     {kAcma, "600"},
                                     {kVary, kVaryPreflight}}));
  // 64 lines that name headers, the most D12 allows: 64 fields beside the
  // others, within HeaderList's room.
  std::vector<std::string> lines(64, "x-a");
  const Decision many = Preflight("/cred", "https://app.example.com", "GET", lines);
  EXPECT_TRUE(many.allowed);
  EXPECT_EQ(many.headers.size(), 64u + 5);
  EXPECT_LE(many.headers.size(), HeaderList::kCapacity);
}

TEST_F(EvaluateTest, RequestHeadersIgnoredOnActualRequests) {
  TestRequest r("GET", "/plain");
  r.H("Origin", "https://app.example.com").H("Access-Control-Request-Headers", "x-b");
  EXPECT_TRUE(Eval(r).allowed);
}

// ---------------------------------------------- private network (D14)

TEST_F(EvaluateTest, PrivateNetworkIsAskedOnlyByOneTrueLine) {
  auto preflight = [&](const std::string& path, const std::vector<std::string>& pn) {
    TestRequest& r = New("OPTIONS", path);
    r.H("Origin", "https://app.example.com").H("Access-Control-Request-Method", "GET");
    for (const std::string& line : pn) r.H("Access-Control-Request-Private-Network", line);
    return Eval(r);
  };
  EXPECT_EQ(preflight("/cred", {"true"}).reason, Reason::kPrivateNetworkNotAllowed);
  EXPECT_EQ(preflight("/cred", {" \ttrue "}).reason, Reason::kPrivateNetworkNotAllowed);
  for (const std::vector<std::string>& not_asking :
       std::vector<std::vector<std::string>>{{"TRUE"}, {"false"}, {""}, {"true", "true"}, {"1"}}) {
    const Decision on_plain = preflight("/cred", not_asking);
    EXPECT_TRUE(on_plain.allowed) << Describe(on_plain);
    const Decision on_pn = preflight("/pn/x", not_asking);
    EXPECT_TRUE(on_pn.allowed) << Describe(on_pn);
    EXPECT_FALSE(on_pn.headers.Find(kAcapn).has_value());
  }
  // Not checked on actual requests.
  TestRequest actual("GET", "/cred");
  actual.H("Origin", "https://app.example.com").H("Access-Control-Request-Private-Network", "true");
  EXPECT_TRUE(Eval(actual).allowed);
}

// ---------------------------------------------------------------- routes

// The routes of cases/09-route-precedence, with the route each path must
// choose.
TEST(RoutePrecedence, MostSpecificRouteWins) {
  SpecBuilder b;
  const uint32_t set = b.Set({"https://app.example.com"});
  const std::vector<std::string> patterns = {
      "/**",    "/{y}/k",    "/a/**",   "/a/{x}", "/a/b",      "/m/{x}/c", "/m/b/**",
      "/n/*/d", "/s/{id}/t", "/s/{id}", "/p/**",  "/p/{x}/**", "/p/{x}",   "/p"};
  for (const std::string& p : patterns) b.Route(p, set).methods = {"GET", "PUT"};
  b.CatchAll(set);
  auto table = b.Table();
  ASSERT_NE(table, nullptr);
  auto route_of = [&](const std::string& pattern) -> RuleId {
    for (size_t i = 0; i < patterns.size(); ++i) {
      if (patterns[i] == pattern) return static_cast<RuleId>(i);
    }
    return static_cast<RuleId>(patterns.size());  // the catch-all
  };
  const std::pair<const char*, const char*> kCases[] = {
      {"/a/b", "/a/b"},
      {"/a/c", "/a/{x}"},
      {"/a/b/c", "/a/**"},
      {"/a", "/a/**"},
      {"/z", "/**"},
      {"/z/y/x", "/**"},
      {"/", "/**"},
      {"/m/b/c", "/m/b/**"},
      {"/m/z/c", "/m/{x}/c"},
      {"/m/b", "/m/b/**"},
      {"/m/b/x/y", "/m/b/**"},
      {"/n/anything/d", "/n/*/d"},
      {"/n/x/d/e", "/**"},
      {"/q/k", "/{y}/k"},
      {"/a/k", "/a/{x}"},
      {"/m/k", "/{y}/k"},
      {"/m", "/**"},
      {"/s/42", "/s/{id}"},
      {"/s/42/t", "/s/{id}/t"},
      {"/s/42/u", "/**"},
      {"/a/b?x=1", "/a/b"},
      {"/a/c?next=/a/b", "/a/{x}"},
      {"/a/", "/a/**"},
      {"/a//b", "/a/**"},
      {"/p", "/p"},
      {"/p/", "/p/**"},
      {"/p/1", "/p/{x}"},
      {"/p/1/", "/p/{x}/**"},
      {"/p/1/2", "/p/{x}/**"},
      {"/p//", "/p/**"},
      {"/p//1", "/p/**"},
      {"/p?", "/p"},
      {"/p/1?/x", "/p/{x}"},
  };
  for (const auto& [path, pattern] : kCases) {
    TestRequest r("GET", path);
    r.H("Origin", "https://app.example.com");
    const Decision d = table->Evaluate(r.request());
    EXPECT_EQ(d.route, route_of(pattern))
        << path << " should take " << pattern << ": " << Describe(d);
  }
}

TEST(RoutePrecedence, PathsThatAreNotAbsoluteUseTheCatchAll) {
  SpecBuilder b;
  const uint32_t set = b.Set({"https://app.example.com"});
  b.Route("/**", set);
  auto no_catch_all = b.Table();
  b.CatchAll(set);
  auto with_catch_all = b.Table();
  ASSERT_NE(no_catch_all, nullptr);
  ASSERT_NE(with_catch_all, nullptr);
  for (const char* path : {"", "*", "a/b", "?/a", "http://x/a"}) {
    TestRequest r("GET", path);
    r.H("Origin", "https://app.example.com");
    EXPECT_EQ(no_catch_all->Evaluate(r.request()).reason, Reason::kNoRoute) << path;
    EXPECT_EQ(with_catch_all->Evaluate(r.request()).route, 1u) << path;
  }
}

TEST(RoutePrecedence, DeepPathsAndWideTries) {
  SpecBuilder b;
  const uint32_t set = b.Set({"https://app.example.com"});
  // A trie at the depth limit, and a path far deeper than it.
  std::string deep;
  for (int i = 0; i < 64; ++i) deep += "/{p" + std::to_string(i) + "}";
  b.Route(deep, set);
  b.Route(deep + "/**", set);
  b.Route("/x/**", set);
  auto table = b.Table();
  ASSERT_NE(table, nullptr);
  auto route = [&](const std::string& path) {
    TestRequest r("GET", path);
    r.H("Origin", "https://app.example.com");
    return table->Evaluate(r.request()).route;
  };
  std::string path64;
  for (int i = 0; i < 64; ++i) path64 += "/s";
  EXPECT_EQ(route(path64), 0u);
  EXPECT_EQ(route(path64 + "/t"), 1u);
  std::string huge;
  for (int i = 0; i < 100000; ++i) huge += "/s";
  EXPECT_EQ(route(huge), 1u);
  EXPECT_EQ(route("/x" + huge), 2u);
  EXPECT_EQ(route("/y/s"), kNoRule);
  EXPECT_EQ(route(path64.substr(0, 40)), kNoRule);
}

TEST(Evaluate, LargeExactSetsStillMatchEveryOrigin) {
  SpecBuilder b;
  std::vector<RuleId> rules;
  for (int i = 0; i < 5000; ++i) {
    rules.push_back(b.Rule("https://app-" + std::to_string(i) + ".example.com"));
  }
  b.CatchAll(b.SetOf(rules));
  auto table = b.Table();
  ASSERT_NE(table, nullptr);
  for (int i = 0; i < 5000; ++i) {
    TestRequest r("GET", "/");
    r.H("Origin", "https://app-" + std::to_string(i) + ".example.com");
    ASSERT_EQ(table->Evaluate(r.request()).origin_rule, rules[i]) << i;
  }
  for (int i = 5000; i < 6000; ++i) {
    TestRequest r("GET", "/");
    r.H("Origin", "https://app-" + std::to_string(i) + ".example.com");
    ASSERT_EQ(table->Evaluate(r.request()).origin_rule, kNoRule) << i;
  }
}

// RequestBuilder keeps every line up to one past what the engine reads, so
// that a request built header by header is decided as one given whole:
// 128 Access-Control-Request-Headers lines, 64 of them naming a header, are
// allowed; one more line, or one more line that names a header, refuses.
// Past its room, further lines replace the last one: "too many" stays
// "too many". Origin keeps its lines too (several lines match nothing but
// "*", D3).
TEST_F(EvaluateTest, RequestBuilderKeepsAsManyLinesAsTheEngineReads) {
  auto decide = [&](size_t named, size_t empty, size_t extra_named_after) {
    RequestBuilder b("OPTIONS", "/any-header");
    b.AddHeader("Origin", "https://app.example.com");
    b.AddHeader("Access-Control-Request-Method", "GET");
    for (size_t i = 0; i < named; ++i) b.AddHeader("Access-Control-Request-Headers", "x-a");
    for (size_t i = 0; i < empty; ++i) b.AddHeader("access-control-request-headers", "");
    for (size_t i = 0; i < extra_named_after; ++i) {
      b.AddHeader("Access-Control-Request-Headers", "x-b");
    }
    return table_->Evaluate(b.request());
  };
  EXPECT_TRUE(decide(64, 64, 0).allowed);
  EXPECT_EQ(decide(64, 64, 0).headers.size(), 64u + 3);  // ACAO, ACAM, 64 ACAH, Vary
  EXPECT_EQ(decide(64, 65, 0).reason, Reason::kHeaderNotAllowed);
  EXPECT_EQ(decide(65, 0, 0).reason, Reason::kHeaderNotAllowed);
  EXPECT_EQ(decide(64, 64, 1).reason, Reason::kHeaderNotAllowed);
  EXPECT_EQ(decide(1, 500, 0).reason, Reason::kHeaderNotAllowed);
  EXPECT_EQ(decide(1, 127, 0).headers.Find(kAcah), std::optional<std::string_view>("x-a"));

  RequestBuilder b("GET", "/cred");
  for (int i = 0; i < 20; ++i) b.AddHeader("Origin", "https://app.example.com");
  EXPECT_EQ(b.request().origin.size(), RequestBuilder::kMaxLinesPerHeader);
  EXPECT_EQ(table_->Evaluate(b.request()).reason, Reason::kOriginNotAllowed);
}

TEST(RequestKind, FromTheRequestAlone) {
  struct Case {
    std::string method;
    std::vector<std::pair<std::string, std::string>> headers;
    Kind kind;
  };
  const Case cases[] = {
      {"OPTIONS", {{"Access-Control-Request-Method", "PUT"}}, Kind::kNotCors},  // no Origin
      {"GET", {{"Origin", "https://a.example"}}, Kind::kActual},
      {"OPTIONS", {{"Origin", "https://a.example"}}, Kind::kActual},
      {"OPTIONS", {{"Origin", "x"}, {"access-control-request-method", "PUT"}}, Kind::kPreflight},
      {"OPTIONS", {{"Origin", "x"}, {"Access-Control-Request-Method", " \t"}}, Kind::kActual},
      {"options", {{"Origin", "x"}, {"Access-Control-Request-Method", "PUT"}}, Kind::kActual},
      {"OPTIONS",
       {{"Origin", "x"},
        {"Access-Control-Request-Method", ""},
        {"Access-Control-Request-Method", "PUT"}},
       Kind::kPreflight},
      {"OPTIONS", {{"Origin", ""}, {"Access-Control-Request-Method", "PUT"}}, Kind::kPreflight},
  };
  for (const Case& c : cases) {
    RequestBuilder b(c.method, "/");
    for (const auto& [name, value] : c.headers) b.AddHeader(name, value);
    EXPECT_EQ(RequestKind(b.request()), c.kind) << c.method << " " << c.headers.size();
  }
}

TEST(AsksPrivateNetwork, OneLineThatIsTrue) {
  auto asks = [](std::vector<std::string> lines) {
    RequestBuilder b("OPTIONS", "/");
    for (const std::string& l : lines) b.AddHeader("Access-Control-Request-Private-Network", l);
    return AsksPrivateNetwork(b.request());
  };
  EXPECT_TRUE(asks({"true"}));
  EXPECT_TRUE(asks({" true\t"}));
  EXPECT_FALSE(asks({}));
  EXPECT_FALSE(asks({"TRUE"}));
  EXPECT_FALSE(asks({"false"}));
  EXPECT_FALSE(asks({"true", "true"}));
}

}  // namespace
}  // namespace corsc::testing

// Copyright corsc developers.
//
// Every origin-matching strategy (table, re2set, linear, naive) on the
// cases that tell them apart if one is wrong: which rule D1 reports when
// several match, D2's canonical origins, regex anchoring, and the regexes
// the naive strategy must leave to RE2. The differential tests
// (differential_test.cc here and tests/reference) then hold all four to
// the reference evaluator on random policies.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "corsc/table.h"
#include "origin_matcher.h"
#include "regex_plan.h"
#include "test_util.h"

namespace corsc::testing {
namespace {

const Strategy kAll[] = {Strategy::kTable, Strategy::kRe2Set, Strategy::kLinear, Strategy::kNaive};

struct Case {
  const char* origin;
  RuleId rule;
};

class StrategyTest : public ::testing::TestWithParam<Strategy> {
 protected:
  // The catch-all route over `set`, built with the strategy under test.
  std::shared_ptr<const CompiledTable> Table(SpecBuilder& b, uint32_t set) {
    b.CatchAll(set).methods = {"GET"};
    b.spec().strategy = GetParam();
    auto table = b.Table();
    if (table != nullptr) {
      EXPECT_EQ(table->strategy(), GetParam());
    }
    return table;
  }

  void Expect(const CompiledTable& table, const std::vector<Case>& cases) {
    for (const Case& c : cases) {
      TestRequest r("GET", "/");
      r.H("Origin", c.origin);
      const Decision d = table.Evaluate(r.request());
      EXPECT_EQ(d.origin_rule, c.rule)
          << StrategyName(GetParam()) << ", " << c.origin << ": " << Describe(d);
      EXPECT_EQ(d.allowed, c.rule != kNoRule) << StrategyName(GetParam()) << ", " << c.origin;
    }
  }
};

// D1: exact, then host-any-port, then the longest subdomain suffix (an
// explicit port or none before ":*"), then regexes in list order; the
// first of two equal rules. The list is written least specific first.
TEST_P(StrategyTest, MostSpecificRuleIsReported) {
  SpecBuilder b;
  const RuleId regex_all = b.Rule(R"(regex:^https://.*$)");
  const RuleId sub = b.Rule("https://*.example.com");
  const RuleId sub_any_port = b.Rule("https://*.example.com:*");
  const RuleId sub_deep = b.Rule("https://*.a.example.com");
  const RuleId sub_deep_dup = b.Rule("https://*.a.example.com");
  const RuleId host_any_port = b.Rule("https://x.a.example.com:*");
  const RuleId exact = b.Rule("https://y.a.example.com");
  const RuleId exact_dup = b.Rule("https://y.a.example.com");
  const RuleId sub_port = b.Rule("https://*.b.example.com:8443");
  const RuleId sub_port_any = b.Rule("https://*.b.example.com:*");
  const RuleId regex_second = b.Rule(R"(regex:^https://z\..*$)");
  auto table =
      Table(b, b.SetOf({regex_all, sub_any_port, sub, sub_deep, sub_deep_dup, host_any_port, exact,
                        exact_dup, sub_port_any, sub_port, regex_second}));
  ASSERT_NE(table, nullptr);
  Expect(*table, {
                     {"https://y.a.example.com", exact},
                     {"https://x.a.example.com", host_any_port},
                     {"https://x.a.example.com:9", host_any_port},
                     {"https://w.a.example.com", sub_deep},
                     {"https://v.w.a.example.com", sub_deep},
                     {"https://w.example.com", sub},
                     {"https://w.example.com:8080", sub_any_port},
                     {"https://a.example.com:8080", sub_any_port},
                     {"https://c.b.example.com:8443", sub_port},
                     {"https://c.b.example.com:9443", sub_port_any},
                     {"https://c.b.example.com", sub_port_any},
                     {"https://z.other.net", regex_all},
                     {"https://other.net", regex_all},
                     {"http://other.net", kNoRule},
                 });
}

TEST_P(StrategyTest, ExactBeatsWildcardWhateverTheListOrder) {
  SpecBuilder b;
  const RuleId sub = b.Rule("https://*.example.com");
  const RuleId local = b.Rule("http://localhost:*");
  const RuleId exact = b.Rule("https://a.example.com");
  const RuleId local_exact = b.Rule("http://localhost:3000");
  auto table = Table(b, b.SetOf({sub, local, exact, local_exact}));
  ASSERT_NE(table, nullptr);
  Expect(*table, {{"https://a.example.com", exact},
                  {"http://localhost:3000", local_exact},
                  {"http://localhost:3001", local},
                  {"http://localhost", local},
                  {"https://b.example.com", sub}});
}

// D2: wildcards and regexes match canonical origins only; exact patterns
// match byte for byte, "null" included.
TEST_P(StrategyTest, NonCanonicalOriginsMatchOnlyExactPatterns) {
  SpecBuilder b;
  const RuleId null = b.Rule("null");
  const RuleId sub = b.Rule("https://*.example.com");
  const RuleId local = b.Rule("http://localhost:*");
  const RuleId v6 = b.Rule("http://[::1]:*");
  const RuleId regex = b.Rule(R"(regex:(?i)https://a\.test(:443)?/?)");
  auto table = Table(b, b.SetOf({null, sub, local, v6, regex}));
  ASSERT_NE(table, nullptr);
  Expect(*table, {
                     {"null", null},
                     {"NULL", kNoRule},
                     {"https://a.example.com", sub},
                     {"https://A.example.com", kNoRule},
                     {"https://a..example.com", kNoRule},
                     {"https://.example.com", kNoRule},
                     {"https://a.example.com.", kNoRule},
                     {"https://a.example.com:443", kNoRule},
                     {"https://a.example.com:08443", kNoRule},
                     {"https://a.example.com/", kNoRule},
                     {"https://user@a.example.com", kNoRule},
                     {"https://example.com", kNoRule},
                     {"https://evil-example.com", kNoRule},
                     {"https://example.com.evil.net", kNoRule},
                     {"http://localhost:80", kNoRule},
                     {"http://localhost:1234", local},
                     {"http://[::1]:3000", v6},
                     {"http://[0:0::1]:3000", kNoRule},
                     {"https://a.test", regex},
                     {"https://A.test", kNoRule},
                     {"https://a.test:443", kNoRule},
                     {"https://a.test/", kNoRule},
                 });
}

TEST_P(StrategyTest, RegexesAreAnchoredAtBothEnds) {
  SpecBuilder b;
  const RuleId re = b.Rule(R"(regex:https://a\.example\.com)");
  const RuleId alt = b.Rule(R"(regex:https://b\.test|https://c\.test)");
  const RuleId cls = b.Rule(R"(regex:^https://pr-[0-9]{1,4}\.preview\.example\.net$)");
  auto table = Table(b, b.SetOf({re, alt, cls}));
  ASSERT_NE(table, nullptr);
  Expect(*table, {{"https://a.example.com", re},
                  {"https://a.example.com.evil.net", kNoRule},
                  {"https://xa.example.com", kNoRule},
                  {"https://b.test", alt},
                  {"https://c.test", alt},
                  {"https://b.test.evil", kNoRule},
                  {"https://xc.test", kNoRule},
                  {"https://pr-12.preview.example.net", cls},
                  {"https://pr-12345.preview.example.net", kNoRule}});
}

// An Origin longer than any canonical origin (kMaxOriginLength) matches no
// pattern, even one whose regex would accept it (D2), and a very long one
// is refused without trouble by every strategy.
TEST_P(StrategyTest, OverlongOriginsMatchNothing) {
  SpecBuilder b;
  const RuleId any_https = b.Rule(R"(regex:^https://.*$)");
  const RuleId sub = b.Rule("https://*.example.com");
  auto table = Table(b, b.SetOf({any_https, sub}));
  ASSERT_NE(table, nullptr);
  const std::string at_limit = "https://" + std::string(kMaxOriginLength - 8, 'a');
  const std::string too_long = at_limit + "a";
  const std::string huge = "https://" + std::string(200000, 'a') + ".example.com";
  Expect(*table,
         {{at_limit.c_str(), any_https}, {too_long.c_str(), kNoRule}, {huge.c_str(), kNoRule}});
}

TEST_P(StrategyTest, ManyOriginsStillMatchEveryOne) {
  SpecBuilder b;
  std::vector<std::string> patterns;
  for (int i = 0; i < 300; ++i)
    patterns.push_back("https://t" + std::to_string(i) + ".example.com");
  for (int i = 0; i < 30; ++i)
    patterns.push_back("https://*.w" + std::to_string(i) + ".example.org");
  auto table = Table(b, b.Set(patterns));
  ASSERT_NE(table, nullptr);
  std::vector<Case> cases;
  std::vector<std::string> origins;
  origins.reserve(400);
  for (int i = 0; i < 300; i += 7) {
    origins.push_back("https://t" + std::to_string(i) + ".example.com");
    cases.push_back({origins.back().c_str(), static_cast<RuleId>(i)});
  }
  for (int i = 0; i < 30; i += 3) {
    origins.push_back("https://a.b.w" + std::to_string(i) + ".example.org");
    cases.push_back({origins.back().c_str(), static_cast<RuleId>(300 + i)});
  }
  cases.push_back({"https://t300.example.com", kNoRule});
  cases.push_back({"https://w1.example.org", kNoRule});
  Expect(*table, cases);
}

// The edges of a regex's literal prefix and suffix, which the `table`
// strategy compares a word at a time before anything else: values that
// agree on the first or last 8 bytes and differ further in, values
// shorter than the prefix, than the suffix, or than 16 bytes, and "null".
// The regexes sit in two lists so that each list reads its own filters.
TEST_P(StrategyTest, RegexPrefixAndSuffixEdges) {
  SpecBuilder b;
  const RuleId pr = b.Rule(R"(regex:^https://pr-[0-9]+\.preview\.example-corp\.com$)");
  const RuleId any = b.Rule(R"(regex:^https?://[a-z]+\.dev$)");
  const RuleId tld = b.Rule(R"(regex:^https://[a-z0-9-]+\.staging\.example-corp\.com$)");
  const uint32_t first = b.SetOf({pr, any});
  const uint32_t second = b.SetOf({tld});
  b.Route("/second", second).methods = {"GET"};
  auto table = Table(b, first);
  ASSERT_NE(table, nullptr);
  Expect(*table, {{"https://pr-7.preview.example-corp.com", pr},
                  {"https://pq-7.preview.example-corp.com", kNoRule},  // 11th byte
                  {"https://pr-7.preview.example-corq.com", kNoRule},  // 9th byte from the end
                  {"https://pr-7.preview.examplecorp.com", kNoRule},
                  {"https://pr-.preview.example-corp.com", kNoRule},
                  {"https://pr-7.staging.example-corp.com", kNoRule},  // the other list's
                  {"https://pr-", kNoRule},
                  {"https://a.dev", any},  // 13 bytes
                  {"http://a.dev", any},
                  {"https://.dev", kNoRule},
                  {"http://dev", kNoRule},
                  {"https://", kNoRule},
                  {"null", kNoRule},
                  {"https://A.dev", kNoRule}});
  for (const char* value : {"https://x-1.staging.example-corp.com",
                            "https://pr-7.preview.example-corp.com", "https://a.dev"}) {
    TestRequest r("GET", "/second");
    r.H("Origin", value);
    const Decision d = table->Evaluate(r.request());
    EXPECT_EQ(d.origin_rule,
              std::string_view(value).find("staging") != std::string_view::npos ? tld : kNoRule)
        << StrategyName(GetParam()) << ", " << value;
  }
}

// Several origin lists, each of many exact origins of one length, so that
// candidates share a length and often a hash tag, and only the text tells
// them apart: every origin is found in its own list, under its own rule,
// and in no other; one byte off, at the same length, matches nothing.
// (The `table` strategy keeps each list's rule texts in an array made at
// load time; this holds it to the right slots of the right list.)
TEST_P(StrategyTest, EqualLengthExactOriginsInSeveralLists) {
  constexpr int kLists = 3;
  constexpr int kPerList = 400;
  SpecBuilder b;
  auto origin = [](int list, int i, char tld) {
    char host[32];
    std::snprintf(host, sizeof(host), "https://l%d-n%04d.example.%c%c", list, i, tld, tld);
    return std::string(host);
  };
  std::vector<uint32_t> sets;
  for (int list = 0; list < kLists; ++list) {
    std::vector<std::string> patterns;
    for (int i = 0; i < kPerList; ++i) patterns.push_back(origin(list, i, 'c'));
    sets.push_back(b.Set(patterns));
    b.Route("/l" + std::to_string(list), sets.back()).methods = {"GET"};
  }
  b.spec().strategy = GetParam();
  auto table = b.Table();
  ASSERT_NE(table, nullptr);
  for (int list = 0; list < kLists; ++list) {
    for (int i = 0; i < kPerList; i += 3) {
      for (int on = 0; on < kLists; ++on) {
        TestRequest r("GET", "/l" + std::to_string(on));
        const std::string value = origin(list, i, 'c');
        r.H("Origin", value);
        const Decision d = table->Evaluate(r.request());
        const RuleId want = on == list ? static_cast<RuleId>(list * kPerList + i) : kNoRule;
        EXPECT_EQ(d.origin_rule, want)
            << StrategyName(GetParam()) << ", " << value << " on /l" << on;
      }
      TestRequest r("GET", "/l" + std::to_string(list));
      const std::string near = origin(list, i, 'x');
      r.H("Origin", near);
      EXPECT_EQ(table->Evaluate(r.request()).origin_rule, kNoRule)
          << StrategyName(GetParam()) << ", " << near;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Strategies, StrategyTest, ::testing::ValuesIn(kAll),
                         [](const ::testing::TestParamInfo<Strategy>& info) {
                           return std::string(StrategyName(info.param));
                         });

TEST(NaiveStrategy, KeepsRe2ForRegexesStdRegexMightReadDifferently) {
  for (const char* same :
       {R"(^https://pr-[0-9]+\.preview\.example\.net$)", R"(https://[a-z]+\.dev\.example\.org)",
        R"(^http://localhost:(3000|5173)$)", R"(https://.*\.example\.com)",
        R"(https://(?:a|b)\.test)", R"(https://x{2,3}\.test)", R"(https://[^.]+\.test)",
        R"(https://\d+\.test)"}) {
    EXPECT_TRUE(RegexReadsAlikeInEcmaScript(same)) << same;
  }
  for (const char* other :
       {R"((?i)^https://static\.example\.com$)", R"(https://\w+\.test)",
        R"(https://(?P<n>a)\.test)", R"(\Ahttps://a\.test\z)", R"(https://\pL+\.test)",
        R"(https://[[:alpha:]]+\.test)", R"(https://[]a]\.test)", R"(https://a{,2}\.test)",
        "https://\xc3\xa9\\.test", R"(https://a\b)"}) {
    EXPECT_FALSE(RegexReadsAlikeInEcmaScript(other)) << other;
  }
}

}  // namespace
}  // namespace corsc::testing

namespace corsc::testing {
namespace {

// The `table` strategy's regex plans: the literal prefix and suffix every
// match has, and the shapes it matches without RE2. The differential tests
// check the answers; this checks that the plans are what they should be.
TEST(RegexPlan, PrefixSuffixAndSimpleShape) {
  struct Case {
    const char* re;
    const char* prefix;
    const char* suffix;
    bool simple;
  };
  const Case kCases[] = {
      {R"(^https://pr-[0-9]+\.preview\.example\.net$)", "https://pr-", ".preview.example.net",
       true},
      {R"(https://[a-z]+\.dev\.example\.org)", "https://", ".dev.example.org", true},
      {R"(https://.*\.example\.com)", "https://", ".example.com", true},
      {R"(^https://a\.test$)", "https://a.test", "", true},
      {R"(^http://localhost:(3000|5173)$)", "http://localhost:", "", false},
      {R"(https://x{2,3}\.test)", "https://", ".test", false},
      {R"(https://ab?c\.test)", "https://a", "c.test", false},
      {R"(https://\w+\.test)", "https://", ".test", false},
      {R"(https://[^.]+\.test)", "https://", ".test", true},
      // Not understood as a whole: RE2 alone decides.
      {R"((?i)^https://static\.example\.com$)", "", "", false},
      {R"(https://a\.test|https://b\.test)", "", "", false},
      {R"(https://a{,2}\.test)", "", "", false},
      {"https://\xc3\xa9\\.test", "", "", false},
  };
  for (const Case& c : kCases) {
    const RegexPlan plan = AnalyzeRegex(c.re);
    EXPECT_EQ(plan.prefix, c.prefix) << c.re;
    EXPECT_EQ(plan.suffix, c.suffix) << c.re;
    EXPECT_EQ(plan.simple, c.simple) << c.re;
  }
  const RegexPlan pr = AnalyzeRegex(R"(^https://pr-[0-9]+\.preview\.example\.net$)");
  EXPECT_TRUE(pr.Possible("https://pr-12.preview.example.net"));
  EXPECT_TRUE(pr.Match("https://pr-12.preview.example.net"));
  EXPECT_FALSE(pr.Match("https://pr-.preview.example.net"));
  EXPECT_FALSE(pr.Match("https://pr-1a.preview.example.net"));
  EXPECT_FALSE(pr.Possible("https://pr-1.preview.example.net.evil"));
  EXPECT_FALSE(pr.Possible("https://tenant-1.example.com"));
  const RegexPlan negated = AnalyzeRegex(R"(https://[^.]+\.test)");
  EXPECT_TRUE(negated.Match("https://a-b_c.test"));
  EXPECT_FALSE(negated.Match("https://a.b.test"));
}

// RegexPlan::canonical_matches: only when no middle can make a match
// non-canonical.
TEST(RegexPlan, CanonicalMatchesOnlyWhenEveryMatchIsCanonical) {
  struct Case {
    const char* re;
    bool canonical;
  };
  const Case kCases[] = {
      {R"(^https://pr-[0-9]+\.preview\.example\.net$)", true},
      {R"(^https://[a-z0-9-]+\.staging\.example\.com$)", true},
      {R"(^https://x[0-9]*\.y\.test:8443$)", true},
      {R"(^https://[^.]+\.test$)", false},           // the class holds ':', '/', upper case
      {R"(^https://.*\.example\.com$)", false},      // and '.'
      {R"(^https://[a-z]*\.example\.com$)", false},  // "https://.example.com"
      {R"(^https://k\.[a-z]*\.z\.test$)", false},    // "https://k..z.test"
      {R"(^https://[a-z]+$)", false},                // the middle is in the last label
      {R"(^http://[0-9]+\.0\.0\.1$)", false},        // an IPv4 address
      {R"(^http://localhost:[0-9]+$)", false},       // the middle is the port
      {R"(^https://[a-z]+\.test:0443$)", false},     // a bad port around any middle
      {R"(^https://[A-Z]+\.test$)", false},          // upper case
      {R"(^https://a\.test$)", false},               // not simple: no middle
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(AnalyzeRegex(c.re).canonical_matches, c.canonical) << c.re;
  }
}

}  // namespace
}  // namespace corsc::testing

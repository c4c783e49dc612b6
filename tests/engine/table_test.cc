// Copyright corsc developers.
//
// The table as a value: BuildTable -> Open -> Describe round trips,
// determinism, what the builder refuses, rule information, statistics,
// strategies, and the structural size of exact origins.

#include "corsc/table.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "test_util.h"

namespace corsc::testing {
namespace {

// A spec that uses every field: several files, rules of every kind with
// locations in several files, a profile, shared and empty sets.
SpecBuilder Everything() {
  SpecBuilder b;
  TableSpec& spec = b.spec();
  spec.policy_name = "everything";
  spec.profile = "dev";
  spec.files = {"policies/00-base.toml", "policies/10-more.toml", "policies/20-dev.toml"};
  const RuleId exact = b.Rule("https://app.example.com", 5);
  const RuleId null = b.Rule("null", 6);
  const RuleId port = b.Rule("https://app.example.com:8443", 7);
  const RuleId v6 = b.Rule("http://[::1]:*", 8);
  const RuleId local = b.Rule("http://localhost:*", 9);
  const RuleId sub = b.Rule("https://*.example.com", 10);
  const RuleId sub_port = b.Rule("https://*.example.org:8443", 11);
  const RuleId sub_any = b.Rule("http://*.localhost:*", 12);
  const RuleId regex = b.Rule(R"(regex:^https://pr-[0-9]+\.preview\.example\.net$)", 13);
  const RuleId star = b.Rule("*", 14);
  spec.origin_rules[local].where.file = 2;
  spec.origin_rules[sub_any].where = SourceLocation{2, 3, 17};
  spec.origin_rules[regex].where.file = 1;
  spec.origin_rules[star].where.file = 1;
  const uint32_t main = b.SetOf({exact, null, port, v6, sub, sub_port, regex, exact});
  const uint32_t dev = b.SetOf({exact, local, sub_any, regex});
  const uint32_t stars = b.SetOf({star});
  const uint32_t none = b.SetOf({});

  RouteSpec& d = b.CatchAll(main);
  d.where = SourceLocation{0, 4, 1};
  d.methods = {"GET", "POST", "PURGE"};
  d.allow_headers = {"content-type", "authorization"};
  d.expose_headers = {"x-request-id", "X-Trace"};
  d.credentials = true;
  d.max_age = 600;
  RouteSpec& users = b.Route("/api/v1/users/{id}", main);
  users.where = SourceLocation{1, 20, 1};
  users.methods = {"GET", "PUT", "DELETE"};
  users.private_network = true;
  users.preflight_status = 200;
  users.max_age = 0;
  RouteSpec& pub = b.Route("/public/**", stars);
  pub.methods = {"*"};
  pub.allow_headers = {"*"};
  pub.expose_headers = {"*"};
  b.Route("/internal/**", none);
  b.Route("/dev/*/x//", dev).allow_headers = {"x-a", "x-a"};
  return b;
}

std::vector<SpecBuilder> Specs() {
  std::vector<SpecBuilder> out;
  out.push_back(Everything());
  out.push_back(Storefront());
  out.push_back(SpecBuilder());  // no rules, no routes at all
  SpecBuilder only_catch_all;
  only_catch_all.CatchAll(only_catch_all.Set({"https://a.test"}));
  out.push_back(std::move(only_catch_all));
  SpecBuilder no_files;
  no_files.spec().files.clear();
  no_files.Route("/", no_files.Set({"https://a.test", "https://*.b.test"}));
  out.push_back(std::move(no_files));
  return out;
}

TEST(Table, DescribeGivesTheSpecBack) {
  for (SpecBuilder& b : Specs()) {
    Result<std::string> bytes = BuildTable(b.spec());
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    auto table = CompiledTable::Open(*bytes);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    const TableSpec described = (*table)->Describe();
    EXPECT_TRUE(described == b.spec()) << b.spec().policy_name;
    // Field by field, for a readable failure.
    EXPECT_EQ(described.policy_name, b.spec().policy_name);
    EXPECT_EQ(described.profile, b.spec().profile);
    EXPECT_EQ(described.files, b.spec().files);
    ASSERT_EQ(described.origin_rules.size(), b.spec().origin_rules.size());
    for (size_t i = 0; i < described.origin_rules.size(); ++i) {
      EXPECT_TRUE(described.origin_rules[i] == b.spec().origin_rules[i])
          << "rule " << i << " " << b.spec().origin_rules[i].text;
    }
    ASSERT_EQ(described.routes.size(), b.spec().routes.size());
    for (size_t i = 0; i < described.routes.size(); ++i) {
      EXPECT_TRUE(described.routes[i] == b.spec().routes[i]) << "route " << i;
    }
    // And the description builds the very same bytes.
    Result<std::string> again = BuildTable(described);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *bytes);
  }
}

TEST(Table, BuildIsDeterministic) {
  SpecBuilder b = Everything();
  Result<std::string> one = BuildTable(b.spec());
  const TableSpec copy = b.spec();
  Result<std::string> two = BuildTable(copy);
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(*one, *two);
  EXPECT_EQ(one->size() % 8, 0u);
}

TEST(Table, InMemoryAndReopenedTablesDecideAlike) {
  SpecBuilder b = Everything();
  auto built = CompiledTable::FromSpec(b.spec());
  ASSERT_TRUE(built.ok());
  // Re-open from a copy at an odd address: Open copies into its own
  // aligned buffer.
  std::string shifted = " " + std::string((*built)->bytes());
  auto reopened = CompiledTable::Open(std::string_view(shifted).substr(1));
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  shifted.assign(shifted.size(), 'x');  // the table keeps its own copy
  EXPECT_EQ((*reopened)->bytes(), (*built)->bytes());

  const char* origins[] = {"https://app.example.com",
                           "https://a.example.com",
                           "null",
                           "http://[::1]:3000",
                           "https://app.example.com:8443",
                           "https://x.example.org:8443",
                           "https://pr-7.preview.example.net",
                           "http://localhost:1",
                           "http://a.localhost:2",
                           "https://evil.test",
                           ""};
  const char* paths[] = {"/",          "/api/v1/users/1", "/public/x", "/internal/x",
                         "/dev/a/x//", "/dev/a/x/",       "relative"};
  for (const char* origin : origins) {
    for (const char* path : paths) {
      for (int kind = 0; kind < 3; ++kind) {
        TestRequest r(kind == 2 ? "OPTIONS" : "GET", path);
        if (kind != 0) r.H("Origin", origin);
        if (kind == 2) {
          r.H("Access-Control-Request-Method", "PUT")
              .H("Access-Control-Request-Headers", "x-a, authorization")
              .H("Access-Control-Request-Private-Network", "true");
        }
        const Decision a = (*built)->Evaluate(r.request());
        const Decision c = (*reopened)->Evaluate(r.request());
        EXPECT_EQ(Describe(a), Describe(c)) << origin << " " << path;
      }
    }
  }
}

TEST(Table, RuleInfo) {
  SpecBuilder b = Everything();
  auto table = CompiledTable::FromSpec(b.spec());
  ASSERT_TRUE(table.ok());
  const TableSpec& spec = b.spec();
  for (RuleId i = 0; i < spec.origin_rules.size(); ++i) {
    const RuleInfo info = (*table)->origin_rule_info(i);
    EXPECT_EQ(info.text, spec.origin_rules[i].text);
    EXPECT_EQ(info.file, spec.files[spec.origin_rules[i].where.file]) << i;
    EXPECT_EQ(info.line, spec.origin_rules[i].where.line);
    EXPECT_EQ(info.column, spec.origin_rules[i].where.column);
  }
  for (RuleId i = 0; i < spec.routes.size(); ++i) {
    const RuleInfo info = (*table)->route_info(i);
    EXPECT_EQ(info.text, spec.routes[i].pattern);
    EXPECT_EQ(info.file, spec.files[spec.routes[i].where.file]);
    EXPECT_EQ(info.line, spec.routes[i].where.line);
    EXPECT_EQ(info.column, spec.routes[i].where.column);
  }
  EXPECT_EQ((*table)->route_info(0).text, "[defaults]");
  EXPECT_EQ((*table)->origin_rule_info(5).text, "https://*.example.com");
  // Without files, the file is empty.
  SpecBuilder no_files;
  no_files.spec().files.clear();
  no_files.Route("/", no_files.Set({"https://a.test"}));
  auto bare = CompiledTable::FromSpec(no_files.spec());
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ((*bare)->route_info(0).file, "");
  EXPECT_EQ((*bare)->origin_rule_info(0).file, "");
  EXPECT_EQ((*bare)->origin_rule_info(0).text, "https://a.test");
}

TEST(Table, StatsAndNames) {
  SpecBuilder b = Everything();
  auto table = CompiledTable::FromSpec(b.spec());
  ASSERT_TRUE(table.ok());
  const TableStats s = (*table)->stats();
  EXPECT_EQ(s.routes, 5u);
  EXPECT_EQ(s.origin_rules, 10u);
  EXPECT_EQ(s.exact_origins, 3u);
  EXPECT_EQ(s.wildcard_origins, 5u);
  EXPECT_EQ(s.regex_origins, 1u);
  EXPECT_EQ(s.bytes, (*table)->bytes().size());
  EXPECT_EQ((*table)->policy_name(), "everything");
  EXPECT_EQ((*table)->profile(), "dev");
  EXPECT_EQ((*table)->strategy(), Strategy::kTable);
}

TEST(Table, StrategyNames) {
  for (Strategy s : {Strategy::kTable, Strategy::kRe2Set, Strategy::kLinear, Strategy::kNaive}) {
    EXPECT_EQ(ParseStrategy(StrategyName(s)), s);
  }
  EXPECT_EQ(StrategyName(Strategy::kTable), "table");
  EXPECT_EQ(StrategyName(Strategy::kRe2Set), "re2set");
  EXPECT_EQ(StrategyName(Strategy::kLinear), "linear");
  EXPECT_EQ(StrategyName(Strategy::kNaive), "naive");
  EXPECT_FALSE(ParseStrategy("TABLE").has_value());
  EXPECT_FALSE(ParseStrategy("").has_value());
}

TEST(Table, EveryStrategyLoadsAndDecidesAlike) {
  SpecBuilder base = Storefront();
  auto reference = base.Table();
  ASSERT_NE(reference, nullptr);
  for (Strategy s : {Strategy::kRe2Set, Strategy::kLinear, Strategy::kNaive}) {
    SpecBuilder b = Storefront();
    b.spec().strategy = s;
    Result<std::string> bytes = BuildTable(b.spec());
    ASSERT_TRUE(bytes.ok());
    auto table = CompiledTable::Open(*bytes);
    ASSERT_TRUE(table.ok()) << StrategyName(s) << ": " << table.status().ToString();
    EXPECT_EQ((*table)->strategy(), s);
    EXPECT_EQ((*table)->Describe(), b.spec());
    for (const char* origin : {"https://app.example.com", "https://a.example.com",
                               "https://evil-example.com", "null", "https://A.example.com"}) {
      TestRequest r("GET", "/api/v1/users/42");
      r.H("Origin", origin);
      EXPECT_EQ(Describe((*table)->Evaluate(r.request())),
                Describe(reference->Evaluate(r.request())))
          << StrategyName(s) << ", " << origin;
    }
  }
}

TEST(Table, RegexMemoryBudgetIsApplied) {
  SpecBuilder b;
  b.CatchAll(b.Set({"regex:^https://(a|b|c|d|e|f|g|h){1,300}\\.example$"}));
  Result<std::string> bytes = BuildTable(b.spec());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  OpenOptions tiny;
  tiny.regex_max_mem = 1024;
  auto table = CompiledTable::Open(*bytes, tiny);
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), Status::Code::kCorruption);
  EXPECT_NE(table.status().message().find("does not compile"), std::string::npos);
  EXPECT_TRUE(CompiledTable::Open(*bytes).ok());
}

// ------------------------------------------------------------ refusals

struct Refusal {
  const char* what;
  void (*mutate)(TableSpec*);
  const char* message_part;
};

void Refuses(const Refusal& r) {
  SpecBuilder b = Everything();
  r.mutate(&b.spec());
  Result<std::string> bytes = BuildTable(b.spec());
  ASSERT_FALSE(bytes.ok()) << r.what;
  EXPECT_EQ(bytes.status().code(), Status::Code::kInvalidArgument) << r.what;
  EXPECT_NE(bytes.status().message().find(r.message_part), std::string::npos)
      << r.what << ": " << bytes.status().message();
}

TEST(BuildTable, RefusesInconsistentSpecs) {
  const Refusal kRefusals[] = {
      {"unknown strategy", [](TableSpec* s) { s->strategy = static_cast<Strategy>(9); },
       "unknown strategy"},
      {"unknown kind", [](TableSpec* s) { s->origin_rules[0].kind = static_cast<OriginKind>(7); },
       "unknown kind"},
      {"rule file out of range", [](TableSpec* s) { s->origin_rules[0].where.file = 3; },
       "file index 3"},
      {"route file out of range", [](TableSpec* s) { s->routes[1].where.file = 9; },
       "file index 9"},
      {"exact not canonical",
       [](TableSpec* s) { s->origin_rules[0].text = "https://App.example.com"; },
       "not a canonical origin"},
      {"exact parts disagree", [](TableSpec* s) { s->origin_rules[0].host = "other.example.com"; },
       "disagree"},
      {"exact default port",
       [](TableSpec* s) {
         s->origin_rules[2].text = "https://app.example.com:443";
         s->origin_rules[2].port = 443;
       },
       "not a canonical origin"},
      {"null with parts", [](TableSpec* s) { s->origin_rules[1].scheme = "https"; }, "null"},
      {"star with parts", [](TableSpec* s) { s->origin_rules[9].host = "x"; }, "must be empty"},
      {"bad regex", [](TableSpec* s) { s->origin_rules[8].text = "(unclosed"; },
       "does not compile"},
      {"wildcard above an IP", [](TableSpec* s) { s->origin_rules[5].host = "0.0.1"; },
       "subdomain wildcard"},
      {"wildcard host upper case", [](TableSpec* s) { s->origin_rules[5].host = "Example.com"; },
       "subdomain wildcard"},
      {"host-any-port without kAnyPort", [](TableSpec* s) { s->origin_rules[4].port = 80; },
       "kAnyPort"},
      {"wildcard default port", [](TableSpec* s) { s->origin_rules[5].port = 443; },
       "not canonical"},
      {"wildcard port too large", [](TableSpec* s) { s->origin_rules[5].port = 70000; },
       "not canonical"},
      {"text too long",
       [](TableSpec* s) { s->origin_rules[8].text = "^" + std::string(70000, 'a') + "$"; },
       "longer than 65535"},
      {"set rule out of range", [](TableSpec* s) { s->origin_sets[0].rules.push_back(99); },
       "rule 99 is out of range"},
      {"route set out of range", [](TableSpec* s) { s->routes[1].origin_set = 4; },
       "origin set 4 is out of range"},
      {"bad path pattern", [](TableSpec* s) { s->routes[1].pattern = "/a/**/b"; },
       "bad path pattern"},
      {"duplicate shape",
       [](TableSpec* s) {
         RouteSpec r = s->routes[1];
         r.pattern = "/api/v1/users/*";
         s->routes.push_back(r);
       },
       "same shape"},
      {"two catch-alls", [](TableSpec* s) { s->routes.push_back(s->routes[0]); },
       "second catch-all"},
      {"too deep",
       [](TableSpec* s) {
         std::string p;
         for (int i = 0; i < 65; ++i) p += "/a";
         s->routes[1].pattern = p;
       },
       "more than 64 segments"},
      {"method not a token", [](TableSpec* s) { s->routes[1].methods.push_back("G T"); },
       "not a token"},
      {"header upper case", [](TableSpec* s) { s->routes[1].allow_headers = {"X-A"}; },
       "not lower case"},
      {"header not a token", [](TableSpec* s) { s->routes[1].allow_headers = {"x a"}; },
       "not a token"},
      {"header too long",
       [](TableSpec* s) { s->routes[1].allow_headers = {std::string(257, 'x')}; },
       "longer than 256"},
      {"expose not a token", [](TableSpec* s) { s->routes[1].expose_headers = {"x,y"}; },
       "not a token"},
      {"max_age too large", [](TableSpec* s) { s->routes[1].max_age = 2147483648u; }, "max_age"},
      {"preflight status", [](TableSpec* s) { s->routes[1].preflight_status = 201; },
       "preflight_status"},
      {"star with credentials", [](TableSpec* s) { s->routes[2].credentials = true; },
       "with credentials"},
  };
  for (const Refusal& r : kRefusals) Refuses(r);
}

TEST(BuildTable, AcceptsTheLimits) {
  SpecBuilder b = Everything();
  std::string p;
  for (int i = 0; i < 64; ++i) p += "/a";
  b.spec().routes[1].pattern = p + "/**";
  b.spec().routes[1].allow_headers = {std::string(256, 'x')};
  b.spec().routes[1].max_age = 2147483647u;
  b.spec().origin_rules[8].text = "^" + std::string(65533, 'a') + "$";
  auto table = CompiledTable::FromSpec(b.spec());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_TRUE((*table)->Describe() == b.spec());
}

// ------------------------------------------------------------- size

// A structural property, not a timing: an exact origin of about 30 bytes
// costs at most 64 bytes of table at 100,000 origins (string pool, rule
// record, set member, hash slot and control byte, and everything else
// shared among them).
TEST(TableSize, ExactOriginsCostAtMost64BytesEach) {
  constexpr int kOrigins = 100000;
  SpecBuilder b;
  std::vector<RuleId> rules;
  rules.reserve(kOrigins);
  for (int i = 0; i < kOrigins; ++i) {
    char name[40];
    std::snprintf(name, sizeof(name), "https://app-%06d.example.com", i);
    rules.push_back(b.Rule(name));
  }
  ASSERT_EQ(b.spec().origin_rules[0].text.size(), 30u);
  b.CatchAll(b.SetOf(rules)).methods = {"GET"};
  auto table = CompiledTable::FromSpec(b.spec());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const double per_origin = static_cast<double>((*table)->stats().bytes) / kOrigins;
  std::printf("table bytes per exact origin at %d origins: %.2f\n", kOrigins, per_origin);
  EXPECT_LE(per_origin, 64.0);
  for (int i : {0, 1, 4242, 99999}) {
    TestRequest r("GET", "/");
    r.H("Origin", b.spec().origin_rules[i].text);
    EXPECT_EQ((*table)->Evaluate(r.request()).origin_rule, static_cast<RuleId>(i));
  }
}

}  // namespace
}  // namespace corsc::testing

// Copyright corsc developers.
//
// Lowering: one origin rule per written occurrence, one origin set per
// distinct list, routes then the catch-all route, every field carried, and
// the same spec for the same policy.

#include <gtest/gtest.h>

#include "test_util.h"

namespace corsc {
namespace {

using testing::CompileFiles;
using testing::CompileText;
using testing::Describe;
using testing::WithProfile;

// A plain-text dump of a spec, for comparisons and failure messages.
std::string Dump(const TableSpec& spec) {
  std::string out = "name=" + spec.policy_name + " profile=" + spec.profile +
                    " strategy=" + std::to_string(static_cast<int>(spec.strategy)) + "\n";
  for (const std::string& f : spec.files) out += "file " + f + "\n";
  for (const OriginRuleSpec& r : spec.origin_rules) {
    out += "rule " + std::to_string(static_cast<int>(r.kind)) + " " + r.text + " " + r.scheme +
           " " + r.host + " " + std::to_string(r.port) + " @" + std::to_string(r.where.file) + ":" +
           std::to_string(r.where.line) + ":" + std::to_string(r.where.column) + "\n";
  }
  for (const OriginSetSpec& s : spec.origin_sets) {
    out += "set";
    for (RuleId id : s.rules) out += " " + std::to_string(id);
    out += "\n";
  }
  for (const RouteSpec& r : spec.routes) {
    out += "route " + r.pattern + (r.catch_all ? " catch-all" : "") + " @" +
           std::to_string(r.where.file) + ":" + std::to_string(r.where.line) + ":" +
           std::to_string(r.where.column) + " set=" + std::to_string(r.origin_set) + " methods=";
    for (const std::string& m : r.methods) out += m + ",";
    out += " allow=";
    for (const std::string& h : r.allow_headers) out += h + ",";
    out += " expose=";
    for (const std::string& h : r.expose_headers) out += h + ",";
    out += " cred=" + std::to_string(r.credentials) +
           " max_age=" + (r.max_age ? std::to_string(*r.max_age) : std::string("none")) +
           " pna=" + std::to_string(r.private_network) +
           " status=" + std::to_string(r.preflight_status) + "\n";
  }
  return out;
}

constexpr char kPolicy[] = R"(version = 1
name = "lowered"
[defaults]
origins = ["https://app.example.com", "https://*.example.com:*", { regex = '^https://x$' }]
methods = ["GET", "PUT"]
allow_headers = ["X-A"]
expose_headers = ["X-B"]
credentials = true
max_age = 0
private_network = true
preflight_status = 200

[[routes]]
path = "/a"

[[routes]]
path = "/b"
max_age = 9

[[routes]]
path = "/public/**"
origins = ["*"]
credentials = false

[[routes]]
path = "/same-text"
origins = ["https://app.example.com"]

[[routes]]
path = "/none"
origins = []
)";

TEST(LowerTest, RulesSetsAndRoutes) {
  Compilation c = CompileText(kPolicy);
  ASSERT_TRUE(c.spec.has_value()) << Describe(c.diagnostics);
  const std::string want =
      "name=lowered profile= strategy=0\n"
      "file policy.toml\n"
      // Inherited patterns are one rule each, at the place they were written.
      "rule 1 https://app.example.com https app.example.com 65536 @0:4:12\n"
      "rule 3 https://*.example.com:* https example.com 65537 @0:4:39\n"
      "rule 4 ^https://x$   65536 @0:4:66\n"
      "rule 0 *   65536 @0:22:12\n"
      // The same text written elsewhere is another rule.
      "rule 1 https://app.example.com https app.example.com 65536 @0:27:12\n"
      // Routes that inherit one list share one set.
      "set 0 1 2\n"
      "set 3\n"
      "set 4\n"
      "set\n"
      "route /a @0:14:8 set=0 methods=GET,PUT, allow=x-a, expose=X-B, cred=1 max_age=0 pna=1 "
      "status=200\n"
      "route /b @0:17:8 set=0 methods=GET,PUT, allow=x-a, expose=X-B, cred=1 max_age=9 pna=1 "
      "status=200\n"
      "route /public/** @0:21:8 set=1 methods=GET,PUT, allow=x-a, expose=X-B, cred=0 "
      "max_age=0 pna=1 status=200\n"
      "route /same-text @0:26:8 set=2 methods=GET,PUT, allow=x-a, expose=X-B, cred=1 "
      "max_age=0 pna=1 status=200\n"
      "route /none @0:30:8 set=3 methods=GET,PUT, allow=x-a, expose=X-B, cred=1 max_age=0 "
      "pna=1 status=200\n"
      "route [defaults] catch-all @0:3:1 set=0 methods=GET,PUT, allow=x-a, expose=X-B, "
      "cred=1 max_age=0 pna=1 status=200\n";
  EXPECT_EQ(Dump(*c.spec), want);
}

TEST(LowerTest, Deterministic) {
  Compilation a = CompileText(kPolicy);
  Compilation b = CompileText(kPolicy);
  ASSERT_TRUE(a.spec && b.spec);
  EXPECT_EQ(Dump(*a.spec), Dump(*b.spec));
  EXPECT_EQ(Dump(Lower(*a.policy, Strategy::kTable)), Dump(*a.spec));
}

TEST(LowerTest, StrategyAndProfileAreCarried) {
  CompileOptions o = WithProfile("prod");
  o.strategy = Strategy::kRe2Set;
  Compilation c = CompileText(kPolicy, o);
  ASSERT_TRUE(c.spec.has_value()) << Describe(c.diagnostics);
  EXPECT_EQ(c.spec->strategy, Strategy::kRe2Set);
  EXPECT_EQ(c.spec->profile, "prod");
}

TEST(LowerTest, LocationsIndexTheFiles) {
  std::vector<SourceFile> files = {
      {"a.toml", "version = 1\n[defaults]\norigins = [\"https://a.example.com\"]\n"},
      {"b.toml", "version = 1\n[[routes]]\npath = \"/b\"\n"},
  };
  Compilation c = CompileFiles(files);
  ASSERT_TRUE(c.spec.has_value()) << Describe(c.diagnostics);
  EXPECT_EQ(c.spec->files, (std::vector<std::string>{"a.toml", "b.toml"}));
  ASSERT_EQ(c.spec->routes.size(), 2u);
  EXPECT_EQ(c.spec->routes[0].where.file, 1u);
  EXPECT_EQ(c.spec->routes[0].where.line, 3u);
  EXPECT_EQ(c.spec->routes[1].where.file, 0u);  // the catch-all route
  ASSERT_EQ(c.spec->origin_rules.size(), 1u);
  EXPECT_EQ(c.spec->origin_rules[0].where.file, 0u);
  EXPECT_EQ(c.spec->origin_sets.size(), 1u);
}

TEST(LowerTest, SpecExampleWithDev) {
  std::vector<SourceFile> files;
  Result<std::vector<SourceFile>> sources =
      ReadSources(std::vector<std::string>{testing::TestdataPath("valid/10-spec-example.toml")});
  ASSERT_TRUE(sources.ok());
  Compilation base = Compile(*sources, {});
  ASSERT_TRUE(base.spec.has_value()) << Describe(base.diagnostics);
  EXPECT_EQ(base.spec->origin_rules.size(), 4u);  // three from [defaults], "*"
  EXPECT_EQ(base.spec->origin_sets.size(), 3u);   // defaults' list, ["*"], []
  EXPECT_EQ(base.spec->routes.size(), 4u);
  EXPECT_TRUE(base.spec->routes.back().catch_all);
  EXPECT_EQ(base.spec->routes.back().pattern, "[defaults]");

  Compilation dev = Compile(*sources, WithProfile("dev"));
  ASSERT_TRUE(dev.spec.has_value()) << Describe(dev.diagnostics);
  EXPECT_EQ(dev.spec->origin_rules.size(), 6u);
  EXPECT_EQ(dev.spec->origin_sets.size(), 3u);
  EXPECT_EQ(dev.spec->origin_sets[0].rules.size(), 5u);
  EXPECT_EQ(dev.spec->origin_rules[3].kind, OriginKind::kHostAnyPort);
  EXPECT_EQ(dev.spec->origin_rules[3].host, "localhost");
  EXPECT_EQ(dev.spec->origin_rules[3].port, kAnyPort);
  EXPECT_EQ(dev.spec->origin_rules[4].text, "http://192.168.1.10:3000");
  EXPECT_EQ(dev.spec->origin_rules[4].port, 3000u);
}

}  // namespace
}  // namespace corsc

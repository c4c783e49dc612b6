// Copyright corsc developers.
//
// Checks: normalization of methods and header names, conflicts between two
// places (reported at the later one, once), routes without origins, and
// the production profile's rules.

#include "check.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace corsc {
namespace {

using testing::CompileFiles;
using testing::CompileText;
using testing::Describe;
using testing::OneErrorAt;
using testing::Values;
using testing::WithCode;
using testing::WithProfile;

TEST(CompileTest, VerboseMayBeTurnedOnMoreThanOnce) {
  // An embedding program may call it at will; the stage timings then go to
  // stderr and the compilation is the same.
  EXPECT_NO_THROW(SetVerbose(true));
  EXPECT_NO_THROW(SetVerbose(true));
  Compilation c = CompileText("version = 1\n[defaults]\norigins = []\n");
  EXPECT_TRUE(c.ok()) << Describe(c.diagnostics);
  EXPECT_NO_THROW(SetVerbose(false));
}

TEST(CheckTest, MethodsNormalizedAndDeduplicated) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["https://app.example.com"]
methods = ["get", "Patch", "GET", "options", "*", "patch", "PATCH", "Patch", "delete"]
)");
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  const EffectiveRoute& r = *c.policy->catch_all;
  // The six standard methods in upper case; any other as written, matched
  // case-sensitively, so "Patch", "patch" and "PATCH" are three methods.
  EXPECT_EQ(Values(r.methods.value),
            (std::vector<std::string>{"GET", "Patch", "OPTIONS", "*", "patch", "PATCH", "DELETE"}));
  // Each keeps the place of its first writing.
  EXPECT_EQ(r.methods.value[0].where.column, 12u);
  EXPECT_EQ(r.methods.where.line, 4u);
  EXPECT_EQ(r.methods.where.column, 1u);
}

TEST(CheckTest, HeaderNames) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["https://app.example.com"]
allow_headers = ["Content-Type", "content-type", "X-Api-Key", "*"]
expose_headers = ["X-Request-Id", "x-request-id", "X-Total"]
)");
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  const EffectiveRoute& r = *c.policy->catch_all;
  EXPECT_EQ(Values(r.allow_headers.value),
            (std::vector<std::string>{"content-type", "x-api-key", "*"}));
  EXPECT_EQ(Values(r.expose_headers.value), (std::vector<std::string>{"X-Request-Id", "X-Total"}));
}

TEST(CheckTest, AllowHeadersStarWithCredentialsIsFine) {
  // "*" in allow_headers is answered by echoing: it works with credentials.
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["https://app.example.com"]
credentials = true
allow_headers = ["*"]
methods = ["*"]
)");
  EXPECT_TRUE(c.diagnostics.empty()) << Describe(c.diagnostics);
}

TEST(CheckTest, InheritedConflictReportedOnce) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["*"]
credentials = true
[[routes]]
path = "/a"
[[routes]]
path = "/b"
[[routes]]
path = "/c"
credentials = false
)");
  ASSERT_TRUE(OneErrorAt(c, Code::kStarWithCredentials, 4, 1)) << Describe(c.diagnostics);
  ASSERT_EQ(c.diagnostics[0].notes.size(), 1u);
  EXPECT_EQ(c.diagnostics[0].notes[0].where.line, 3u);
  EXPECT_EQ(c.diagnostics[0].notes[0].where.column, 12u);
  EXPECT_EQ(c.diagnostics[0].notes[0].message, "origin \"*\" is listed here");
}

TEST(CheckTest, EachCredentialedRouteIsItsOwnConflict) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["*"]
[[routes]]
path = "/a"
credentials = true
[[routes]]
path = "/b"
credentials = true
[[routes]]
path = "/c"
)");
  std::vector<Diagnostic> d = WithCode(c, Code::kStarWithCredentials);
  ASSERT_EQ(d.size(), 2u) << Describe(c.diagnostics);
  EXPECT_EQ(d[0].where.line, 6u);
  EXPECT_EQ(d[1].where.line, 9u);
  EXPECT_NE(d[0].message.find("route \"/a\""), std::string::npos) << d[0].message;
  for (const Diagnostic& e : d) {
    ASSERT_EQ(e.notes.size(), 1u);
    EXPECT_EQ(e.notes[0].where.line, 3u);
  }
}

TEST(CheckTest, ConflictAcrossFilesUsesFileOrder) {
  // "*" on line 9 of the first file, credentials on line 3 of the second:
  // the second file is later whatever the line numbers say.
  std::vector<SourceFile> files = {
      {"a.toml", "version = 1\n\n\n\n\n\n[defaults]\ncredentials = false\norigins = [\"*\"]\n"},
      {"b.toml", "version = 1\n[[routes]]\npath = \"/x\"\ncredentials = true\n"},
  };
  Compilation c = CompileFiles(files);
  ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics);
  EXPECT_EQ(c.diagnostics[0].where.file, "b.toml");
  EXPECT_EQ(c.diagnostics[0].where.line, 4u);
  ASSERT_EQ(c.diagnostics[0].notes.size(), 1u);
  EXPECT_EQ(c.diagnostics[0].notes[0].where.file, "a.toml");
  EXPECT_EQ(c.diagnostics[0].notes[0].where.line, 9u);
}

TEST(CheckTest, RouteWithoutOrigins) {
  // An empty list is a list: it refuses every origin, it is not missing.
  EXPECT_TRUE(CompileText("version = 1\n[defaults]\norigins = []\n[[routes]]\npath = \"/a\"\n")
                  .diagnostics.empty());
  Compilation c = CompileText(
      "version = 1\n[defaults]\nmethods = [\"GET\"]\n[[routes]]\npath = \"/a\"\n"
      "[[routes]]\npath = \"/b\"\norigins.add = [\"https://b.example.com\"]\n");
  // "/b" makes its list with origins.add (D6); "/a" has none.
  EXPECT_TRUE(OneErrorAt(c, Code::kRouteWithoutOrigins, 5, 8));
  EXPECT_EQ(c.diagnostics[0].message,
            "route \"/a\" has no origins: set \"origins\" in the route or in [defaults] (an "
            "empty list refuses every origin)");
}

TEST(CheckTest, ProductionChecksOnlyUnderTheProductionProfile) {
  const char* policy = R"(version = 1
[defaults]
origins = ["http://localhost:3000", "https://app.example.com", "null"]
[[routes]]
path = "/a"
[[routes]]
path = "/b"
[profiles.dev]
[profiles.prod]
)";
  EXPECT_FALSE(HasErrors(CompileText(policy).diagnostics));
  EXPECT_FALSE(HasErrors(CompileText(policy, WithProfile("dev")).diagnostics));
  Compilation c = CompileText(policy, WithProfile("prod"));
  std::vector<Diagnostic> d = WithCode(c, Code::kOriginUnfitForProduction);
  // Inherited by three routes (two and the catch-all), reported once each.
  ASSERT_EQ(d.size(), 2u) << Describe(c.diagnostics);
  EXPECT_EQ(d[0].where.column, 12u);
  EXPECT_EQ(d[1].where.column, 64u);
  EXPECT_EQ(d.size(), c.diagnostics.size());
  // Another production name.
  CompileOptions o = WithProfile("dev");
  o.prod_profile = "dev";
  EXPECT_EQ(WithCode(CompileText(policy, o), Code::kOriginUnfitForProduction).size(), 2u);
}

TEST(CheckTest, ProductionAcceptsPublicOrigins) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["https://app.example.com", "https://*.example.com:*", "https://8.8.8.8",
           "https://[2001:db8::1]", "https://172.32.0.1", "https://192.169.0.1", "*",
           { regex = '^http://localhost:[0-9]+$' }]
)",
                              WithProfile("prod"));
  EXPECT_TRUE(c.diagnostics.empty()) << Describe(c.diagnostics);
}

TEST(CheckTest, DuplicateDefaultsNamesBoth) {
  std::vector<SourceFile> files = {
      {"a.toml", "version = 1\n[defaults]\norigins = []\n"},
      {"b.toml", "version = 1\n\n[defaults]\nmethods = [\"GET\"]\n"},
      {"c.toml", "version = 1\ndefaults = { credentials = true }\n"},
  };
  Compilation c = CompileFiles(files);
  std::vector<Diagnostic> d = WithCode(c, Code::kDuplicateDefaults);
  ASSERT_EQ(d.size(), 2u) << Describe(c.diagnostics);
  EXPECT_EQ(d[0].where.file, "b.toml");
  EXPECT_EQ(d[0].where.line, 3u);
  EXPECT_EQ(d[1].where.file, "c.toml");
  EXPECT_EQ(d[1].where.line, 2u);
  for (const Diagnostic& e : d) {
    ASSERT_EQ(e.notes.size(), 1u);
    EXPECT_EQ(e.notes[0].where.file, "a.toml");
    EXPECT_EQ(e.notes[0].where.line, 2u);
  }
}

TEST(CheckTest, ProfileRouteOfAnExistingShapeIsNoDuplicate) {
  // D10: the overlay changes the base route; "{x}" and "{id}" are one shape.
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["https://app.example.com"]
[[routes]]
path = "/users/{id}"
[[profiles.dev.routes]]
path = "/users/{x}"
methods = ["DELETE"]
)",
                              WithProfile("dev"));
  EXPECT_TRUE(c.diagnostics.empty()) << Describe(c.diagnostics);
}

}  // namespace
}  // namespace corsc

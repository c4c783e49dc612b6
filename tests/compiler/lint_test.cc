// Copyright corsc developers.
//
// Lint rules: what each finds, where, with which fix; and that the compile
// path (lint off) reports none of them.

#include "lint.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace corsc {
namespace {

using testing::CompileText;
using testing::Describe;
using testing::Linting;
using testing::WithCode;

TEST(LintTest, NonCanonicalOriginWithFix) {
  Compilation c = CompileText(
      "version = 1\n[defaults]\norigins = [\"https://App.Example.com:443\"]\n", Linting());
  ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics);
  const Diagnostic& d = c.diagnostics[0];
  EXPECT_EQ(d.code, Code::kNonCanonicalOrigin);
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.where.line, 3u);
  EXPECT_EQ(d.where.column, 12u);
  EXPECT_EQ(d.where.length, 29u);
  EXPECT_EQ(d.message,
            "origin \"https://App.Example.com:443\" is not in canonical form; browsers send "
            "\"https://app.example.com\"");
  ASSERT_TRUE(d.fix.has_value());
  // The fix replaces the string's contents, between the quotes.
  EXPECT_EQ(d.fix->where.line, 3u);
  EXPECT_EQ(d.fix->where.column, 13u);
  EXPECT_EQ(d.fix->where.length, 27u);
  EXPECT_EQ(d.fix->replacement, "https://app.example.com");
  // Warnings do not stop compilation; the canonical form is compiled.
  ASSERT_TRUE(c.policy.has_value());
  EXPECT_EQ(c.policy->catch_all->origins.value[0].canonical, "https://app.example.com");
}

TEST(LintTest, NonCanonicalVariants) {
  struct Case {
    const char* written;
    const char* canonical;
  } cases[] = {
      {"https://app.example.com:08443", "https://app.example.com:8443"},
      {"https://app.example.com:0443", "https://app.example.com"},
      {"http://app.example.com:08080", "http://app.example.com:8080"},
      {"http://[0:0:0:0:0:0:0:1]", "http://[::1]"},
      {"HTTP://LOCALHOST:*", "http://localhost:*"},
      {"https://*.Example.com", "https://*.example.com"},
      {"NULL", "null"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.written);
    Compilation c = CompileText(
        std::string("version = 1\n[defaults]\norigins = [\"") + k.written + "\"]\n", Linting());
    std::vector<Diagnostic> d = WithCode(c, Code::kNonCanonicalOrigin);
    ASSERT_EQ(d.size(), 1u) << Describe(c.diagnostics);
    ASSERT_TRUE(d[0].fix.has_value());
    EXPECT_EQ(d[0].fix->replacement, k.canonical);
  }
}

TEST(LintTest, NonVerbatimStringFixReplacesTheWholeString) {
  Compilation c = CompileText(
      "version = 1\n[defaults]\norigins = [\"\"\"https://App.example.com\"\"\"]\n", Linting());
  std::vector<Diagnostic> d = WithCode(c, Code::kNonCanonicalOrigin);
  ASSERT_EQ(d.size(), 1u) << Describe(c.diagnostics);
  ASSERT_TRUE(d[0].fix.has_value());
  EXPECT_EQ(d[0].fix->where.column, 12u);
  EXPECT_EQ(d[0].fix->replacement, "\"https://app.example.com\"");
}

TEST(LintTest, CanonicalOriginsAreQuiet) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["https://app.example.com", "https://*.example.com:*", "http://localhost:*",
           "http://[::1]:8080", { regex = '^HTTPS://X$' }]
max_age = 7200
)",
                              Linting());
  EXPECT_TRUE(c.diagnostics.empty()) << Describe(c.diagnostics);
}

TEST(LintTest, NullOrigin) {
  Compilation c = CompileText(
      "version = 1\n[defaults]\norigins = [\"https://a.example.com\", \"null\"]\n", Linting());
  ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics);
  EXPECT_EQ(c.diagnostics[0].code, Code::kNullOrigin);
  EXPECT_EQ(c.diagnostics[0].where.column, 37u);
}

TEST(LintTest, StarMixedInTheEffectiveList) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["https://a.example.com"]
[[routes]]
path = "/a"
origins.add = ["*"]
[[routes]]
path = "/b"
origins.add = ["*"]
[[routes]]
path = "/star"
origins = ["*"]
)",
                              Linting());
  std::vector<Diagnostic> d = WithCode(c, Code::kStarMixed);
  ASSERT_EQ(d.size(), 2u) << Describe(c.diagnostics);
  EXPECT_EQ(d[0].where.line, 6u);
  EXPECT_EQ(d[1].where.line, 9u);
  EXPECT_EQ(d.size(), c.diagnostics.size()) << "\"*\" alone is not mixed";
}

TEST(LintTest, MaxAgeCapsOnlyTheStrongerFinding) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = []
max_age = 7201
[[routes]]
path = "/a"
max_age = 86401
[[routes]]
path = "/b"
max_age = 86400
)",
                              Linting());
  ASSERT_EQ(c.diagnostics.size(), 3u) << Describe(c.diagnostics);
  EXPECT_EQ(c.diagnostics[0].code, Code::kMaxAgeAboveChromium);
  EXPECT_EQ(c.diagnostics[0].where.line, 4u);
  EXPECT_EQ(c.diagnostics[0].where.column, 11u);
  EXPECT_EQ(c.diagnostics[1].code, Code::kMaxAgeAboveFirefox);
  EXPECT_EQ(c.diagnostics[1].where.line, 7u);
  EXPECT_EQ(c.diagnostics[2].code, Code::kMaxAgeAboveChromium);
  EXPECT_EQ(c.diagnostics[2].where.line, 10u);
}

TEST(LintTest, CompilePathReportsNoLintFinding) {
  const char* policy = R"(version = 1
[defaults]
origins = ["https://App.example.com", "null", "*"]
max_age = 100000
)";
  Compilation linted = CompileText(policy, Linting());
  EXPECT_EQ(linted.diagnostics.size(), 4u) << Describe(linted.diagnostics);
  for (const Diagnostic& d : linted.diagnostics) {
    EXPECT_GE(static_cast<int>(d.code), 100);
    EXPECT_EQ(d.severity, Severity::kWarning);
  }
  Compilation compiled = CompileText(policy);
  EXPECT_TRUE(compiled.diagnostics.empty()) << Describe(compiled.diagnostics);
  EXPECT_TRUE(compiled.policy.has_value());
}

TEST(LintTest, WrittenValuesOfEveryProfileAreLinted) {
  // How a value is written is checked wherever it is written, not only in
  // the selected profile.
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["https://app.example.com"]
[profiles.dev.defaults]
origins.add = ["http://LOCALHOST:3000"]
)",
                              Linting());
  std::vector<Diagnostic> d = WithCode(c, Code::kNonCanonicalOrigin);
  ASSERT_EQ(d.size(), 1u) << Describe(c.diagnostics);
  EXPECT_EQ(d[0].where.line, 5u);
}

}  // namespace
}  // namespace corsc

// Copyright corsc developers.
//
// Lint rules: for every rule, a policy that triggers it (code, severity,
// line and column, and the fix where there is one) and one that does not;
// then severity overrides and inline suppressions through the library, and
// the analyses behind the rules on their own. The command line's side of
// overrides and the SARIF output are in lint_cli_test.cc.

#include "lint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <re2/re2.h>

#include "origin_coverage.h"
#include "regex_analysis.h"
#include "route_analysis.h"
#include "suppressions.h"
#include "test_util.h"

namespace corsc {
namespace {

using testing::CompileText;
using testing::Describe;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::Linting;
using testing::WithCode;

// Lint options without the "no tests" note, which most policies here
// would get.
CompileOptions Quiet() {
  CompileOptions o = Linting();
  o.severity_overrides[Code::kNoTests] = std::nullopt;
  return o;
}

std::vector<Diagnostic> Find(const std::string& text, Code code, CompileOptions o = Quiet()) {
  Compilation c = CompileText(text, o);
  EXPECT_FALSE(HasErrors(c.diagnostics)) << Describe(c.diagnostics);
  return WithCode(c, code);
}

// "line:column" of each finding, in order.
std::vector<std::string> Places(const std::vector<Diagnostic>& d) {
  std::vector<std::string> out;
  for (const Diagnostic& x : d) {
    out.push_back(std::to_string(x.where.line) + ":" + std::to_string(x.where.column));
  }
  return out;
}

// Applies a fix to the policy text (fixes are single-line replacements).
std::string ApplyFix(const std::string& text, const FixIt& fix) {
  size_t offset = 0;
  for (uint32_t line = 1; line < fix.where.line; ++line) offset = text.find('\n', offset) + 1;
  offset += fix.where.column - 1;
  return text.substr(0, offset) + fix.replacement + text.substr(offset + fix.where.length);
}

// ----------------------------------------------------------- CORS100, 101

TEST(LintTest, NonCanonicalOriginWithFix) {
  Compilation c = CompileText(
      "version = 1\n[defaults]\norigins = [\"https://App.Example.com:443\"]\n", Quiet());
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
        std::string("version = 1\n[defaults]\norigins = [\"") + k.written + "\"]\n", Quiet());
    std::vector<Diagnostic> d = WithCode(c, Code::kNonCanonicalOrigin);
    ASSERT_EQ(d.size(), 1u) << Describe(c.diagnostics);
    ASSERT_TRUE(d[0].fix.has_value());
    EXPECT_EQ(d[0].fix->replacement, k.canonical);
  }
}

TEST(LintTest, NonVerbatimStringFixReplacesTheWholeString) {
  Compilation c = CompileText(
      "version = 1\n[defaults]\norigins = [\"\"\"https://App.example.com\"\"\"]\n", Quiet());
  std::vector<Diagnostic> d = WithCode(c, Code::kNonCanonicalOrigin);
  ASSERT_EQ(d.size(), 1u) << Describe(c.diagnostics);
  ASSERT_TRUE(d[0].fix.has_value());
  EXPECT_EQ(d[0].fix->where.column, 12u);
  EXPECT_EQ(d[0].fix->replacement, "\"https://app.example.com\"");
}

TEST(LintTest, CanonicalOriginsAreQuiet) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["https://app.example.com", "https://*.example.org:*", "http://localhost:*",
           "http://[::1]:8080", { regex = '^HTTPS://X$' }]
max_age = 7200
)",
                              Quiet());
  EXPECT_TRUE(c.diagnostics.empty()) << Describe(c.diagnostics);
}

TEST(LintTest, NullOrigin) {
  Compilation c = CompileText(
      "version = 1\n[defaults]\norigins = [\"https://a.example.com\", \"null\"]\n", Quiet());
  ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics);
  EXPECT_EQ(c.diagnostics[0].code, Code::kNullOrigin);
  EXPECT_EQ(c.diagnostics[0].severity, Severity::kWarning);
  EXPECT_EQ(c.diagnostics[0].where.line, 3u);
  EXPECT_EQ(c.diagnostics[0].where.column, 37u);
  EXPECT_THAT(
      Find("version = 1\n[defaults]\norigins = [\"https://a.example.com\"]\n", Code::kNullOrigin),
      IsEmpty());
}

// ------------------------------------------------------------------ CORS102

TEST(LintTest, InsecureOriginWithCredentials) {
  std::vector<Diagnostic> d = Find(R"(version = 1
[defaults]
origins = ["https://a.example.com", "http://b.example.com", "http://*.example.org"]
credentials = true
)",
                                   Code::kInsecureOriginWithCredentials);
  EXPECT_THAT(Places(d), ElementsAre("3:37", "3:61"));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  EXPECT_THAT(d[0].message, HasSubstr("origin \"http://b.example.com\" is not encrypted"));
  ASSERT_EQ(d[0].notes.size(), 1u);
  EXPECT_EQ(d[0].notes[0].where.line, 4u);  // credentials = true
  EXPECT_FALSE(d[0].fix.has_value());
}

TEST(LintTest, InsecureOriginWithCredentialsSparesLoopbackAndCredentiallessRoutes) {
  EXPECT_THAT(Find(R"(version = 1
[defaults]
origins = ["http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:1",
           "http://*.localhost:*", "http://app.localhost", { regex = '^http://x\.example\.com$' }]
credentials = true
[[routes]]
path = "/public"
origins = ["http://b.example.com"]
credentials = false
)",
                   Code::kInsecureOriginWithCredentials),
              IsEmpty());
}

// ------------------------------------------------------------------ CORS103

TEST(LintTest, CoveredOrigin) {
  std::vector<Diagnostic> d = Find(R"(version = 1
[defaults]
origins = [
  "https://*.example.com",
  "https://app.example.com",
  "https://*.eu.example.com",
  "https://*.example.net:*",
  "https://*.example.net:8443",
  "http://localhost:*",
  "http://localhost:3000",
  { regex = '^https://pr-[0-9]+\.example\.org$' },
  "https://pr-7.example.org",
]
)",
                                   Code::kCoveredOrigin);
  EXPECT_THAT(Places(d), ElementsAre("5:3", "6:3", "8:3", "10:3", "12:3"));
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0].severity, Severity::kNote);
  EXPECT_EQ(d[0].message,
            "origin \"https://app.example.com\" is already matched by \"https://*.example.com\" "
            "in the same list: it adds nothing");
  ASSERT_EQ(d[0].notes.size(), 1u);
  EXPECT_EQ(d[0].notes[0].where.line, 4u);
  EXPECT_THAT(d[1].message, HasSubstr("by \"https://*.example.com\""));
  EXPECT_THAT(d[2].message, HasSubstr("by \"https://*.example.net:*\""));
  EXPECT_THAT(d[3].message, HasSubstr("by \"http://localhost:*\""));
  EXPECT_THAT(d[4].message, HasSubstr("by the regex \"^https://pr-[0-9]+\\\\.example\\\\.org$\""));
}

TEST(LintTest, CoveredOriginAcrossListsNamesTheRoute) {
  std::vector<Diagnostic> d = Find(R"(version = 1
[defaults]
origins = ["https://app.example.com"]
[[routes]]
path = "/a"
origins.add = ["https://app.example.com"]
)",
                                   Code::kCoveredOrigin);
  EXPECT_THAT(Places(d), ElementsAre("6:16"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message,
            "origin \"https://app.example.com\" is already allowed in the origin list of route "
            "\"/a\" (as \"https://app.example.com\"): it adds nothing");
}

TEST(LintTest, CoveredOriginNeedsTheWholeMatch) {
  // The apex, another scheme, another port, a look-alike: not covered.
  EXPECT_THAT(Find(R"(version = 1
[defaults]
origins = ["https://*.example.com", "https://example.com", "http://a.example.com",
           "https://a.example.com:8443", "https://evil-example.com", "https://*.example.com:9443",
           "http://localhost:*", "https://localhost:3000"]
)",
                   Code::kCoveredOrigin),
              IsEmpty());
  // A list with "*" is CORS107's.
  EXPECT_THAT(Find("version = 1\n[defaults]\norigins = [\"*\", \"https://a.example.com\"]\n",
                   Code::kCoveredOrigin),
              IsEmpty());
}

TEST(LintTest, CoveredOriginOnALargeList) {
  // Indexed, not compared in pairs: 20,000 exact origins, half of them
  // below a wildcard.
  std::string text = "version = 1\n[defaults]\norigins = [\"https://*.covered.example.com\"";
  for (int i = 0; i < 20000; ++i) {
    text += ",\n\"https://h" + std::to_string(i) +
            (i % 2 ? ".covered.example.com\"" : ".example.org\"");
  }
  text += "]\n";
  EXPECT_EQ(Find(text, Code::kCoveredOrigin).size(), 10000u);
}

// ------------------------------------------------------------------ CORS104

TEST(LintTest, DuplicateOriginWithFix) {
  const std::string text =
      "version = 1\n[defaults]\n"
      "origins = [\"https://a.example.com\", \"https://b.example.com\", "
      "\"https://A.example.com\"]\n";
  std::vector<Diagnostic> d = Find(text, Code::kDuplicateOrigin);
  EXPECT_THAT(Places(d), ElementsAre("3:62"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  EXPECT_EQ(d[0].message,
            "origin \"https://A.example.com\" repeats \"https://a.example.com\" (both are "
            "\"https://a.example.com\")");
  ASSERT_EQ(d[0].notes.size(), 1u);
  EXPECT_EQ(d[0].notes[0].where.column, 12u);
  ASSERT_TRUE(d[0].fix.has_value());
  // The last element: the fix takes the comma before it.
  EXPECT_EQ(d[0].fix->where.column, 60u);
  EXPECT_EQ(d[0].fix->where.length, 25u);
  EXPECT_EQ(d[0].fix->replacement, "");
  EXPECT_EQ(ApplyFix(text, *d[0].fix),
            "version = 1\n[defaults]\n"
            "origins = [\"https://a.example.com\", \"https://b.example.com\"]\n");
}

TEST(LintTest, DuplicateOriginFixTakesTheCommaAfter) {
  const std::string text =
      "version = 1\n[defaults]\n"
      "origins = [\"https://a.example.com\", { regex = 'x' }, { regex = 'x' }, \"https://c.d\"]\n";
  std::vector<Diagnostic> d = Find(text, Code::kDuplicateOrigin);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "origin \"x\" is listed twice in this list");
  ASSERT_TRUE(d[0].fix.has_value());
  EXPECT_EQ(ApplyFix(text, *d[0].fix),
            "version = 1\n[defaults]\n"
            "origins = [\"https://a.example.com\", { regex = 'x' }, \"https://c.d\"]\n");
}

TEST(LintTest, DuplicateOriginOnlyWithinOneList) {
  EXPECT_THAT(Find(R"(version = 1
[defaults]
origins = ["https://a.example.com"]
[[routes]]
path = "/a"
origins = ["https://a.example.com", "https://b.example.com"]
)",
                   Code::kDuplicateOrigin),
              IsEmpty());
}

// ------------------------------------------------------- CORS105, 106, 108

TEST(LintTest, RegexThatIsAPatternWithFix) {
  struct Case {
    const char* regex;
    const char* replacement;
  } cases[] = {
      {R"(^https://app\.example\.com$)", R"("https://app.example.com")"},
      {R"(https://app\.example\.com)", R"("https://app.example.com")"},
      {R"(^https://.+\.example\.com$)", R"("https://*.example.com")"},
      {R"(^https://.*\.example\.com$)", R"("https://*.example.com")"},
      {R"(^https://(.+\.)?example\.com$)", R"("https://example.com", "https://*.example.com")"},
      {R"(^https://.+\.example\.com:8443$)", R"("https://*.example.com:8443")"},
      {R"(^http://localhost(:[0-9]+)?$)", R"("http://localhost:*")"},
      {R"(^https://(?:.+\.)?example\.com(?::\d+)?$)",
       R"("https://example.com:*", "https://*.example.com:*")"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.regex);
    const std::string text =
        std::string("version = 1\n[defaults]\norigins = [{ regex = '") + k.regex + "' }]\n";
    std::vector<Diagnostic> d = Find(text, Code::kRegexIsPattern);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].severity, Severity::kWarning);
    EXPECT_EQ(d[0].where.line, 3u);
    EXPECT_EQ(d[0].where.column, 12u);
    EXPECT_THAT(d[0].message, HasSubstr("matches exactly what"));
    ASSERT_TRUE(d[0].fix.has_value());
    EXPECT_EQ(d[0].fix->replacement, k.replacement);
    // The fixed policy compiles, with nothing left to say about it.
    std::string fixed = ApplyFix(text, *d[0].fix);
    Compilation c = CompileText(fixed, Quiet());
    EXPECT_TRUE(c.diagnostics.empty()) << fixed << Describe(c.diagnostics);
  }
}

TEST(LintTest, RegexThatIsNoPattern) {
  for (const char* regex : {R"(^https://pr-[0-9]+\.preview\.example\.net$)",
                            R"(^https://.+\.example\.com:[0-9]+$)",  // a port, never none
                            R"(^https://(a|b)\.example\.com$)", R"(^https://.+\.com$)",
                            R"((?i)^https://app\.example\.com$)"}) {
    SCOPED_TRACE(regex);
    std::string text =
        std::string("version = 1\n[defaults]\norigins = [{ regex = '") + regex + "' }]\n";
    EXPECT_THAT(Find(text, Code::kRegexIsPattern), IsEmpty());
    EXPECT_THAT(Find(text, Code::kRegexSingleLabel), IsEmpty());
  }
}

TEST(LintTest, RegexForOneLabel) {
  std::vector<Diagnostic> d = Find(
      "version = 1\n[defaults]\norigins = [\"https://x.y\",\n"
      "  { regex = '^https://[a-z0-9-]+\\.example\\.com$' }]\n",
      Code::kRegexSingleLabel);
  EXPECT_THAT(Places(d), ElementsAre("4:3"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::kNote);
  EXPECT_THAT(d[0].message, HasSubstr("allows one label below \"example.com\"; the pattern "
                                      "\"https://*.example.com\" says nearly the same"));
  EXPECT_FALSE(d[0].fix.has_value());  // the wildcard is wider: not a mechanical fix
}

// Whether RE2 matches `origin` with `regex` in full: the tests check the
// look-alikes the linter prints themselves.
bool Re2Matches(const std::string& regex, const std::string& origin) {
  return RE2::FullMatch(origin, RE2(regex));
}

TEST(LintTest, RegexLookAlikeUnescapedDotWithFix) {
  const std::string text =
      "version = 1\n[defaults]\norigins = [{ regex = '^https://app.example.com$' }]\n";
  std::vector<Diagnostic> d = Find(text, Code::kRegexLookAlike);
  // The first dot lets "appxexample.com" through; the second only hosts
  // under an unknown top-level domain, which nobody can register.
  EXPECT_THAT(Places(d), ElementsAre("3:35"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  EXPECT_EQ(d[0].message,
            "regex \"^https://app.example.com$\" lets look-alike hosts through: the unescaped "
            "\".\" matches any character, so it matches \"https://appxexample.com\"");
  EXPECT_TRUE(Re2Matches("^https://app.example.com$", "https://appxexample.com"));
  ASSERT_TRUE(d[0].fix.has_value());
  EXPECT_EQ(d[0].fix->where.column, 35u);
  EXPECT_EQ(d[0].fix->where.length, 1u);
  EXPECT_EQ(d[0].fix->replacement, "\\.");  // in a literal string
  EXPECT_EQ(ApplyFix(text, *d[0].fix),
            "version = 1\n[defaults]\norigins = [{ regex = '^https://app\\.example.com$' }]\n");
}

TEST(LintTest, RegexLookAlikeFixInABasicStringDoublesTheBackslash) {
  const std::string text =
      "version = 1\n[defaults]\norigins = [{ regex = \"^https://[a-z]+.example\\\\.com$\" }]\n";
  // Not verbatim (the escape makes the value differ from the text): the
  // finding still points at the dot, found through the escapes (D57).
  std::vector<Diagnostic> d = Find(text, Code::kRegexLookAlike);
  EXPECT_THAT(Places(d), ElementsAre("3:38"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].where.length, 1u);
  ASSERT_TRUE(d[0].fix.has_value());
  EXPECT_EQ(d[0].fix->replacement, "\\\\.");
  EXPECT_EQ(
      ApplyFix(text, *d[0].fix),
      "version = 1\n[defaults]\norigins = [{ regex = \"^https://[a-z]+\\\\.example\\\\.com$\" "
      "}]\n");
  // Fixed, the regex has no look-alike (CORS106 then suggests a wildcard).
  EXPECT_THAT(Find(ApplyFix(text, *d[0].fix), Code::kRegexLookAlike), IsEmpty());

  const std::string verbatim =
      "version = 1\n[defaults]\norigins = [{ regex = \"^https://[a-z]+.example[.]com$\" }]\n";
  d = Find(verbatim, Code::kRegexLookAlike);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("matches \"https://axexample.com\""));
  ASSERT_TRUE(d[0].fix.has_value());
  EXPECT_EQ(d[0].fix->replacement, "\\\\.");
  Compilation c = CompileText(ApplyFix(verbatim, *d[0].fix), Quiet());
  EXPECT_TRUE(c.diagnostics.empty()) << Describe(c.diagnostics);
}

// Every kind of TOML string: the finding is at the bytes the dot was
// written as, escapes before it counted, and its fix removes the finding
// (D57).
TEST(LintTest, RegexLookAlikeThroughEveryKindOfString) {
  struct Case {
    const char* origins;  // the value of `origins`, from line 3
    const char* place;
    uint32_t length;
    const char* replacement;
  } cases[] = {
      // Escapes before the dot move it in the text.
      {R"([{ regex = "^https://www\\.app.example\\.com$" }])", "3:41", 1, R"(\\.)"},
      {R"([{ regex = "^https://a\u002Db.example\\.com$" }])", "3:40", 1, R"(\\.)"},
      // The dot itself written as an escape.
      {R"([{ regex = "^https://app\u002Eexample\\.com$" }])", "3:35", 6, R"(\\.)"},
      // A multi-line literal string: the newline after ''' is not part of
      // the value, and the dot is on the next line.
      {"[{ regex = '''\n^https://app.example\\.com$''' }]", "4:13", 1, R"(\.)"},
      {"[{ regex = '''\r\n^https://app.example\\.com$''' }]", "4:13", 1, R"(\.)"},
      {"[\n  { regex = '''^https://app.example\\.com$''' },\n]", "4:28", 1, R"(\.)"},
      // A multi-line basic string with a line-ending backslash.
      {"[{ regex = \"\"\"^https://app.\\\n    example\\\\.com$\"\"\" }]", "3:37", 1, R"(\\.)"},
      {"[{ regex = \"\"\"^https://app\\\n    .example\\\\.com$\"\"\" }]", "4:5", 1, R"(\\.)"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.origins);
    const std::string text = std::string("version = 1\n[defaults]\norigins = ") + k.origins + "\n";
    std::vector<Diagnostic> d = Find(text, Code::kRegexLookAlike);
    ASSERT_EQ(d.size(), 1u) << Describe(d);
    EXPECT_EQ(Places(d)[0], k.place);
    EXPECT_EQ(d[0].where.length, k.length);
    EXPECT_THAT(d[0].message, HasSubstr("so it matches \"https://"));
    ASSERT_TRUE(d[0].fix.has_value());
    EXPECT_EQ(d[0].fix->where.line, d[0].where.line);
    EXPECT_EQ(d[0].fix->where.column, d[0].where.column);
    EXPECT_EQ(d[0].fix->replacement, k.replacement);
    // Fixed, the regex has no look-alike (CORS105 then suggests the plain
    // pattern).
    EXPECT_THAT(Find(ApplyFix(text, *d[0].fix), Code::kRegexLookAlike), IsEmpty());
  }
}

TEST(LintTest, RegexLookAlikeThroughDotStar) {
  struct Case {
    const char* regex;
    const char* column;
    const char* look_alike;
  } cases[] = {
      {R"(^https://.*example\.com$)", "3:32", "https://evilexample.com"},
      {R"(^https://example\.com.*$)", "3:44", "https://example.com.evil.net"},
      {R"(^https://app\.example\.com.+)", "3:49", "https://app.example.com.evil.net"},
      {R"(^https://.*$)", "3:32", "https://evil.net"},
      // The first ".*" only reaches subdomains; the second, other domains.
      {R"(^https://.*\.example\.com.*$)", "3:48", "https://a.example.com.evil.net"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.regex);
    std::string text =
        std::string("version = 1\n[defaults]\norigins = [{ regex = '") + k.regex + "' }]\n";
    std::vector<Diagnostic> d = Find(text, Code::kRegexLookAlike);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(Places(d)[0], k.column);
    EXPECT_THAT(d[0].message, HasSubstr("matches any text, dots included, so it matches \"" +
                                        std::string(k.look_alike) + "\""));
    EXPECT_TRUE(Re2Matches(k.regex, k.look_alike));
    EXPECT_FALSE(d[0].fix.has_value());
  }
}

TEST(LintTest, RegexWithoutLookAlikes) {
  for (const char* regex : {R"(^https://.+\.example\.com$)", R"(^https://app\.example\.com$)",
                            R"(^https://pr-[0-9]+\.preview\.example\.net$)",
                            // An unescaped dot that stays inside example.net: no other
                            // registrable domain gets through.
                            R"(^https://pr-[0-9]+.preview\.example\.net$)",
                            R"(^https://[a-z]+\.example\.(com|org)$)"}) {
    SCOPED_TRACE(regex);
    std::string text =
        std::string("version = 1\n[defaults]\norigins = [{ regex = '") + regex + "' }]\n";
    EXPECT_THAT(Find(text, Code::kRegexLookAlike), IsEmpty());
  }
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
                              Quiet());
  std::vector<Diagnostic> d = WithCode(c, Code::kStarMixed);
  EXPECT_THAT(Places(d), ElementsAre("6:16", "9:16"));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
}

// A list holding "*" twice has no other pattern: CORS104 reports the
// repeat, CORS107 nothing. Beside other patterns, CORS107 is reported once
// per list, at its first "*", however many there are.
TEST(LintTest, StarMixedOncePerListAndNotForRepeatedStars) {
  const std::string stars = "version = 1\n[defaults]\norigins = [\"*\", \"*\"]\n";
  EXPECT_THAT(Find(stars, Code::kStarMixed), IsEmpty());
  EXPECT_THAT(Places(Find(stars, Code::kDuplicateOrigin)), ElementsAre("3:17"));

  const std::string mixed =
      "version = 1\n[defaults]\norigins = [\"https://a.example.com\", \"*\", \"*\"]\n";
  std::vector<Diagnostic> d = Find(mixed, Code::kStarMixed);
  EXPECT_THAT(Places(d), ElementsAre("3:37"));
  EXPECT_THAT(Places(Find(mixed, Code::kDuplicateOrigin)), ElementsAre("3:42"));
}

// ------------------------------------------------------ methods and headers

TEST(LintTest, ForbiddenRequestHeaderWithFix) {
  const std::string text =
      "version = 1\n[defaults]\norigins = []\n"
      "allow_headers = [\"content-type\", \"Cookie\", \"proxy-authorization\", \"Sec-CH-UA\", "
      "\"origin\"]\n";
  std::vector<Diagnostic> d = Find(text, Code::kForbiddenRequestHeader);
  EXPECT_THAT(Places(d), ElementsAre("4:34", "4:44", "4:67", "4:80"));
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  EXPECT_EQ(d[0].message,
            "request header \"Cookie\" is a forbidden request-header name in the Fetch standard: "
            "scripts cannot set it, so no preflight asks for it and allowing it does nothing");
  EXPECT_THAT(d[1].message, HasSubstr("starts with \"proxy-\""));
  EXPECT_THAT(d[2].message, HasSubstr("starts with \"sec-\""));
  ASSERT_TRUE(d[0].fix.has_value());
  EXPECT_EQ(ApplyFix(text, *d[0].fix),
            "version = 1\n[defaults]\norigins = []\n"
            "allow_headers = [\"content-type\", \"proxy-authorization\", \"Sec-CH-UA\", "
            "\"origin\"]\n");
  EXPECT_THAT(Find("version = 1\n[defaults]\norigins = []\n"
                   "allow_headers = [\"authorization\", \"x-cookie\", \"x-sec-a\", \"*\"]\n",
                   Code::kForbiddenRequestHeader),
              IsEmpty());
}

TEST(LintTest, AccessControlHeaderInAllowHeaders) {
  const std::string text =
      "version = 1\n[defaults]\norigins = []\n"
      "allow_headers = [\"Access-Control-Allow-Origin\"]\n";
  std::vector<Diagnostic> d = Find(text, Code::kAccessControlAllowHeader);
  EXPECT_THAT(Places(d), ElementsAre("4:18"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  ASSERT_TRUE(d[0].fix.has_value());
  EXPECT_EQ(ApplyFix(text, *d[0].fix),
            "version = 1\n[defaults]\norigins = []\nallow_headers = []\n");
  // access-control-request-* are forbidden names: CORS110, not both.
  EXPECT_THAT(Find("version = 1\n[defaults]\norigins = []\n"
                   "allow_headers = [\"access-control-request-method\", \"x-access-control\"]\n",
                   Code::kAccessControlAllowHeader),
              IsEmpty());
}

TEST(LintTest, ForbiddenResponseHeader) {
  const std::string text =
      "version = 1\n[defaults]\norigins = []\n"
      "expose_headers = [\"x-request-id\", \"Set-Cookie\", \"set-cookie2\"]\n";
  std::vector<Diagnostic> d = Find(text, Code::kForbiddenResponseHeader);
  EXPECT_THAT(Places(d), ElementsAre("4:35", "4:49"));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  ASSERT_TRUE(d[0].fix.has_value());
  EXPECT_EQ(ApplyFix(text, *d[0].fix),
            "version = 1\n[defaults]\norigins = []\n"
            "expose_headers = [\"x-request-id\", \"set-cookie2\"]\n");
  EXPECT_THAT(Find("version = 1\n[defaults]\norigins = []\n"
                   "expose_headers = [\"x-set-cookie\", \"cookie\"]\n",
                   Code::kForbiddenResponseHeader),
              IsEmpty());
}

TEST(LintTest, LowerCaseMethodWithFix) {
  const std::string text =
      "version = 1\n[defaults]\norigins = []\nmethods = [\"GET\", \"patch\", \"Propfind\"]\n";
  std::vector<Diagnostic> d = Find(text, Code::kLowerCaseMethod);
  EXPECT_THAT(Places(d), ElementsAre("4:19", "4:28"));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  EXPECT_EQ(d[0].message,
            "method \"patch\" is compared case-sensitively: browsers upper-case only GET, HEAD, "
            "POST, PUT, DELETE and OPTIONS and send any other method as the script wrote it, so "
            "\"patch\" matches only fetch(url, {method: \"patch\"}); \"PATCH\" is almost "
            "certainly meant");
  ASSERT_TRUE(d[0].fix.has_value());
  EXPECT_EQ(d[0].fix->where.column, 20u);
  EXPECT_EQ(d[0].fix->replacement, "PATCH");
  EXPECT_EQ(d[1].fix->replacement, "PROPFIND");
  // The six normalized methods, in any case, and "*" are fine.
  EXPECT_THAT(Find("version = 1\n[defaults]\norigins = []\n"
                   "methods = [\"get\", \"Delete\", \"PATCH\", \"*\"]\n",
                   Code::kLowerCaseMethod),
              IsEmpty());
}

// ------------------------------------------------------------------- values

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
                              Quiet());
  std::vector<Diagnostic> chromium = WithCode(c, Code::kMaxAgeAboveChromium);
  std::vector<Diagnostic> firefox = WithCode(c, Code::kMaxAgeAboveFirefox);
  EXPECT_THAT(Places(chromium), ElementsAre("4:11", "10:11"));
  EXPECT_THAT(Places(firefox), ElementsAre("7:11"));
  ASSERT_EQ(firefox.size(), 1u);
  EXPECT_EQ(chromium[0].severity, Severity::kWarning);
  EXPECT_EQ(firefox[0].severity, Severity::kWarning);
  EXPECT_THAT(
      Find("version = 1\n[defaults]\norigins = []\nmax_age = 7200\n", Code::kMaxAgeAboveChromium),
      IsEmpty());
}

TEST(LintTest, PrivateNetworkWithAnyOrigin) {
  std::vector<Diagnostic> d = Find(R"(version = 1
[defaults]
origins = ["https://a.example.com"]
[[routes]]
path = "/device/**"
origins = ["*"]
private_network = true
)",
                                   Code::kPrivateNetworkAnyOrigin);
  // The later of the two places, with a note at the other.
  EXPECT_THAT(Places(d), ElementsAre("7:1"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  ASSERT_EQ(d[0].notes.size(), 1u);
  EXPECT_EQ(d[0].notes[0].where.line, 6u);
  EXPECT_EQ(d[0].notes[0].where.column, 12u);
  EXPECT_THAT(Find(R"(version = 1
[defaults]
origins = ["*"]
[[routes]]
path = "/device/**"
origins = ["https://a.example.com"]
private_network = true
)",
                   Code::kPrivateNetworkAnyOrigin),
              IsEmpty());
}

// ------------------------------------------------------------------- routes

TEST(LintTest, RouteThatChangesNothing) {
  std::vector<Diagnostic> d = Find(R"(version = 1
[defaults]
origins = ["https://a.example.com"]
methods = ["GET"]
[[routes]]
path = "/bare"
[[routes]]
path = "/same"
methods = ["GET"]
credentials = false
[[routes]]
path = "/different"
methods = ["GET", "PUT"]
[[routes]]
path = "/same-list"
origins = ["https://a.example.com"]
[[routes]]
path = "/other-list"
origins = [{ regex = 'https://a\.example\.com' }]
)",
                                   Code::kRouteChangesNothing);
  // "/same-list" writes its own list, with the same content.
  EXPECT_THAT(Places(d), ElementsAre("6:8", "8:8", "15:8"));
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].severity, Severity::kNote);
  EXPECT_EQ(d[0].message,
            "route \"/bare\" changes nothing: its paths get the same answers without it (from "
            "[defaults]); remove it or set what it should change");
}

TEST(LintTest, BareRouteUnderARestrictedOneChangesSomething) {
  // "/admin/public" resets what "/admin/**" restricts: it matters (and is
  // worth a look, CORS132).
  const std::string text = R"(version = 1
[defaults]
origins = ["https://a.example.com"]
[[routes]]
path = "/admin/**"
origins = []
[[routes]]
path = "/admin/public"
)";
  EXPECT_THAT(Find(text, Code::kRouteChangesNothing), IsEmpty());
  EXPECT_THAT(Places(Find(text, Code::kSpecificRouteWidens)), ElementsAre("8:8"));
  // Without [defaults] origins there is no catch-all: the route opens its path.
  EXPECT_THAT(Find(R"(version = 1
[[routes]]
path = "/a"
origins = ["https://a.example.com"]
)",
                   Code::kRouteChangesNothing),
              IsEmpty());
}

TEST(LintTest, UnreachableRoute) {
  // Every path of "/a/**" ("/a", "/a/", "/a/x...", "/a//...") is taken by a
  // more specific route.
  const std::string text = R"(version = 1
[defaults]
origins = ["https://a.example.com"]
[[routes]]
path = "/a/**"
methods = ["GET"]
[[routes]]
path = "/a"
[[routes]]
path = "/a/"
[[routes]]
path = "/a/{x}"
[[routes]]
path = "/a/{x}/**"
[[routes]]
path = "/a//**"
)";
  std::vector<Diagnostic> d = Find(text, Code::kUnreachableRoute);
  EXPECT_THAT(Places(d), ElementsAre("5:8"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  EXPECT_EQ(d[0].message,
            "route \"/a/**\" never applies: every path it matches is taken by a more specific "
            "route (\"/a\", \"/a/\", \"/a/{x}\" and 2 more)");
  // Without "/a//**", the path "/a//x" still reaches "/a/**".
  std::string reachable = text.substr(0, text.find("[[routes]]\npath = \"/a//**\""));
  EXPECT_THAT(Find(reachable, Code::kUnreachableRoute), IsEmpty());
}

TEST(LintTest, SpecificRouteThatWidens) {
  std::vector<Diagnostic> d = Find(R"(version = 1
[defaults]
origins = ["https://app.example.com", "https://*.partner.example"]
credentials = true
methods = ["GET", "POST", "DELETE"]
[[routes]]
path = "/admin/**"
origins = ["https://admin.example.com"]
methods = ["GET"]
[[routes]]
path = "/admin/{section}"
[[routes]]
path = "/admin/{section}/audit"
origins = []
)",
                                   Code::kSpecificRouteWidens);
  EXPECT_THAT(Places(d), ElementsAre("11:8"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::kNote);
  EXPECT_EQ(d[0].message,
            "route \"/admin/{section}\" is more specific than route \"/admin/**\", which it "
            "overlaps, and grants more: origin \"https://app.example.com\", method \"POST\"");
  ASSERT_EQ(d[0].notes.size(), 1u);
  EXPECT_EQ(d[0].notes[0].where.line, 7u);
}

// ----------------------------------------------------------------- profiles

const char kSensitivePolicy[] = R"(version = 1
[defaults]
origins = ["https://app.example.com"]
[[routes]]
path = "/admin/**"
sensitive = true
origins = ["https://admin.example.com"]
methods = ["GET"]
[[routes]]
path = "/public/**"
origins = ["*"]
credentials = false
)";

TEST(LintTest, ProfileWideningASensitiveRoute) {
  std::string text = std::string(kSensitivePolicy) + R"([profiles.dev.defaults]
credentials = true
[[profiles.dev.routes]]
path = "/admin/**"
origins.add = ["http://localhost:3000"]
methods = ["GET", "DELETE"]
[profiles.prod]
)";
  for (const char* selected : {"", "dev", "prod"}) {
    SCOPED_TRACE(selected);
    CompileOptions o = Quiet();
    o.profile = selected;
    std::vector<Diagnostic> d = Find(text, Code::kSensitiveRouteWidened, o);
    // The added origin, credentials, the added method: each where the
    // profile sets it, whichever profile is selected.
    EXPECT_THAT(Places(d), ElementsAre("14:1", "17:16", "18:19"));
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0].severity, Severity::kWarning);
    EXPECT_THAT(d[0].message, HasSubstr("it grants credentials"));
    EXPECT_EQ(d[1].message,
              "profile \"dev\" widens the sensitive route \"/admin/**\": it grants origin "
              "\"http://localhost:3000\", which production does not");
    ASSERT_EQ(d[1].notes.size(), 1u);
    EXPECT_EQ(d[1].notes[0].where.line, 6u);
    EXPECT_THAT(d[2].message, HasSubstr("it grants method \"DELETE\""));
  }
}

TEST(LintTest, ProfileAddingARouteInsideASensitiveOne) {
  std::string text = std::string(kSensitivePolicy) + R"([[profiles.dev.routes]]
path = "/admin/debug"
)";
  std::vector<Diagnostic> d = Find(text, Code::kSensitiveRouteWidened);
  EXPECT_THAT(Places(d), ElementsAre("14:8"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message,
            "profile \"dev\" adds route \"/admin/debug\", which takes paths of the sensitive "
            "route \"/admin/**\" and grants more than production: origin "
            "\"https://app.example.com\", method \"HEAD\"");
}

TEST(LintTest, ProfilesThatKeepOrNarrowASensitiveRouteAreQuiet) {
  std::string text = std::string(kSensitivePolicy) + R"([profiles.dev.defaults]
origins.add = ["http://localhost:3000"]
[[profiles.dev.routes]]
path = "/admin/**"
origins = ["https://admin.example.com"]
methods = []
[[profiles.dev.routes]]
path = "/public/**"
methods = ["GET", "PUT"]
)";
  EXPECT_THAT(Find(text, Code::kSensitiveRouteWidened), IsEmpty());
  // Without the mark, nothing is said.
  std::string unmarked = text;
  unmarked.erase(unmarked.find("sensitive = true\n"), 17);
  EXPECT_THAT(Find(unmarked, Code::kSensitiveRouteWidened), IsEmpty());
}

TEST(LintTest, SensitiveIsAKeyOfBaseRoutesOnly) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = []
[[routes]]
path = "/a"
sensitive = "yes"
[[profiles.dev.routes]]
path = "/a"
sensitive = false
)");
  EXPECT_THAT(Places(WithCode(c, Code::kWrongType)), ElementsAre("6:13"));
  EXPECT_THAT(Places(WithCode(c, Code::kUnknownKey)), ElementsAre("9:1"));
  // It changes nothing in the table.
  Compilation plain = CompileText(
      "version = 1\n[defaults]\norigins = []\n[[routes]]\n"
      "path = \"/a\"\nsensitive = true\n");
  ASSERT_TRUE(plain.ok()) << Describe(plain.diagnostics);
}

// -------------------------------------------------------------------- tests

TEST(LintTest, PolicyWithoutTests) {
  Compilation c = CompileText("version = 1\n[defaults]\norigins = []\n", Linting());
  std::vector<Diagnostic> d = WithCode(c, Code::kNoTests);
  EXPECT_THAT(Places(d), ElementsAre("1:1"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::kNote);
  Compilation with = testing::CompileFiles(
      {{"a.toml", "version = 1\n[defaults]\norigins = []\n"},
       {"b.toml",
        "version = 1\n[[tests]]\nrequest = { path = \"/\", headers = { Origin = \"https://x.y\" } "
        "}\nexpect = { allowed = false }\n"}},
      Linting());
  EXPECT_THAT(WithCode(with, Code::kNoTests), IsEmpty()) << Describe(with.diagnostics);
  // Not on a policy with errors: those are the news.
  Compilation broken =
      CompileText("version = 1\n[defaults]\norigins = [\"https://*.com\"]\n", Linting());
  EXPECT_TRUE(HasErrors(broken.diagnostics)) << Describe(broken.diagnostics);
  EXPECT_THAT(WithCode(broken, Code::kNoTests), IsEmpty()) << Describe(broken.diagnostics);
}

TEST(LintTest, TestThatCannotFail) {
  std::vector<Diagnostic> d = Find(R"(version = 1
[defaults]
origins = ["https://a.example.com"]
[[tests]]
name = "no origin"
request = { path = "/x" }
expect = { allowed = true, kind = "not-cors", status = 0 }
[[tests]]
name = "a header corsc never sends"
request = { path = "/x", headers = { Origin = "https://a.example.com" } }
expect = { headers = { X-Powered-By = false } }
[[tests]]
name = "preflight headers on an actual request"
request = { method = "GET", path = "/x", headers = { Origin = "https://a.example.com" } }
expect = { kind = "actual", headers = { Access-Control-Allow-Methods = false } }
[[tests]]
name = "private network not asked"
request = { method = "OPTIONS", path = "/x", headers = { Origin = "https://a.example.com", Access-Control-Request-Method = "GET" } }
expect = { headers = { Access-Control-Allow-Private-Network = false, Access-Control-Allow-Headers = false } }
)",
                                   Code::kTestCannotFail);
  EXPECT_THAT(Places(d), ElementsAre("7:10", "11:10", "15:10", "19:10"));
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  EXPECT_EQ(d[0].message,
            "test \"no origin\" cannot fail: what it expects follows from its request alone "
            "(allowed = true; kind \"not-cors\"; status 0); the request has no Origin header, so "
            "it is a not-cors request whatever the policy says; add an Origin header to test a "
            "CORS decision");
  EXPECT_THAT(d[1].message, HasSubstr("\"X-Powered-By\" is a header corsc never sends"));
}

TEST(LintTest, TestsThatCanFailAreQuiet) {
  EXPECT_THAT(Find(R"(version = 1
[defaults]
origins = ["https://a.example.com"]
[[tests]]
request = { path = "/x", headers = { Origin = "https://a.example.com" } }
expect = { allowed = true }
[[tests]]
request = { path = "/x" }
expect = { kind = "not-cors", headers = { Vary = false } }
[[tests]]
request = { path = "/x" }
expect = { route = "[defaults]" }
[[tests]]
request = { path = "/x", headers = { Origin = "https://a.example.com" } }
expect = { headers = { Access-Control-Allow-Credentials = false } }
)",
                   Code::kTestCannotFail),
              IsEmpty());
}

// --------------------------------------------------- overrides, suppressions

const char kTwoWarnings[] = R"(version = 1
[defaults]
origins = ["https://App.example.com", "null"]
)";

TEST(LintTest, SeverityOverrides) {
  CompileOptions o = Quiet();
  o.severity_overrides[Code::kNonCanonicalOrigin] = Severity::kError;
  o.severity_overrides[Code::kNullOrigin] = Severity::kNote;
  Compilation c = CompileText(kTwoWarnings, o);
  ASSERT_EQ(c.diagnostics.size(), 2u) << Describe(c.diagnostics);
  EXPECT_EQ(c.diagnostics[0].severity, Severity::kError);
  EXPECT_EQ(c.diagnostics[1].severity, Severity::kNote);
  EXPECT_FALSE(c.policy.has_value()) << "a lint finding turned error stops compilation";

  o.severity_overrides[Code::kNullOrigin] = std::nullopt;
  c = CompileText(kTwoWarnings, o);
  EXPECT_THAT(Places(c.diagnostics), ElementsAre("3:12"));
}

TEST(LintTest, ErrorsOfTheLanguageCannotBeDowngraded) {
  CompileOptions o = Quiet();
  o.severity_overrides[Code::kStarWithCredentials] = Severity::kError;  // a no-op
  EXPECT_TRUE(CompileText(kTwoWarnings, o).status.ok());
  o.severity_overrides[Code::kStarWithCredentials] = Severity::kWarning;
  Compilation c = CompileText(kTwoWarnings, o);
  EXPECT_EQ(c.status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(c.status.message(), HasSubstr("CORS013 is an error of the policy language"));
  o.severity_overrides[Code::kStarWithCredentials] = std::nullopt;
  EXPECT_EQ(CompileText(kTwoWarnings, o).status.code(), Status::Code::kInvalidArgument);
}

// compiler.h documents the check for every Compile, not only when linting:
// without lint the override did nothing, and a caller never heard of it.
TEST(LintTest, OverridesAreCheckedWithoutLint) {
  CompileOptions o;
  ASSERT_FALSE(o.lint);
  o.severity_overrides[Code::kStarWithCredentials] = Severity::kWarning;
  Compilation c = CompileText(kTwoWarnings, o);
  EXPECT_EQ(c.status.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(c.status.message(), HasSubstr("CORS013 is an error of the policy language"));
  EXPECT_EQ(c.table, nullptr);
  o.severity_overrides[Code::kStarWithCredentials] = std::nullopt;
  EXPECT_EQ(CompileText(kTwoWarnings, o).status.code(), Status::Code::kInvalidArgument);
  o.severity_overrides[Code::kStarWithCredentials] = Severity::kError;  // a no-op
  o.severity_overrides[Code::kNullOrigin] = std::nullopt;
  EXPECT_TRUE(CompileText(kTwoWarnings, o).ok());
}

TEST(LintTest, UnknownCodeInOverrides) {
  for (bool lint : {false, true}) {
    CompileOptions o = lint ? Quiet() : CompileOptions{};
    o.severity_overrides[static_cast<Code>(999)] = std::nullopt;
    Compilation c = CompileText(kTwoWarnings, o);
    EXPECT_EQ(c.status.code(), Status::Code::kInvalidArgument) << "lint " << lint;
    EXPECT_THAT(c.status.message(), HasSubstr("CORS999 is not a corsc code")) << "lint " << lint;
    // A value between two codes, and one above a code below 100.
    o.severity_overrides.clear();
    o.severity_overrides[static_cast<Code>(8)] = Severity::kError;
    EXPECT_EQ(CompileText(kTwoWarnings, o).status.code(), Status::Code::kInvalidArgument);
    o.severity_overrides.clear();
    o.severity_overrides[static_cast<Code>(109)] = Severity::kWarning;
    EXPECT_EQ(CompileText(kTwoWarnings, o).status.code(), Status::Code::kInvalidArgument);
  }
  EXPECT_TRUE(CheckSeverityOverrides({{Code::kNullOrigin, std::nullopt}}).ok());
  EXPECT_FALSE(CheckSeverityOverrides({{static_cast<Code>(0), Severity::kError}}).ok());
}

TEST(LintTest, InlineSuppressionOnTheLineOrTheLineBefore) {
  Compilation c = CompileText(R"(version = 1
[defaults]
origins = ["https://App.example.com", "null"]  # corsc:ignore CORS101
[[routes]]
path = "/a"
# corsc:ignore CORS100, CORS101 -- the partner asked for both
origins = ["https://B.example.com", "null"]
[[routes]]
path = "/b"
origins = ["https://C.example.com"]  # corsc:ignore CORS101
max_age = 9999
)",
                              Quiet());
  // Line 3 keeps CORS100; line 7 keeps nothing; a trailing comment on
  // line 10 says nothing about line 11.
  EXPECT_THAT(Places(c.diagnostics), ElementsAre("3:12", "10:12", "11:11"))
      << Describe(c.diagnostics);
}

TEST(LintTest, InlineSuppressionIgnoresHashesInStrings) {
  Compilation c = CompileText(R"(version = 1
name = "# corsc:ignore CORS101"
[defaults]
origins = ["null", 'a # corsc:ignore CORS101', """
# corsc:ignore CORS101
"""]
)",
                              Quiet());
  EXPECT_FALSE(WithCode(c, Code::kNullOrigin).empty()) << Describe(c.diagnostics);
}

TEST(LintTest, InvalidSuppressionComments) {
  Compilation c = CompileText(R"(version = 1
[defaults]
# corsc:ignore
origins = ["null"]  # corsc:ignore CORS999, CORS013, CORS101
)",
                              Quiet());
  std::vector<Diagnostic> d = WithCode(c, Code::kInvalidSuppression);
  EXPECT_THAT(Places(d), ElementsAre("3:3", "4:36", "4:45"));
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  EXPECT_THAT(d[0].message, HasSubstr("names no code"));
  EXPECT_EQ(d[1].message, "unknown code \"CORS999\" in a corsc:ignore comment");
  EXPECT_THAT(d[2].message, HasSubstr("CORS013 is an error of the policy language"));
  // The valid code of the list still applies.
  EXPECT_THAT(WithCode(c, Code::kNullOrigin), IsEmpty());
}

TEST(LintTest, CompilePathReportsNoLintFinding) {
  const char* policy = R"(version = 1
[defaults]
origins = ["https://App.example.com", "null", "*"]
max_age = 100000
)";
  Compilation linted = CompileText(policy, Linting());
  EXPECT_EQ(linted.diagnostics.size(), 5u) << Describe(linted.diagnostics);
  for (const Diagnostic& d : linted.diagnostics) {
    EXPECT_GE(static_cast<int>(d.code), 100);
    EXPECT_NE(d.severity, Severity::kError);
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
                              Quiet());
  std::vector<Diagnostic> d = WithCode(c, Code::kNonCanonicalOrigin);
  ASSERT_EQ(d.size(), 1u) << Describe(c.diagnostics);
  EXPECT_EQ(d[0].where.line, 5u);
}

TEST(LintTest, ValidCorpusLintsWithoutErrors) {
  // Every rule is a warning or a note by default: a valid policy never
  // fails `corsc lint`.
  for (const CodeInfo& info : Catalogue()) {
    if (static_cast<unsigned>(info.code) >= 100) {
      EXPECT_NE(info.severity, Severity::kError) << FormatCode(info.code);
      EXPECT_FALSE(info.help.empty()) << FormatCode(info.code);
    }
  }
}

// ------------------------------------------------------------- the analyses

TEST(RegexAnalysisTest, RegistrableDomain) {
  EXPECT_EQ(RegistrableDomain("a.b.example.com"), "example.com");
  EXPECT_EQ(RegistrableDomain("x.example.co.uk"), "example.co.uk");
  EXPECT_EQ(RegistrableDomain(".example.com"), "example.com");
  EXPECT_EQ(RegistrableDomain("com"), "com");
  EXPECT_EQ(RegistrableDomain("app.examplexcom"), "app.examplexcom");
}

TEST(RegexAnalysisTest, EveryLookAlikeMatches) {
  for (const char* regex :
       {R"(^https://a.b.example.com$)", R"(^https://[a-z.]+example\.com$)",
        R"(^https://.+example\.com$)", R"(^https?://(www.)?example\.com(:\d+)?$)",
        R"(^https://(a|.*)\.example\.com.*$)"}) {
    SCOPED_TRACE(regex);
    std::vector<LookAlike> found = FindLookAlikes(regex);
    EXPECT_FALSE(found.empty());
    for (const LookAlike& l : found) {
      EXPECT_TRUE(Re2Matches(regex, l.origin)) << l.origin;
      EXPECT_NE(RegistrableDomain(l.origin.substr(l.origin.find("://") + 3)), "example.com")
          << l.origin;
    }
  }
}

TEST(RegexAnalysisTest, OutsideTheSubsetNothingIsSaid) {
  for (const char* regex : {R"((?i)^https://app.example.com$)", R"(^https://\bapp.example.com$)",
                            R"(^https://[[:alpha:]]+.example\.com$)"}) {
    EXPECT_TRUE(FindLookAlikes(regex).empty()) << regex;
    EXPECT_FALSE(EquivalentPatterns(regex).has_value()) << regex;
  }
  EXPECT_TRUE(FindLookAlikes(std::string(kMaxAnalyzedRegex + 1, 'a')).empty());
}

RouteShape Shape(const char* path) { return *ParseRouteShape(path); }

TEST(RouteAnalysisTest, SpecificityAndOverlap) {
  EXPECT_TRUE(MoreSpecific(Shape("/a"), Shape("/a/**")));
  EXPECT_TRUE(MoreSpecific(Shape("/a/{x}"), Shape("/a/{x}/**")));
  EXPECT_TRUE(MoreSpecific(Shape("/a/b"), Shape("/a/{x}")));
  EXPECT_TRUE(MoreSpecific(Shape("/a/{x}/**"), Shape("/a/**")));
  EXPECT_TRUE(Overlap(Shape("/a/{x}"), Shape("/{y}/b")));
  EXPECT_TRUE(Overlap(Shape("/a/**"), Shape("/a")));
  EXPECT_FALSE(Overlap(Shape("/a/{x}"), Shape("/a/")));  // a parameter needs a non-empty segment
  EXPECT_FALSE(Overlap(Shape("/a"), Shape("/a/b")));
  EXPECT_FALSE(Overlap(Shape("/a/**"), Shape("/b")));
}

TEST(RouteAnalysisTest, Reachability) {
  auto reach = [](const char* route, std::vector<const char*> others) {
    std::vector<RouteShape> shapes;
    for (const char* o : others) shapes.push_back(Shape(o));
    std::vector<const RouteShape*> ptrs;
    for (const RouteShape& s : shapes) ptrs.push_back(&s);
    return Reachability(Shape(route), ptrs, 10000);
  };
  EXPECT_EQ(reach("/{x}", {"/a"}), Reach::kReachable);
  EXPECT_EQ(reach("/**", {"/", "/{x}/**", "//**"}), Reach::kUnreachable);
  EXPECT_EQ(reach("/**", {"/{x}/**"}), Reach::kReachable);            // "/", one empty segment
  EXPECT_EQ(reach("/a/**", {"/a", "/a/{x}/**"}), Reach::kReachable);  // "/a/"
  EXPECT_EQ(reach("/a/**", {"/a", "/a/", "/a/{x}", "/a/{x}/**", "/a//**"}), Reach::kUnreachable);
  EXPECT_EQ(reach("/a/{x}", {"/a/b", "/a/c"}), Reach::kReachable);
  // A walk that runs out of budget says so.
  EXPECT_EQ(Reachability(Shape("/**"), {}, 0), Reach::kUnknown);
}

TEST(OriginCoverageTest, EqualPatternsCoverOnlyLaterOnes) {
  std::vector<OriginPattern> list(2);
  list[0].kind = list[1].kind = OriginKind::kExact;
  list[0].canonical = list[1].canonical = "https://a.example.com";
  list[0].scheme = list[1].scheme = "https";
  list[0].host = list[1].host = "a.example.com";
  list[0].port = list[1].port = kNoPort;
  OriginCoverage c(list);
  EXPECT_EQ(c.Covering(list[0], 0), OriginCoverage::kNone);
  EXPECT_EQ(c.Covering(list[1], 1), 0u);
  EXPECT_EQ(c.Covering(list[1]), 0u);
}

TEST(OriginCoverageTest, MatchesAsTheEngine) {
  std::vector<OriginPattern> list(3);
  list[0].kind = OriginKind::kHostAnyPort;
  list[0].canonical = "http://localhost:*";
  list[0].scheme = "http";
  list[0].host = "localhost";
  list[0].port = kAnyPort;
  list[1].kind = OriginKind::kSubdomain;
  list[1].canonical = "https://*.example.com:8443";
  list[1].scheme = "https";
  list[1].host = "example.com";
  list[1].port = 8443;
  // Fits in kRegexMaxMem alone, not as an RE2::Set: run alone.
  list[2].kind = OriginKind::kRegex;
  list[2].canonical = "https://\\pL{63}\\.\\pL{63}\\.\\pL{63}\\.example\\.org";
  OriginCoverage c(list);
  EXPECT_EQ(c.Matches("http://localhost:3000"), true);
  EXPECT_EQ(c.Matches("https://a.b.example.com:8443"), true);
  EXPECT_EQ(c.Matches("https://example.com:8443"), false);  // not below
  EXPECT_EQ(c.Matches("https://a.example.com"), false);     // another port
  EXPECT_EQ(c.Matches("HTTP://localhost:3000"), false);     // not canonical
  const std::string label(63, 'a');
  const std::string big = "https://" + label + "." + label + "." + label + ".example.org";
  EXPECT_EQ(c.Matches(big), true);
  EXPECT_EQ(c.Matches("https://a.example.org"), false);
  OriginPattern exact;
  exact.kind = OriginKind::kExact;
  exact.canonical = big;
  exact.scheme = "https";
  exact.host = big.substr(8);
  EXPECT_EQ(c.Covering(exact), 2u);
  // A regex that does not compile: whether it matches is not known.
  std::vector<OriginPattern> broken(1);
  broken[0].kind = OriginKind::kRegex;
  broken[0].canonical = "https://(";
  OriginCoverage b(broken);
  EXPECT_EQ(b.Matches("https://a.example.org"), std::nullopt);
  EXPECT_EQ(b.Matches("null"), false);
}

TEST(SuppressionsTest, Scanner) {
  std::vector<SuppressionComment> s = ScanSuppressions(
      "a = 1 # corsc:ignore CORS101,CORS103 because\n"
      "  # corsc:ignore cors104\n"
      "b = '''\n# corsc:ignore CORS101\n'''\n"
      "c = \"\\\" # corsc:ignore CORS101\"\n"
      "# corsc:ignored CORS101\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].line, 1u);
  EXPECT_FALSE(s[0].own_line);
  EXPECT_THAT(s[0].codes, ElementsAre(Code::kNullOrigin, Code::kCoveredOrigin));
  EXPECT_EQ(s[1].line, 2u);
  EXPECT_TRUE(s[1].own_line);
  EXPECT_THAT(s[1].codes, ElementsAre(Code::kDuplicateOrigin));
}

}  // namespace
}  // namespace corsc

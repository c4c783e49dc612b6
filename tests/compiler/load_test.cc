// Copyright corsc developers.
//
// Loading: TOML syntax errors, keys, types, versions, positions (columns in
// bytes), and [[tests]] entries into PolicyTest.

#include "load.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace corsc {
namespace {

using testing::CompileFiles;
using testing::CompileText;
using testing::Describe;
using testing::OneErrorAt;
using testing::WithCode;

TEST(LoadTest, SyntaxErrorAtItsLineAndColumn) {
  Compilation c = CompileText("version = 1\n[defaults]\ncredentials = yes\n");
  EXPECT_TRUE(OneErrorAt(c, Code::kTomlSyntax, 3, 15));
  EXPECT_EQ(c.diagnostics[0].message.rfind("invalid TOML", 0), 0u) << c.diagnostics[0].message;
}

TEST(LoadTest, SyntaxErrorFileContributesOnlyThatErrorOthersAreChecked) {
  std::vector<SourceFile> files = {
      {"a.toml", "version = 1\n[defaults]\norigins = [\"https://*.com\"\n"},  // unclosed
      {"b.toml", "version = 1\n[defaults]\norigins = [\"https://*.com\"]\nmethods = [\"TRACE\"]\n"},
  };
  Compilation c = CompileFiles(files);
  ASSERT_EQ(c.diagnostics.size(), 3u) << Describe(c.diagnostics);
  EXPECT_EQ(c.diagnostics[0].where.file, "a.toml");
  EXPECT_EQ(c.diagnostics[0].code, Code::kTomlSyntax);
  EXPECT_EQ(c.diagnostics[1].where.file, "b.toml");
  EXPECT_EQ(c.diagnostics[1].code, Code::kWildcardAbovePublicSuffix);
  EXPECT_EQ(c.diagnostics[2].code, Code::kForbiddenMethod);
  // The second [defaults] is no duplicate: the first file contributed nothing.
  EXPECT_TRUE(WithCode(c, Code::kDuplicateDefaults).empty());
}

TEST(LoadTest, VersionRules) {
  EXPECT_TRUE(OneErrorAt(CompileText("[defaults]\norigins = []\n"), Code::kBadVersion, 1, 1));
  EXPECT_TRUE(OneErrorAt(CompileText("version = 2\n"), Code::kBadVersion, 1, 11));
  EXPECT_TRUE(OneErrorAt(CompileText("version = 1.0\n"), Code::kBadVersion, 1, 11));
  Compilation ok = CompileText("version = 1\n");
  EXPECT_TRUE(ok.diagnostics.empty()) << Describe(ok.diagnostics);
  EXPECT_TRUE(ok.policy.has_value());
}

TEST(LoadTest, EveryFileNeedsItsVersion) {
  std::vector<SourceFile> files = {{"a.toml", "version = 1\n"}, {"b.toml", "name = \"x\"\n"}};
  Compilation c = CompileFiles(files);
  ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics);
  EXPECT_EQ(c.diagnostics[0].where.file, "b.toml");
  EXPECT_EQ(c.diagnostics[0].code, Code::kBadVersion);
}

TEST(LoadTest, UnknownKeysEverywhereWithSuggestions) {
  const char* policy = R"(version = 1
nmae = "x"
[defaults]
origins = ["https://app.example.com"]
credentiels = true
[[routes]]
path = "/a"
metods = ["GET"]
[profiles.dev]
defualts = {}
[[profiles.dev.routes]]
path = "/b"
origins = [{ regex = "^x$", flags = "i" }]
zzz = 1
[[tests]]
name = "t"
request = { path = "/", methd = "GET" }
expect = { allowed = true, resaon = "ok" }
)";
  Compilation c = CompileText(policy);
  std::vector<Diagnostic> unknown = WithCode(c, Code::kUnknownKey);
  ASSERT_EQ(unknown.size(), 8u) << Describe(c.diagnostics);
  EXPECT_EQ(unknown.size(), c.diagnostics.size()) << Describe(c.diagnostics);
  const std::pair<uint32_t, const char*> expected[] = {
      {2, "unknown key \"nmae\" in the top level; did you mean \"name\"?"},
      {5, "unknown key \"credentiels\" in [defaults]; did you mean \"credentials\"?"},
      {8, "unknown key \"metods\" in [[routes]]; did you mean \"methods\"?"},
      {10, "unknown key \"defualts\" in [profiles.dev]; did you mean \"defaults\"?"},
      {13, "unknown key \"flags\" in an origin pattern table (only \"regex\" is allowed)"},
      {14, "unknown key \"zzz\" in [[profiles.dev.routes]]"},
      {17, "unknown key \"methd\" in a test's \"request\"; did you mean \"method\"?"},
      {18, "unknown key \"resaon\" in a test's \"expect\"; did you mean \"reason\"?"},
  };
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(unknown[i].where.line, expected[i].first);
    EXPECT_EQ(unknown[i].message, expected[i].second);
  }
  // The key is underlined.
  EXPECT_EQ(unknown[1].where.column, 1u);
  EXPECT_EQ(unknown[1].where.length, 11u);
}

TEST(LoadTest, WrongTypesNameTheKeyAndTheType) {
  Compilation c = CompileText(
      "version = 1\n[defaults]\norigins = [\"https://a.example.com\"]\n"
      "max_age = \"600\"\ncredentials = 1\nmethods = [\"GET\", 3]\n");
  ASSERT_EQ(c.diagnostics.size(), 3u) << Describe(c.diagnostics);
  EXPECT_EQ(c.diagnostics[0].message, "\"max_age\" must be an integer, not a string");
  EXPECT_EQ(c.diagnostics[0].where.column, 11u);
  EXPECT_EQ(c.diagnostics[1].message,
            "\"credentials\" must be a boolean (true or false), not an integer");
  EXPECT_EQ(c.diagnostics[2].message,
            "the elements of \"methods\" must be strings, not an integer");
  EXPECT_EQ(c.diagnostics[2].where.column, 19u);
  for (const Diagnostic& d : c.diagnostics) EXPECT_EQ(d.code, Code::kWrongType);
}

TEST(LoadTest, WrongTypedOriginsStillCountAsSet) {
  // No "route without origins" on top of the type error.
  Compilation c = CompileText("version = 1\n[[routes]]\npath = \"/a\"\norigins = \"*\"\n");
  EXPECT_TRUE(OneErrorAt(c, Code::kWrongType, 4, 11));
}

TEST(LoadTest, ColumnsCountBytesAfterNonAsciiText) {
  // "é" is two bytes: the origin's column is a byte column.
  Compilation c = CompileText(
      "version = 1\nname = \"café\"\n[defaults]\n"
      "origins = [{ regex = 'é' }, \"https://é.example.com\"]\n");
  std::vector<Diagnostic> d = WithCode(c, Code::kNonAsciiHost);
  ASSERT_EQ(d.size(), 1u) << Describe(c.diagnostics);
  // origins = [{ regex = 'é' }, "https://é...
  // 1234567890123456789012345 6 7890123456789
  EXPECT_EQ(d[0].where.line, 4u);
  EXPECT_EQ(d[0].where.column, 39u);
}

TEST(LoadTest, ByteOrderMarkAndCrlf) {
  Compilation c = CompileText(
      "\xEF\xBB\xBFversion = 1\r\n[defaults]\r\norigins = [\"https://x.example.com/\"]\r\n");
  EXPECT_TRUE(OneErrorAt(c, Code::kMalformedOrigin, 3, 34));
}

TEST(LoadTest, KeyOfMoreThan256PartsIsASyntaxErrorAtTheDotPastTheLimit) {
  auto key = [](int parts) {
    std::string k = "a";
    for (int i = 1; i < parts; ++i) k += ".a";
    return k;
  };
  // "a.a.a...": the n-th dot is at byte column 2n; the 256th makes part 257.
  Compilation c = CompileText("version = 1\n" + key(257) + " = 1\n");
  ASSERT_TRUE(OneErrorAt(c, Code::kTomlSyntax, 2, 512));
  EXPECT_NE(c.diagnostics[0].message.find("more than 256 dotted parts"), std::string::npos)
      << c.diagnostics[0].message;
  EXPECT_TRUE(
      OneErrorAt(CompileText("version = 1\n[" + key(300) + "]\n"), Code::kTomlSyntax, 2, 513));
  EXPECT_TRUE(
      OneErrorAt(CompileText("version = 1\n[[" + key(300) + "]]\n"), Code::kTomlSyntax, 2, 514));
  EXPECT_TRUE(OneErrorAt(CompileText("version = 1\nx = {" + key(300) + " = 1}\n"),
                         Code::kTomlSyntax, 2, 517));
  // Spaces around the dots, quoted parts, CRLF, a BOM and a multi-byte
  // character before the key: still the byte column of the dot.
  std::string spaced = "\"é\"";
  for (int i = 1; i < 300; ++i) spaced += " . a";
  EXPECT_TRUE(
      OneErrorAt(CompileText("\xEF\xBB\xBFversion = 1\r\nname = \"é\"\r\n" + spaced + " = 1\r\n"),
                 Code::kTomlSyntax, 3, 4 + 4 * 255 + 2));
  // Inline tables nest a table per part too: their keys count together.
  EXPECT_TRUE(OneErrorAt(
      CompileText("version = 1\nx = {" + key(200) + " = {b = 1, " + key(58) + " = 2}}\n"),
      Code::kTomlSyntax, 2, 5 + 399 + 11 + 2 * 57));
  // 256 parts are read (and are an unknown key).
  EXPECT_TRUE(
      OneErrorAt(CompileText("version = 1\n" + key(256) + " = 1\n"), Code::kUnknownKey, 2, 1));
  EXPECT_TRUE(OneErrorAt(
      CompileText("version = 1\nx = {" + key(200) + " = {b = 1, " + key(57) + " = 2}}\n"),
      Code::kUnknownKey, 2, 1));
}

TEST(LoadTest, DotsInStringsCommentsAndValuesAreNoKey) {
  const std::string dots(300, '.');
  std::string floats;
  for (int i = 0; i < 300; ++i) floats += "1.5, 07:32:00.999, 1979-05-27T07:32:00.5Z, ";
  const std::string text =
      "version = 1\n"
      "name = \"" +
      dots + "\\\"" + dots +
      "\\\\\"\n"
      "# " +
      dots +
      " = [ { \" '\n"
      "\"" +
      dots +
      "\" = 1\n"
      "'x" +
      dots +
      "'.\"b\\\".c\" = 1\n"
      "m = \"\"\"" +
      dots + "\n= [ { ] } \"\" \\\"\"\" " + dots + "\n\\\n" + dots +
      "\"\"\"\"\"\n"
      "l = '''" +
      dots + "\n= [ { ] } '' " + dots +
      "''''\n"
      "f = [" +
      floats + "\n  " + floats + "] # " + dots +
      "\n"
      "t = { a.b = 1.5, c.\"d" +
      dots + "\" = '" + dots + "', e = [2.5, {f.g = 3.5}] }\n";
  Compilation c = CompileText(text);
  EXPECT_TRUE(WithCode(c, Code::kTomlSyntax).empty()) << Describe(c.diagnostics);
  // Read in step with toml++: a key after all of them is still found at its
  // place.
  std::string key = "a";
  for (int i = 0; i < 300; ++i) key += ".a";
  EXPECT_TRUE(OneErrorAt(CompileText(text + key + " = 1\n"), Code::kTomlSyntax, 15, 512));
}

TEST(LoadTest, InvalidUtf8IsReportedAtItsFirstByte) {
  struct Case {
    std::string text;
    uint32_t line, column;
    std::string_view why;
  };
  const Case cases[] = {
      {"version = 1\n\xff = 1\n", 2, 1, "0xFF cannot start a character"},
      {"version = 1\n# comment \xff\xfe\n", 2, 11, "0xFF"},
      {"version = 1\n[defaults]\norigins = [\"https://\xc3\xa9\xff.com\"]\n", 3, 23, "0xFF"},
      {"version = 1\nname = \"\x80\"\n", 2, 9, "0x80 continues no character"},
      {"version = 1\nname = \"\xc0\xaf\"\n", 2, 9, "overlong"},
      {"version = 1\nname = \"\xe0\x80\xaf\"\n", 2, 9, "overlong"},
      {"version = 1\nname = \"\xf0\x80\x80\xaf\"\n", 2, 9, "overlong"},
      {"version = 1\nname = \"\xed\xa0\x80\"\n", 2, 9, "surrogate"},
      {"version = 1\nname = \"\xf4\x90\x80\x80\"\n", 2, 9, "above U+10FFFF"},
      {"version = 1\nname = \"\xf5\x80\x80\x80\"\n", 2, 9, "0xF5 cannot start"},
      {"version = 1\nname = \"\xe2\x82\"\n", 2, 9, "3-byte character cut short"},
      {"version = 1\nname = \"ok\"\n# \xf0\x9f\x98", 3, 3, "4-byte character cut short"},
      // A BOM, CRLF and multi-byte characters before it: a byte column.
      {"\xEF\xBB\xBFversion = 1\r\nname = \"\xc3\xa9\xf0\x9f\x98\x80\xc3\x28\"\r\n", 2, 15,
       "0xC3 starts a 2-byte character cut short"},
  };
  for (const Case& k : cases) {
    Compilation c = CompileText(k.text);
    ASSERT_TRUE(OneErrorAt(c, Code::kTomlSyntax, k.line, k.column))
        << ::testing::PrintToString(k.text);
    EXPECT_EQ(c.diagnostics[0].message.rfind("invalid UTF-8: ", 0), 0u) << c.diagnostics[0].message;
    EXPECT_NE(c.diagnostics[0].message.find(k.why), std::string::npos) << c.diagnostics[0].message;
  }
  // The edges of the valid ranges are read.
  Compilation ok = CompileText(
      "version = 1\nname = \"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"
      "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"\n");
  EXPECT_TRUE(ok.diagnostics.empty()) << Describe(ok.diagnostics);
}

TEST(LoadTest, SyntaxErrorAtTheEndOfTheTextIsOnTheLastLine) {
  // toml++ puts the end of the text one column past the last line's end,
  // or on a line after it; the caret is drawn at the end of the last line.
  for (const std::string& text : {std::string("version = 1\n[defaults]\nx = [\n"),
                                  std::string("version = 1\n[defaults]\nx = ["),
                                  std::string("version = 1\r\n[defaults]\r\nx = [\r\n"),
                                  std::string("\xEF\xBB\xBFversion = 1\r\n[defaults]\r\nx = [")}) {
    EXPECT_TRUE(OneErrorAt(CompileText(text), Code::kTomlSyntax, 3, 6))
        << ::testing::PrintToString(text);
  }
  // "é" is two bytes: the end of line 3 is byte column 11.
  EXPECT_TRUE(OneErrorAt(CompileText("version = 1\n[defaults]\nx = [\"é\",\r\n"), Code::kTomlSyntax,
                         3, 11));
}

TEST(LoadTest, EscapedStringsPointAtTheWholeString) {
  // With an escape, byte offsets in the value are not columns: the whole
  // string is named instead.
  Compilation c =
      CompileText("version = 1\n[defaults]\norigins = [\"https://a\\u002eexample.com/\"]\n");
  ASSERT_TRUE(OneErrorAt(c, Code::kMalformedOrigin, 3, 12));
  EXPECT_EQ(c.diagnostics[0].where.length, 29u);
}

TEST(LoadTest, TestsIntoPolicyTest) {
  const char* policy = R"(version = 1
[defaults]
origins = ["https://app.example.com"]
[profiles.dev]

[[tests]]
name = "preflight"
profile = "dev"
request = { method = "OPTIONS", path = "/a", headers = { Origin = "https://app.example.com", Access-Control-Request-Method = "PUT", Access-Control-Request-Headers = ["x-a", "x-b"] } }
expect = { allowed = true, reason = "ok", kind = "preflight", status = 204, route = "[defaults]", origin_rule = "https://app.example.com", headers = { Vary = "Origin", Access-Control-Allow-Credentials = false } }

[[tests]]
request = { path = "/b" }
expect = { status = 0 }
)";
  Compilation c = CompileText(policy);
  ASSERT_TRUE(c.diagnostics.empty()) << Describe(c.diagnostics);
  ASSERT_TRUE(c.policy.has_value());
  ASSERT_EQ(c.policy->tests.size(), 2u);
  const PolicyTest& t = c.policy->tests[0];
  EXPECT_EQ(t.name, "preflight");
  EXPECT_EQ(t.profile, "dev");
  EXPECT_EQ(t.where.line, 6u);
  EXPECT_EQ(t.expect_where.line, 10u);
  EXPECT_EQ(t.method, "OPTIONS");
  EXPECT_EQ(t.path, "/a");
  // Header lines in file order; an array is several lines.
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Origin", "https://app.example.com"},
      {"Access-Control-Request-Method", "PUT"},
      {"Access-Control-Request-Headers", "x-a"},
      {"Access-Control-Request-Headers", "x-b"},
  };
  EXPECT_EQ(t.headers, headers);
  EXPECT_EQ(t.allowed, true);
  EXPECT_EQ(t.reason, Reason::kOk);
  EXPECT_EQ(t.kind, Kind::kPreflight);
  EXPECT_EQ(t.status, 204);
  EXPECT_EQ(t.route, "[defaults]");
  EXPECT_EQ(t.origin_rule, "https://app.example.com");
  ASSERT_EQ(t.headers_expected.size(), 2u);
  EXPECT_EQ(t.headers_expected[0].first, "Vary");
  EXPECT_EQ(t.headers_expected[0].second, "Origin");
  EXPECT_EQ(t.headers_expected[1].first, "Access-Control-Allow-Credentials");
  EXPECT_EQ(t.headers_expected[1].second, std::nullopt);

  const PolicyTest& u = c.policy->tests[1];
  EXPECT_EQ(u.name, "test 2");  // unnamed: numbered in its file
  EXPECT_EQ(u.method, "GET");
  EXPECT_EQ(u.path, "/b");
  EXPECT_EQ(u.status, 0);
  EXPECT_FALSE(u.allowed.has_value());
  EXPECT_TRUE(u.profile.empty());
}

// An expected header may be given as its lines, like a request header: it
// then expects their comma-joined value, the header's value in HTTP (D55).
TEST(LoadTest, ExpectedHeaderLinesAreJoined) {
  Compilation c = CompileText(
      "version = 1\n[[tests]]\nrequest = {}\n"
      "expect = { headers = { Access-Control-Allow-Headers = [\"a\", \"b, c\"], Vary = [\"x\"] } "
      "}\n");
  ASSERT_TRUE(c.diagnostics.empty()) << Describe(c.diagnostics);
  ASSERT_EQ(c.policy->tests.size(), 1u);
  const std::vector<std::pair<std::string, std::optional<std::string>>> want = {
      {"Access-Control-Allow-Headers", "a, b, c"}, {"Vary", "x"}};
  EXPECT_EQ(c.policy->tests[0].headers_expected, want);
}

TEST(LoadTest, ExpectedHeaderLinesMustBeStringsAndSome) {
  Compilation empty =
      CompileText("version = 1\n[[tests]]\nrequest = {}\nexpect = { headers = { Vary = [] } }\n");
  ASSERT_TRUE(OneErrorAt(empty, Code::kInvalidTest, 4, 31)) << Describe(empty.diagnostics);
  EXPECT_EQ(empty.diagnostics[0].message,
            "expected header \"Vary\" is an empty array: give its lines, or false for "
            "\"absent\"");
  Compilation mixed = CompileText(
      "version = 1\n[[tests]]\nrequest = {}\nexpect = { headers = { Vary = [\"a\", 1] } }\n");
  ASSERT_TRUE(OneErrorAt(mixed, Code::kWrongType, 4, 37)) << Describe(mixed.diagnostics);
  EXPECT_EQ(mixed.diagnostics[0].message,
            "a line of expected header \"Vary\" must be a string, not an integer");
}

// `headers = {}` checks nothing, alone or beside other expectations: an
// expectation left unwritten (D56).
TEST(LoadTest, EmptyExpectedHeadersIsAnError) {
  for (const char* expect : {"{ headers = {} }", "{ allowed = true, headers = {} }"}) {
    SCOPED_TRACE(expect);
    Compilation c =
        CompileText(std::string("version = 1\n[[tests]]\nrequest = {}\nexpect = ") + expect + "\n");
    const uint32_t column = static_cast<uint32_t>(std::string_view(expect).find("{}") + 10);
    ASSERT_TRUE(OneErrorAt(c, Code::kInvalidTest, 4, column)) << Describe(c.diagnostics);
    EXPECT_EQ(c.diagnostics[0].message,
              "expected \"headers\" is empty, so it checks nothing: name a header with its "
              "value (or false for \"absent\"), or remove the key");
  }
}

TEST(LoadTest, TestReasonSuggestion) {
  Compilation c = CompileText(
      "version = 1\n[[tests]]\nrequest = {}\nexpect = { reason = \"origin-not-alowed\" }\n");
  ASSERT_TRUE(OneErrorAt(c, Code::kInvalidTest, 4, 21));
  EXPECT_EQ(c.diagnostics[0].message,
            "unknown reason \"origin-not-alowed\"; did you mean \"origin-not-allowed\"?");
}

TEST(LoadTest, TestKindAndReasonListTheNamesWhenNoneIsClose) {
  Compilation kind =
      CompileText("version = 1\n[[tests]]\nrequest = {}\nexpect = { kind = \"simple\" }\n");
  ASSERT_TRUE(OneErrorAt(kind, Code::kInvalidTest, 4, 19));
  EXPECT_EQ(kind.diagnostics[0].message,
            "unknown kind \"simple\" (one of not-cors, preflight, actual)");
  Compilation reason =
      CompileText("version = 1\n[[tests]]\nrequest = {}\nexpect = { reason = \"denied\" }\n");
  ASSERT_TRUE(OneErrorAt(reason, Code::kInvalidTest, 4, 21));
  EXPECT_EQ(reason.diagnostics[0].message,
            "unknown reason \"denied\" (one of ok, not-cors, no-route, origin-not-allowed, "
            "method-not-allowed, header-not-allowed, private-network-not-allowed)");
}

TEST(LoadTest, TestProfileMustBeDefined) {
  const char* policy = R"(version = 1
[profiles.dev]
[[tests]]
profile = "prod"
request = {}
expect = { allowed = true }
[[tests]]
profile = "dve"
request = {}
expect = { allowed = true }
)";
  // "prod" is the production profile: it may be absent. "dve" may not.
  Compilation c = CompileText(policy);
  ASSERT_TRUE(OneErrorAt(c, Code::kUnknownProfile, 8, 11));
  EXPECT_NE(c.diagnostics[0].message.find("did you mean \"dev\"?"), std::string::npos);
}

TEST(LoadTest, ManyMistakesInOneRun) {
  const char* policy = R"(version = 1
[defaults]
origins = ["https://*.com", "https://ok.example.com/"]
methods = ["CONNECT", "GET POST"]
allow_headers = ["x y"]
max_age = -5
preflight_status = 201
unknown = 1

[[routes]]
path = "/a/**/b"

[[routes]]
path = "/c/{x}"
[[routes]]
path = "/c/{y}"
origins = [{ regex = "(" }, "https://bücher.example"]
)";
  Compilation c = CompileText(policy);
  std::vector<std::pair<uint32_t, Code>> got;
  for (const Diagnostic& d : c.diagnostics) got.emplace_back(d.where.line, d.code);
  const std::vector<std::pair<uint32_t, Code>> want = {
      {3, Code::kWildcardAbovePublicSuffix},
      {3, Code::kMalformedOrigin},
      {4, Code::kForbiddenMethod},
      {4, Code::kInvalidMethod},
      {5, Code::kInvalidHeaderName},
      {6, Code::kMaxAgeOutOfRange},
      {7, Code::kBadPreflightStatus},
      {8, Code::kUnknownKey},
      {11, Code::kMalformedPath},
      {16, Code::kDuplicateRouteShape},
      {17, Code::kRegexRejected},
      {17, Code::kNonAsciiHost},
  };
  EXPECT_EQ(got, want) << Describe(c.diagnostics);
  EXPECT_FALSE(c.policy.has_value());
}

}  // namespace
}  // namespace corsc

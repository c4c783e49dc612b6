// Copyright corsc developers.
//
// Hostile input: large, deep, malformed or adversarial policies must yield
// diagnostics (or a policy) in bounded time and memory, never a crash or a
// hang. These run under ASan/UBSan in the sanitizer build.

#include <gtest/gtest.h>

#include <random>

#include "test_util.h"

namespace corsc {
namespace {

using testing::CompileText;
using testing::Describe;
using testing::WithCode;

TEST(HostileTest, HundredThousandOrigins) {
  std::string text = "version = 1\n[defaults]\norigins = [\n";
  for (int i = 0; i < 100000; ++i) {
    text += "  \"https://host" + std::to_string(i) + ".example.com\",\n";
  }
  text += "]\n[[routes]]\npath = \"/a\"\n[[routes]]\npath = \"/b\"\n";
  Compilation c = CompileText(text);
  ASSERT_TRUE(c.spec.has_value()) << Describe(c.diagnostics);
  // Inherited by three routes, written once: one rule per pattern, one set.
  EXPECT_EQ(c.spec->origin_rules.size(), 100000u);
  EXPECT_EQ(c.spec->origin_sets.size(), 1u);
}

TEST(HostileTest, InheritedListsAreSharedNotCopied) {
  // 200 000 origins inherited by 1000 routes: one list, shared (OriginList),
  // lowered once into one origin set.
  std::string text = "version = 1\n[defaults]\norigins = [\n";
  for (int i = 0; i < 200000; ++i) {
    text += "  \"https://host" + std::to_string(i) + ".example.com\",\n";
  }
  text += "]\n";
  for (int i = 0; i < 1000; ++i) text += "[[routes]]\npath = \"/r" + std::to_string(i) + "\"\n";
  Compilation c = CompileText(text);
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics).substr(0, 2000);
  EXPECT_TRUE(c.diagnostics.empty());
  EXPECT_EQ(c.policy->routes[0].origins.value.id(), c.policy->routes[999].origins.value.id());
  ASSERT_TRUE(c.spec.has_value());
  EXPECT_EQ(c.spec->origin_sets.size(), 1u);
  EXPECT_EQ(c.spec->origin_rules.size(), 200000u);
}

TEST(HostileTest, CopiesMadeByOriginsAddAreBounded) {
  // Each origins.add copies the list it extends: 200 000 origins extended by
  // 1000 routes would be 2 * 10^8 copies; the compiler stops past
  // kMaxEffectiveOrigins with CORS007 instead.
  std::string text = "version = 1\n[defaults]\norigins = [\n";
  for (int i = 0; i < 200000; ++i) {
    text += "  \"https://host" + std::to_string(i) + ".example.com\",\n";
  }
  text += "]\n";
  for (int i = 0; i < 1000; ++i) {
    text += "[[routes]]\npath = \"/r" + std::to_string(i) +
            "\"\norigins.add = [\"https://extra.example.com\"]\n";
  }
  Compilation c = CompileText(text);
  std::vector<Diagnostic> d = WithCode(c, Code::kPolicyTooLarge);
  ASSERT_EQ(d.size(), 1u) << Describe(c.diagnostics).substr(0, 2000);
  EXPECT_EQ(c.diagnostics.size(), 1u);
  // [defaults] holds 200 000, each route's copy 200 001: the fourth route
  // brings the count beyond 10^6; its path is on line 200006 + 3 * 3.
  EXPECT_EQ(d[0].where.line, 200006u + 3 * 3);
  EXPECT_FALSE(c.policy.has_value());
}

TEST(HostileTest, LongMethodAndHeaderLists) {
  std::string methods, headers;
  for (int i = 0; i < 100000; ++i) {
    methods += "\"M" + std::to_string(i % 50000) + "\",";
    headers += "\"X-H" + std::to_string(i % 50000) + "\",";
  }
  Compilation c = CompileText("version = 1\n[defaults]\norigins = []\nmethods = [" + methods +
                              "]\nallow_headers = [" + headers + "]\n");
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics).substr(0, 2000);
  EXPECT_EQ(c.policy->catch_all->methods.value.size(), 50000u);
  EXPECT_EQ(c.policy->catch_all->allow_headers.value.size(), 50000u);
}

TEST(HostileTest, ManyValuesOnOneNonAsciiLine) {
  // Byte columns on a long line that is not ASCII stay cheap.
  std::string methods = "\"\xC3\xA9\"";
  for (int i = 0; i < 100000; ++i) methods += ", \"M" + std::to_string(i) + "\"";
  methods += ", \"GET POST\"";
  Compilation c =
      CompileText("version = 1\n[defaults]\norigins = []\nmethods = [" + methods + "]\n");
  ASSERT_EQ(c.diagnostics.size(), 2u) << Describe(c.diagnostics).substr(0, 2000);
  EXPECT_EQ(c.diagnostics[0].where.column, 12u);
  EXPECT_EQ(c.diagnostics[1].where.column, 12u + 4 + methods.size() - 14);
}

TEST(HostileTest, ManyInvalidOriginsAreAllReportedAndRenderedCompactly) {
  std::string text = "version = 1\n[defaults]\norigins = [\n";
  for (int i = 0; i < 20000; ++i) text += "  \"https://h" + std::to_string(i) + ".com/\",\n";
  text += "]\n";
  std::vector<SourceFile> files = {{"many.toml", text}};
  Compilation c = Compile(files, {});
  EXPECT_EQ(WithCode(c, Code::kMalformedOrigin).size(), 20000u);
  std::string rendered = RenderText(c.diagnostics, files, false);
  EXPECT_LT(rendered.size(), 20000u * 300);
}

TEST(HostileTest, DeepNestingIsASyntaxError) {
  for (const std::string& open : {std::string("["), std::string("{a="), std::string("[{a=")}) {
    std::string text = "version = 1\nx = ";
    for (int i = 0; i < 100000; ++i) text += open;
    Compilation c = CompileText(text);
    ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics);
    EXPECT_EQ(c.diagnostics[0].code, Code::kTomlSyntax);
  }
}

TEST(HostileTest, DeepDottedKeysAreUnknownKeys) {
  std::string key = "a";
  for (int i = 0; i < 200; ++i) key += ".a";
  Compilation c = CompileText("version = 1\n" + key + " = 1\n[defaults]\n" + key + " = 2\n");
  EXPECT_EQ(WithCode(c, Code::kUnknownKey).size(), 2u) << Describe(c.diagnostics);
}

TEST(HostileTest, VeryLongDottedKeysAreASyntaxError) {
  // toml++ makes a table per part and frees them recursively: 50 000 parts
  // overflowed the stack. Keys are refused past 256 parts (load.cc), also
  // when inline tables nest them, so the deepest tree that is read is small.
  std::string key = "a";
  for (int i = 0; i < 50000; ++i) key += ".a";
  std::string nested;
  std::string part = "a";
  for (int i = 0; i < 255; ++i) part += ".a";
  for (int i = 0; i < 255; ++i) nested += "{" + part + " = ";
  nested += "1" + std::string(255, '}');
  for (const std::string& text :
       {"version = 1\n" + key + " = 1\n", "version = 1\n[" + key + "]\n",
        "version = 1\n[[" + key + "]]\n", "version = 1\nx = {" + key + " = 1}\n",
        "version = 1\nx = [{" + key + " = 1}]\n", "version = 1\nx = " + nested + "\n"}) {
    Compilation c = CompileText(text);
    ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics).substr(0, 2000);
    EXPECT_EQ(c.diagnostics[0].code, Code::kTomlSyntax);
    EXPECT_EQ(c.diagnostics[0].where.line, 2u);
    EXPECT_LT(c.diagnostics[0].message.size(), 200u);
  }
}

TEST(HostileTest, InvalidUtf8AndNulBytes) {
  const std::string cases[] = {
      std::string("version = 1\nname = \"\xff\xfe\"\n"),
      std::string("version = 1\n\xc3\x28 = 1\n"),
      std::string("version = 1\nname = \"a\0b\"\n", 24),
      std::string("\0\0\0\0", 4),
      std::string("version = 1\n[defaults]\norigins = [\"https://\xed\xa0\x80.com\"]\n"),
  };
  for (const std::string& text : cases) {
    Compilation c = CompileText(text);
    ASSERT_FALSE(c.diagnostics.empty());
    EXPECT_EQ(c.diagnostics[0].code, Code::kTomlSyntax) << Describe(c.diagnostics);
    RenderText(c.diagnostics, std::vector<SourceFile>{{"policy.toml", text}}, true);
    RenderJson(c.diagnostics);
  }
}

TEST(HostileTest, EnormousRegexesAreRefusedQuickly) {
  // Programs beyond RE2's memory budget (kRegexMaxMem), and a nested
  // repetition beyond RE2's limit, are refused (CORS014) without
  // exhausting memory or time.
  std::string optional_groups;
  for (int i = 0; i < 100000; ++i) optional_groups += "(a" + std::to_string(i) + ")?";
  std::string letters;
  for (int i = 0; i < 20; ++i) letters += "\\pL{1000}";
  const std::string cases[] = {"^\\pL{1000}$", letters, optional_groups,
                               "^((((a{100}){100}){100}){100})$"};
  for (const std::string& re : cases) {
    Compilation c = CompileText("version = 1\n[defaults]\norigins = [{ regex = '" + re + "' }]\n");
    ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics).substr(0, 2000);
    EXPECT_EQ(c.diagnostics[0].code, Code::kRegexRejected);
    EXPECT_LT(c.diagnostics[0].message.size(), 400u);  // the regex is cut in the message
  }
  // A large alternation that RE2 factors into a small program is fine, up
  // to the 64 KiB a rule's text may hold (docs/decisions.md D31).
  std::string alternation = "^https://(";
  for (int i = 0; i < 9000; ++i) alternation += "a" + std::to_string(i) + "|";
  alternation += "b)\\.example\\.com$";
  Compilation ok =
      CompileText("version = 1\n[defaults]\norigins = [{ regex = '" + alternation + "' }]\n");
  EXPECT_TRUE(ok.diagnostics.empty()) << Describe(ok.diagnostics).substr(0, 2000);
}

TEST(HostileTest, ManyRoutesWithOneShape) {
  std::string text = "version = 1\n[defaults]\norigins = []\n";
  for (int i = 0; i < 20000; ++i)
    text += "[[routes]]\npath = \"/a/{p" + std::to_string(i) + "}\"\n";
  Compilation c = CompileText(text);
  EXPECT_EQ(WithCode(c, Code::kDuplicateRouteShape).size(), 19999u);
}

TEST(HostileTest, HugeStringsAndKeys) {
  std::string big(1 << 20, 'a');
  Compilation c = CompileText("version = 1\nname = \"" + big + "\"\n\"" + big +
                              "\" = 1\n[defaults]\norigins = [\"https://" + big +
                              ".com\"]\n"
                              "methods = [\"" +
                              big + "\"]\n");
  ASSERT_EQ(c.diagnostics.size(), 2u) << Describe(c.diagnostics).substr(0, 2000);
  EXPECT_EQ(c.diagnostics[0].code, Code::kUnknownKey);
  EXPECT_EQ(c.diagnostics[1].code, Code::kMalformedOrigin);  // longer than 512 bytes
  for (const Diagnostic& d : c.diagnostics) EXPECT_LT(d.message.size(), 1000u);
}

TEST(HostileTest, RandomMutationsNeverCrash) {
  const std::string seed_text = R"(version = 1
name = "m"
[defaults]
origins = ["https://app.example.com", "https://*.example.com:*", { regex = '^https://x$' }, "null"]
methods = ["GET", "PUT"]
allow_headers = ["x-a"]
credentials = true
max_age = 600
[[routes]]
path = "/a/{id}/**"
origins.add = ["http://[::1]:8080"]
[profiles.dev.defaults]
origins.add = ["http://localhost:*"]
[[profiles.dev.routes]]
path = "/a/{x}/**"
methods = ["DELETE"]
[[tests]]
name = "t"
request = { method = "OPTIONS", path = "/a/1", headers = { Origin = "https://a.example.com" } }
expect = { allowed = true, headers = { Vary = false } }
)";
  std::mt19937 rng(::testing::UnitTest::GetInstance()->random_seed());
  const std::string alphabet = "[]{}\"'=.,*:/#\\\n x1é\xff";
  for (int round = 0; round < 1500; ++round) {
    std::string text = seed_text;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text.erase(at, 1 + rng() % 3);
          break;
        case 1:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        default:
          text[at] = alphabet[rng() % alphabet.size()];
          break;
      }
    }
    for (const char* profile : {"", "dev", "prod"}) {
      CompileOptions o;
      o.profile = profile;
      o.lint = true;
      Compilation c = CompileText(text, o);
      RenderText(c.diagnostics, std::vector<SourceFile>{{"policy.toml", text}}, false);
      for (const Diagnostic& d : c.diagnostics) {
        ASSERT_FALSE(d.message.empty());
        ASSERT_GT(d.where.line, 0u) << d.message;
      }
    }
  }
}

}  // namespace
}  // namespace corsc

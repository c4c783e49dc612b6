// Copyright corsc developers.
//
// Rendering: the exact text form (golden strings), colours only when
// asked, hostile source lines, and the JSON form.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_util.h"
#include "text.h"

namespace corsc {
namespace {

using testing::Describe;

TEST(RenderTest, ConflictWithNoteGolden) {
  std::vector<SourceFile> files = {
      {"api.toml", "version = 1\n[defaults]\norigins = [\"*\"]\ncredentials = true\n"}};
  Compilation c = Compile(files, {});
  ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics);
  EXPECT_EQ(RenderText(c.diagnostics, files, false),
            "api.toml:4:1: error[CORS013]: credentials = true on the catch-all route "
            "[defaults] cannot be used with origin \"*\": browsers refuse "
            "\"Access-Control-Allow-Origin: *\" on credentialed requests; list the origins "
            "instead\n"
            "    credentials = true\n"
            "    ^~~~~~~~~~~\n"
            "api.toml:3:12: note: origin \"*\" is listed here\n"
            "    origins = [\"*\"]\n" +
                std::string(4 + 11, ' ') + "^~~\n");
}

TEST(RenderTest, FixGolden) {
  std::vector<SourceFile> files = {{"p.toml",
                                    "version = 1\n[defaults]\norigins = "
                                    "[\"https://App.Example.com:443\", \"https://x.com/\"]\n"}};
  CompileOptions o;
  o.lint = true;
  o.severity_overrides[Code::kNoTests] = std::nullopt;
  Compilation c = Compile(files, o);
  ASSERT_EQ(c.diagnostics.size(), 2u) << Describe(c.diagnostics);
  EXPECT_EQ(RenderText(c.diagnostics, files, false),
            "p.toml:3:12: warning[CORS100]: origin \"https://App.Example.com:443\" is not in "
            "canonical form; browsers send \"https://app.example.com\"\n"
            "    origins = [\"https://App.Example.com:443\", \"https://x.com/\"]\n" +
                std::string(4 + 11, ' ') + "^" + std::string(28, '~') + "\n" +
                "    fix: replace \"https://App.Example.com:443\" with "
                "\"https://app.example.com\"\n"
                "p.toml:3:57: error[CORS010]: origin \"https://x.com/\" ends in a slash; an "
                "origin has no path: write \"https://x.com\"\n"
                "    origins = [\"https://App.Example.com:443\", \"https://x.com/\"]\n" +
                std::string(4 + 56, ' ') + "^\n");
}

TEST(RenderTest, FixThatRemoves) {
  std::vector<SourceFile> files = {
      {"r.toml", "version = 1\n[defaults]\norigins = []\nallow_headers = [\"cookie\", \"x-a\"]\n"}};
  CompileOptions o;
  o.lint = true;
  o.severity_overrides[Code::kNoTests] = std::nullopt;
  Compilation c = Compile(files, o);
  ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics);
  EXPECT_THAT(RenderText(c.diagnostics, files, false),
              ::testing::HasSubstr("    fix: remove \"\\\"cookie\\\", \"\n"));
}

TEST(RenderTest, CaretKeepsTabsAndCountsCodePoints) {
  std::vector<SourceFile> files = {
      {"t.toml", "version = 1\nname = \"\xC3\xA9\"\t\nunknown\t= \"caf\xC3\xA9\"\n"}};
  Compilation c = Compile(files, {});
  ASSERT_EQ(c.diagnostics.size(), 1u) << Describe(c.diagnostics);
  std::string text = RenderText(c.diagnostics, files, false);
  EXPECT_EQ(text,
            "t.toml:3:1: error[CORS002]: unknown key \"unknown\" in the top level\n"
            "    unknown\t= \"caf\xC3\xA9\"\n"
            "    ^~~~~~~\n");
  Diagnostic d;
  d.code = Code::kWrongType;
  d.where = {"t.toml", 3, 11, 7};  // "café" with its quotes: 7 bytes, 6 code points
  text = RenderText(std::vector<Diagnostic>{d}, files, false);
  EXPECT_NE(text.find("\n    unknown\t= \"caf\xC3\xA9\"\n           \t  ^~~~~~\n"),
            std::string::npos)
      << text;
}

TEST(RenderTest, CaretCountsTwoColumnsForAWideCharacterAndNoneForAMark) {
  // "名前" is two wide characters (3 bytes, 2 columns each); "e\u0301" is
  // an e and a combining acute accent (one column in all).
  std::vector<SourceFile> files = {
      {"w.toml",
       "version = 1\n# \xE5\x90\x8D\xE5\x89\x8D e\xCC\x81 = \"\xE5\x90\x8D\" x\n"}};
  Diagnostic d;
  d.code = Code::kWrongType;
  d.where = {"w.toml", 2, 16, 5};  // "名" with its quotes: 5 bytes, 4 columns
  std::string text = RenderText(std::vector<Diagnostic>{d}, files, false);
  // "# " 2 + "名前" 4 + " " 1 + "é" 1 + " = " 3: the quote is at column 12.
  EXPECT_NE(text.find("\n" + std::string(4 + 11, ' ') + "^~~~\n"), std::string::npos) << text;
  d.where = {"w.toml", 2, 3, 3};  // "名" alone, at the start of a window of ASCII
  text = RenderText(std::vector<Diagnostic>{d}, files, false);
  EXPECT_NE(text.find("\n" + std::string(4 + 2, ' ') + "^~\n"), std::string::npos) << text;
}

TEST(RenderTest, ColumnWidthAndDecodeUtf8) {
  EXPECT_EQ(text::ColumnWidth(U'a'), 1);
  EXPECT_EQ(text::ColumnWidth(U'\u00E9'), 1);
  EXPECT_EQ(text::ColumnWidth(U'\u0301'), 0);   // combining acute accent
  EXPECT_EQ(text::ColumnWidth(U'\u200B'), 0);   // zero-width space
  EXPECT_EQ(text::ColumnWidth(U'\u4E00'), 2);   // CJK
  EXPECT_EQ(text::ColumnWidth(U'\uAC00'), 2);   // Hangul
  EXPECT_EQ(text::ColumnWidth(U'\uFF21'), 2);   // full-width A
  EXPECT_EQ(text::ColumnWidth(U'\uFF61'), 1);   // half-width katakana full stop
  EXPECT_EQ(text::ColumnWidth(U'\U0001F600'), 2);  // emoji
  EXPECT_EQ(text::ColumnWidth(U'\u303F'), 1);   // the one half-width CJK symbol
  EXPECT_EQ(text::DecodeUtf8("\xE5\x90\x8D", 0), std::make_pair(char32_t{0x540D}, size_t{3}));
  EXPECT_EQ(text::DecodeUtf8("a\xF0\x9F\x98\x80", 1),
            std::make_pair(char32_t{0x1F600}, size_t{4}));
  // Invalid: a lone continuation, a cut sequence, an overlong form, a
  // surrogate, past U+10FFFF. Each is one byte.
  for (std::string_view bad : {"\x80", "\xE5\x90", "\xC0\xAF", "\xE0\x80\xAF",
                               "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"}) {
    EXPECT_EQ(text::DecodeUtf8(bad, 0), std::make_pair(char32_t{0xFFFD}, size_t{1}))
        << ::testing::PrintToString(bad);
  }
}

TEST(RenderTest, ColoursOnlyWhenAsked) {
  std::vector<SourceFile> files = {{"c.toml", "version = 2\n"}};
  Compilation c = Compile(files, {});
  ASSERT_EQ(c.diagnostics.size(), 1u);
  EXPECT_EQ(RenderText(c.diagnostics, files, false).find('\x1b'), std::string::npos);
  std::string coloured = RenderText(c.diagnostics, files, true);
  EXPECT_NE(coloured.find("\x1b[1;31merror[CORS004]\x1b[0m"), std::string::npos) << coloured;
}

TEST(RenderTest, HostileSourceLines) {
  // Control bytes never reach the terminal; a long line is cut around the
  // column.
  std::string line = "name = \"\x1b[2J" + std::string(100000, 'x') + "\"\nbogus = 1\n";
  std::vector<SourceFile> files = {{"h.toml", "version = 1\n" + line}};
  Diagnostic d;
  d.code = Code::kWrongType;
  d.where = {"h.toml", 2, 50000, 3};
  Diagnostic e;
  e.code = Code::kWrongType;
  e.where = {"h.toml", 2, 8, 0};
  std::string text = RenderText(std::vector<Diagnostic>{d, e}, files, false);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_LT(text.size(), 1000u);
  EXPECT_NE(text.find("    ...xxxx"), std::string::npos) << text;
  EXPECT_NE(text.find("\n       " + std::string(60, ' ') + "^~~\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    name = \"?[2Jxxx"), std::string::npos) << text;
}

TEST(RenderTest, UnknownFileOrLineShowsNoSnippet) {
  Diagnostic d;
  d.code = Code::kTomlSyntax;
  d.where = {"gone.toml", 7, 3, 0};
  d.message = "m";
  EXPECT_EQ(RenderText(std::vector<Diagnostic>{d}, {}, false),
            "gone.toml:7:3: error[CORS001]: m\n");
}

TEST(RenderTest, Json) {
  std::vector<SourceFile> files = {
      {"j.toml",
       "version = 1\n[defaults]\norigins = [\"*\", \"HTTPS://A.example.com\"]\n"
       "credentials = true\n"}};
  CompileOptions o;
  o.lint = true;
  o.severity_overrides[Code::kNoTests] = std::nullopt;
  Compilation c = Compile(files, o);
  nlohmann::json j = nlohmann::json::parse(RenderJson(c.diagnostics));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 3u) << j.dump(2);
  EXPECT_EQ(j[0]["code"], "CORS107");
  EXPECT_EQ(j[1]["code"], "CORS100");
  EXPECT_EQ(j[1]["name"], "non-canonical-origin");
  EXPECT_EQ(j[1]["severity"], "warning");
  EXPECT_EQ(j[1]["file"], "j.toml");
  EXPECT_EQ(j[1]["line"], 3);
  EXPECT_EQ(j[1]["column"], 17);
  EXPECT_EQ(j[1]["fix"]["replacement"], "https://a.example.com");
  EXPECT_EQ(j[1]["fix"]["column"], 18);
  EXPECT_EQ(j[1]["fix"]["length"], 21);
  EXPECT_TRUE(j[1]["notes"].empty());
  EXPECT_EQ(j[2]["code"], "CORS013");
  EXPECT_EQ(j[2]["severity"], "error");
  EXPECT_TRUE(j[2]["fix"].is_null());
  ASSERT_EQ(j[2]["notes"].size(), 1u);
  EXPECT_EQ(j[2]["notes"][0]["line"], 3);
  EXPECT_EQ(j[2]["notes"][0]["message"], "origin \"*\" is listed here");
  EXPECT_EQ(RenderJson({}), "[]");
}

TEST(RenderTest, JsonEscapesAndSurvivesInvalidUtf8) {
  Diagnostic d;
  d.code = Code::kUnknownKey;
  d.where = {"we\xff\"ird.toml", 1, 1, 0};
  d.message = "quote \" backslash \\ newline \n tab \t";
  nlohmann::json j = nlohmann::json::parse(RenderJson(std::vector<Diagnostic>{d}));
  EXPECT_EQ(j[0]["message"], "quote \" backslash \\ newline \n tab \t");
  EXPECT_EQ(j[0]["file"], "we\xEF\xBF\xBD\"ird.toml");  // U+FFFD for the bad byte
}

}  // namespace
}  // namespace corsc

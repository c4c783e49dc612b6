// Copyright corsc developers.
//
// The policy corpus: every entry of tests/testdata/invalid must be refused
// with the error its directives name, every entry of tests/testdata/valid
// must compile without error. An entry is a .toml file or a folder (then
// the one file with directives names the expectation). Directives are
// comments:
//
//   # expect-error-line: 14,15    an error at one of these lines
//   # expect-code: CORS041        ... with this code
//   # expect-column: 9            ... at this column (optional)
//   # other-line: 11              the earlier line of a conflict: a note
//                                 points there, no error does
//   # lint-args: --profile prod   options (--profile NAME, --prod NAME);
//                                 also compile-args
//   # expect-status: usage        Compilation::status is InvalidArgument
//                                 (expect-error-line: none)
//
// The format follows the conformance sample, so that its cases can be
// copied here as they are (with an expect-code line added).

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "test_util.h"

namespace corsc {
namespace {

namespace fs = std::filesystem;
using testing::Describe;
using testing::TestdataPath;

std::vector<std::string> Entries(const std::string& folder) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(TestdataPath(folder), ec)) {
    if (e.is_directory() || e.path().extension() == ".toml") {
      out.push_back(e.path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, std::string> Directives(const std::string& path) {
  std::map<std::string, std::string> d;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# ", 0) != 0) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(2, colon - 2);
    if (key.find(' ') != std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value = value.substr(0, value.find("  "));  // drop a trailing explanation
    value.erase(0, value.find_first_not_of(' '));
    while (!value.empty() && value.back() == ' ') value.pop_back();
    d[key] = value;
  }
  return d;
}

std::vector<uint32_t> Lines(const std::string& list) {
  std::vector<uint32_t> out;
  std::stringstream s(list);
  std::string item;
  while (std::getline(s, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos) continue;
    out.push_back(static_cast<uint32_t>(std::stoul(item)));
  }
  return out;
}

CompileOptions Options(const std::map<std::string, std::string>& d, const char* key, bool lint) {
  CompileOptions o;
  o.lint = lint;
  auto it = d.find(key);
  if (it == d.end()) return o;
  std::stringstream s(it->second);
  std::string flag, value;
  while (s >> flag >> value) {
    if (flag == "--profile") o.profile = value;
    if (flag == "--prod") o.prod_profile = value;
  }
  return o;
}

// The file of an entry that holds the directives.
std::string DirectivesFile(const std::string& path) {
  if (!fs::is_directory(path)) return path;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(path)) {
    if (e.path().extension() != ".toml") continue;
    if (Directives(e.path().string()).count("expect-error-line")) return e.path().string();
  }
  return path;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class InvalidPolicy : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidPolicy, IsRefusedAtTheMarkedLine) {
  const std::string path = TestdataPath("invalid/" + GetParam());
  const std::string dfile = DirectivesFile(path);
  const std::map<std::string, std::string> d = Directives(dfile);
  ASSERT_TRUE(d.count("expect-error-line")) << dfile << " has no expect-error-line";
  Result<std::vector<SourceFile>> sources = ReadSources(std::vector<std::string>{path});
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();

  for (bool lint : {false, true}) {
    SCOPED_TRACE(lint ? "lint" : "compile");
    Compilation c = Compile(*sources, Options(d, lint ? "lint-args" : "compile-args", lint));
    EXPECT_FALSE(c.policy.has_value());
    EXPECT_FALSE(c.spec.has_value());
    EXPECT_EQ(c.table, nullptr);
    if (d.count("expect-status")) {
      EXPECT_EQ(c.status.code(), Status::Code::kInvalidArgument) << c.status.ToString();
      continue;
    }
    EXPECT_TRUE(c.status.ok()) << c.status.ToString();
    ASSERT_TRUE(HasErrors(c.diagnostics));
    const std::vector<uint32_t> lines = Lines(d.at("expect-error-line"));
    const std::vector<uint32_t> others =
        d.count("other-line") ? Lines(d.at("other-line")) : std::vector<uint32_t>{};
    std::optional<Code> code;
    if (d.count("expect-code")) code = ParseCode(d.at("expect-code"));
    ASSERT_TRUE(code.has_value()) << dfile << " has no valid expect-code";
    uint32_t column = d.count("expect-column") ? std::stoul(d.at("expect-column")) : 0;

    bool found = false, note_found = others.empty();
    for (const Diagnostic& diag : c.diagnostics) {
      if (diag.where.file != dfile || diag.severity != Severity::kError) continue;
      EXPECT_EQ(std::count(others.begin(), others.end(), diag.where.line), 0)
          << "an error names the earlier line of the conflict:\n"
          << Describe(c.diagnostics);
      if (std::count(lines.begin(), lines.end(), diag.where.line) && diag.code == *code &&
          (column == 0 || diag.where.column == column)) {
        found = true;
        for (const Diagnostic::Note& n : diag.notes) {
          if (n.where.file == dfile && std::count(others.begin(), others.end(), n.where.line)) {
            note_found = true;
          }
        }
      }
    }
    EXPECT_TRUE(found) << "no " << d.at("expect-code") << " error at " << dfile << ":"
                       << d.at("expect-error-line")
                       << (column ? ":" + std::to_string(column) : std::string()) << "\n"
                       << Describe(c.diagnostics);
    EXPECT_TRUE(note_found) << "no note at the earlier line " << d.at("other-line") << "\n"
                            << Describe(c.diagnostics);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, InvalidPolicy, ::testing::ValuesIn(Entries("invalid")), TestName);

class ValidPolicy : public ::testing::TestWithParam<std::string> {};

TEST_P(ValidPolicy, CompilesWithoutError) {
  const std::string path = TestdataPath("valid/" + GetParam());
  const std::map<std::string, std::string> d =
      fs::is_directory(path) ? std::map<std::string, std::string>{} : Directives(path);
  Result<std::vector<SourceFile>> sources = ReadSources(std::vector<std::string>{path});
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  for (bool lint : {false, true}) {
    SCOPED_TRACE(lint ? "lint" : "compile");
    Compilation c = Compile(*sources, Options(d, lint ? "lint-args" : "compile-args", lint));
    EXPECT_FALSE(HasErrors(c.diagnostics)) << Describe(c.diagnostics);
    EXPECT_TRUE(c.policy.has_value());
    EXPECT_TRUE(c.spec.has_value());
    EXPECT_TRUE(c.status.ok()) << c.status.ToString();
    EXPECT_NE(c.table, nullptr);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, ValidPolicy, ::testing::ValuesIn(Entries("valid")), TestName);

}  // namespace
}  // namespace corsc

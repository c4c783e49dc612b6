// Copyright corsc developers.
//
// The linter through the real `corsc` binary: severity overrides (--warn,
// --error, --ignore) and inline comments, SARIF output validated against
// the official schema (tests/testdata/sarif, with Debian's
// python3-jsonschema), and the catalogue document (docs/lint-rules.md)
// against Catalogue().

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "corsc/compiler.h"
#include "corsc/diagnostic.h"
#include "corsc_test.h"

namespace corsc::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

class LintCliTest : public CorscTest {
 protected:
  // The codes of a --format json run, in order.
  static std::vector<std::string> Codes(const std::string& out) {
    std::vector<std::string> codes;
    for (const json& f : json::parse(out)) codes.push_back(f["code"]);
    return codes;
  }
  // Validates SARIF files with the official schema; the validator's output.
  ProcessResult Validate(const std::vector<std::string>& logs) {
    std::vector<std::string> argv = {"/usr/bin/python3",
                                     SourceDir() + "/tests/compiler/validate_sarif.py",
                                     SourceDir() + "/tests/testdata/sarif/sarif-schema-2.1.0.json"};
    argv.insert(argv.end(), logs.begin(), logs.end());
    return RunProcess(argv);
  }
};

// ------------------------------------------------------------ every rule

TEST_F(LintCliTest, EveryLintRuleFiresOnItsPolicy) {
  ProcessResult r = Corsc({"lint", "--format", "json", TestData("lint/every-rule")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::vector<std::string> codes = Codes(r.out);
  r = Corsc({"lint", "--format", "json", TestData("lint/no-tests")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  for (const std::string& c : Codes(r.out)) codes.push_back(c);
  for (const CodeInfo& info : Catalogue()) {
    if (static_cast<unsigned>(info.code) < 100) continue;
    EXPECT_THAT(codes, Contains(FormatCode(info.code)));
  }
}

TEST_F(LintCliTest, ACleanPolicyHasNothingToSay) {
  ProcessResult r = Corsc({"lint", "--werror", "--format", "json", TestData("lint/clean")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "[]\n");
}

// ------------------------------------------------------------- overrides

TEST_F(LintCliTest, WarnTurnsANoteIntoAWarning) {
  ProcessResult r = Corsc({"lint", "--werror", TestData("lint/no-tests")});
  EXPECT_EQ(r.exit_status, 0) << "a note does not fail --werror\n" << r.err;
  r = Corsc({"lint", "--werror", "--warn", "CORS150", TestData("lint/no-tests")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("policy.toml:1:1: warning[CORS150]"));
}

TEST_F(LintCliTest, ErrorMakesLintFail) {
  Spit(Tmp("p.toml"), "version = 1\n[defaults]\norigins = [\"null\"]\n");
  ProcessResult r = Corsc({"lint", "--ignore", "CORS150", Tmp("p.toml")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  r = Corsc(
      {"lint", "--ignore", "CORS150", "--error", "CORS101", "--format", "json", Tmp("p.toml")});
  EXPECT_EQ(r.exit_status, 1);
  json findings = json::parse(r.out);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["code"], "CORS101");
  EXPECT_EQ(findings[0]["severity"], "error");
}

TEST_F(LintCliTest, IgnoreTakesListsAndRepeats) {
  Spit(Tmp("p.toml"), "version = 1\n[defaults]\norigins = [\"null\", \"https://A.example.com\"]\n");
  ProcessResult all = Corsc({"lint", "--format", "json", Tmp("p.toml")});
  EXPECT_EQ(Codes(all.out), (std::vector<std::string>{"CORS150", "CORS101", "CORS100"}));
  for (std::vector<std::string> flags :
       {std::vector<std::string>{"--ignore", "CORS100,CORS101,CORS150"},
        std::vector<std::string>{"--ignore", "CORS100", "--ignore", "cors101,", "--ignore",
                                 "CORS150"}}) {
    std::vector<std::string> args = {"lint", "--format", "json"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(Tmp("p.toml"));
    ProcessResult r = Corsc(args);
    EXPECT_EQ(r.exit_status, 0) << r.err;
    EXPECT_EQ(r.out, "[]\n");
  }
}

TEST_F(LintCliTest, ErrorsOfTheLanguageCannotBeDowngradedOrIgnored) {
  ProcessResult r = Corsc({"lint", "--ignore", "CORS013", TestData("lint/clean")});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_THAT(r.err, HasSubstr("--ignore: CORS013 is an error of the policy language; it cannot "
                               "be ignored"));
  r = Corsc({"lint", "--warn", "CORS010", TestData("lint/clean")});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_THAT(r.err, HasSubstr("it cannot be downgraded"));
  // Asking for an error to stay an error is allowed.
  r = Corsc({"lint", "--error", "CORS013", TestData("lint/clean")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  // And the policy's errors still fail the run, whatever is ignored.
  r = Corsc({"lint", "--ignore", "CORS150", TestData("cli/broken")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("error[CORS013]"));
}

TEST_F(LintCliTest, UnknownOrConflictingCodesAreUsageErrors) {
  for (std::vector<std::string> flags :
       {std::vector<std::string>{"--ignore", "CORS999"}, std::vector<std::string>{"--warn", "x"},
        std::vector<std::string>{"--error", "CORS101", "--ignore", "CORS101"}}) {
    std::vector<std::string> args = {"lint"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(TestData("lint/clean"));
    ProcessResult r = Corsc(args);
    EXPECT_EQ(r.exit_status, 2) << flags[1];
    EXPECT_THAT(r.err, HasSubstr("corsc: error: "));
  }
}

TEST_F(LintCliTest, InlineCommentsSilenceFindings) {
  Spit(Tmp("p.toml"),
       "# corsc:ignore CORS150\n"
       "version = 1\n[defaults]\n"
       "origins = [\"null\"]  # corsc:ignore CORS101 -- the sandboxed preview needs it\n");
  ProcessResult r = Corsc({"lint", "--werror", "--warn", "CORS150", Tmp("p.toml")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("0 errors, 0 warnings, 0 notes"));
}

TEST_F(LintCliTest, CompileIgnoresLint) {
  ProcessResult r = Corsc({"compile", "-o", Tmp("t.table"), TestData("lint/every-rule")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("warning")));
  EXPECT_THAT(r.err, Not(HasSubstr("note")));
  // compile takes no lint options.
  EXPECT_EQ(Corsc({"compile", "--ignore", "CORS101", "-o", Tmp("u.table"), TestData("lint/clean")})
                .exit_status,
            2);
}

// ----------------------------------------------------------------- SARIF

TEST_F(LintCliTest, SarifValidatesAgainstTheOfficialSchema) {
  // Findings with fixes and notes, a clean run, errors, several files, and
  // an absolute path.
  std::vector<std::vector<std::string>> runs = {
      {TestData("lint/every-rule")},
      {TestData("lint/clean")},
      {TestData("lint/no-tests")},
      {TestData("cli/two-errors")},
      {"policies/react-api", "--profile", "dev"},
      {SourceDir() + "/" + TestData("cli/broken")},
  };
  std::vector<std::string> logs;
  for (const std::vector<std::string>& run : runs) {
    std::vector<std::string> args = {"lint", "--format", "sarif"};
    args.insert(args.end(), run.begin(), run.end());
    ProcessResult r = Corsc(args);
    ASSERT_NE(r.exit_status, 2) << run[0] << "\n" << r.err;
    logs.push_back(Tmp("log" + std::to_string(logs.size()) + ".sarif"));
    Spit(logs.back(), r.out);
  }
  ProcessResult v = Validate(logs);
  EXPECT_EQ(v.exit_status, 0) << v.out << v.err;
  EXPECT_EQ(v.out, "");
}

TEST_F(LintCliTest, TheSchemaCheckCanFail) {
  // The validator itself: a log the schema refuses must fail it.
  Spit(Tmp("bad.sarif"), R"({"version": "2.0.0", "runs": [{"tool": {}}]})");
  ProcessResult v = Validate({Tmp("bad.sarif")});
  EXPECT_EQ(v.exit_status, 1) << v.out << v.err;
  EXPECT_THAT(v.out, HasSubstr("bad.sarif: version"));
}

TEST_F(LintCliTest, SarifRulesAndResults) {
  ProcessResult r = Corsc({"lint", "--format", "sarif", TestData("lint/every-rule")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  json log = json::parse(r.out);
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_THAT(log["$schema"].get<std::string>(), HasSubstr("sarif-schema-2.1.0.json"));
  ASSERT_EQ(log["runs"].size(), 1u);
  const json& run = log["runs"][0];
  const json& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "corsc");
  EXPECT_TRUE(driver["version"].is_string());
  ASSERT_EQ(driver["rules"].size(), Catalogue().size());
  for (size_t i = 0; i < Catalogue().size(); ++i) {
    const CodeInfo& info = Catalogue()[i];
    const json& rule = driver["rules"][i];
    EXPECT_EQ(rule["id"], FormatCode(info.code));
    EXPECT_EQ(rule["name"], std::string(info.name));
    EXPECT_EQ(rule["shortDescription"]["text"], std::string(info.summary));
    EXPECT_EQ(rule["fullDescription"]["text"], std::string(info.help));
    EXPECT_FALSE(rule["help"]["text"].get<std::string>().empty());
    EXPECT_THAT(rule["help"]["markdown"].get<std::string>(), HasSubstr(FormatCode(info.code)));
    EXPECT_EQ(rule["defaultConfiguration"]["level"], std::string(SeverityName(info.severity)));
  }
  const json& results = run["results"];
  ASSERT_EQ(
      results.size(),
      json::parse(Corsc({"lint", "--format", "json", TestData("lint/every-rule")}).out).size());
  bool saw_fix = false, saw_related = false;
  for (const json& res : results) {
    const size_t index = res["ruleIndex"];
    EXPECT_EQ(driver["rules"][index]["id"], res["ruleId"]);
    EXPECT_THAT((std::set<std::string>{"error", "warning", "note"}),
                Contains(res["level"].get<std::string>()));
    EXPECT_FALSE(res["message"]["text"].get<std::string>().empty());
    const json& loc = res["locations"][0]["physicalLocation"];
    EXPECT_EQ(loc["artifactLocation"]["uri"], "tests/testdata/lint/every-rule/policy.toml");
    EXPECT_EQ(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    EXPECT_GE(loc["region"]["startLine"].get<int>(), 1);
    EXPECT_GE(loc["region"]["startColumn"].get<int>(), 1);
    if (res.contains("fixes")) {
      saw_fix = true;
      const json& change = res["fixes"][0]["artifactChanges"][0];
      EXPECT_EQ(change["artifactLocation"]["uri"], loc["artifactLocation"]["uri"]);
      EXPECT_TRUE(change["replacements"][0]["deletedRegion"].contains("startLine"));
      EXPECT_TRUE(change["replacements"][0]["insertedContent"].contains("text"));
    }
    if (res.contains("relatedLocations")) {
      saw_related = true;
      EXPECT_TRUE(res["relatedLocations"][0]["message"].contains("text"));
    }
  }
  EXPECT_TRUE(saw_fix);
  EXPECT_TRUE(saw_related);
}

TEST_F(LintCliTest, SarifLocatesEachFindingOnItsLineAndColumn) {
  ProcessResult json_run = Corsc({"lint", "--format", "json", TestData("lint/every-rule")});
  ProcessResult sarif_run = Corsc({"lint", "--format", "sarif", TestData("lint/every-rule")});
  json findings = json::parse(json_run.out);
  json results = json::parse(sarif_run.out)["runs"][0]["results"];
  ASSERT_EQ(findings.size(), results.size());
  for (size_t i = 0; i < findings.size(); ++i) {
    const json& region = results[i]["locations"][0]["physicalLocation"]["region"];
    EXPECT_EQ(results[i]["ruleId"], findings[i]["code"]);
    EXPECT_EQ(region["startLine"], findings[i]["line"]);
    // The file is ASCII: UTF-16 columns are byte columns.
    EXPECT_EQ(region["startColumn"], findings[i]["column"]);
    if (findings[i]["length"].get<int>() > 0) {
      EXPECT_EQ(region["endColumn"].get<int>(),
                findings[i]["column"].get<int>() + findings[i]["length"].get<int>());
    }
  }
}

TEST_F(LintCliTest, SarifColumnsCountUtf16CodeUnits) {
  // "é" is 2 bytes and 1 UTF-16 unit; U+1F600 is 4 bytes and 2 units.
  Spit(Tmp("u.toml"),
       "version = 1\n[defaults]\n"
       "origins = [{ regex = '^https://\xC3\xA9\xF0\x9F\x98\x80$' }, \"null\"]\n");
  ProcessResult j = Corsc({"lint", "--ignore", "CORS150", "--format", "json", Tmp("u.toml")});
  ProcessResult s = Corsc({"lint", "--ignore", "CORS150", "--format", "sarif", Tmp("u.toml")});
  json finding = json::parse(j.out)[0];
  ASSERT_EQ(finding["code"], "CORS101");
  json result = json::parse(s.out)["runs"][0]["results"][0];
  const json& loc = result["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["region"]["startColumn"].get<int>(), finding["column"].get<int>() - 3);
  EXPECT_EQ(loc["region"]["endColumn"].get<int>(), finding["column"].get<int>() - 3 + 6);
  // An absolute path is a file: URI, with no base.
  EXPECT_EQ(loc["artifactLocation"]["uri"], "file://" + Tmp("u.toml"));
  EXPECT_FALSE(loc["artifactLocation"].contains("uriBaseId"));
}

// ----------------------------------------------------------- the document

// The sections of docs/lint-rules.md: code -> its text, from each heading
// that names a code to the next heading of the same or a higher level.
std::map<std::string, std::string> DocumentedCodes() {
  std::ifstream in(SourceDir() + "/docs/lint-rules.md");
  std::map<std::string, std::string> sections;
  std::string line, current;
  bool in_code = false;  // a "#" in a code block is not a heading
  // "## CORS013 ...", "### CORS013 ...", "#### CORS013 ...".
  auto heading = [](const std::string& l) -> std::string {
    size_t hashes = l.find_first_not_of('#');
    if (hashes < 2 || hashes > 4 || hashes == std::string::npos || l[hashes] != ' ') return "";
    size_t at = l.find_first_not_of(' ', hashes);
    if (at == std::string::npos || l.compare(at, 4, "CORS") != 0 || l.size() < at + 7) return "";
    for (size_t i = at + 4; i < at + 7; ++i) {
      if (l[i] < '0' || l[i] > '9') return "";
    }
    if (l.size() > at + 7 && l[at + 7] != ' ') return "";
    return l.substr(at, 7);
  };
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) in_code = !in_code;
    if (std::string code = in_code ? "" : heading(line); !code.empty()) {
      current = code;
      sections[current];
      continue;
    }
    if (!in_code && line.rfind("#", 0) == 0) current.clear();
    if (!current.empty()) sections[current] += line + "\n";
  }
  return sections;
}

TEST(LintRulesDocTest, EveryCodeIsDocumented) {
  std::map<std::string, std::string> sections = DocumentedCodes();
  ASSERT_FALSE(sections.empty()) << "no CORSnnn heading in docs/lint-rules.md";
  std::set<std::string> known;
  for (const CodeInfo& info : Catalogue()) {
    const std::string code = FormatCode(info.code);
    known.insert(code);
    auto it = sections.find(code);
    if (it == sections.end()) {
      ADD_FAILURE() << code << " has no section in docs/lint-rules.md";
      continue;
    }
    EXPECT_THAT(it->second,
                HasSubstr("Default severity: " + std::string(SeverityName(info.severity))))
        << code;
    EXPECT_THAT(it->second, HasSubstr("```toml")) << code << " has no example";
  }
  for (const auto& [code, text] : sections) {
    EXPECT_TRUE(known.count(code)) << code << " is documented but not in Catalogue()";
  }
}

// The examples of a section: the contents of its ```toml blocks.
std::vector<std::string> Examples(const std::string& section) {
  std::vector<std::string> out;
  size_t at = 0;
  while ((at = section.find("```toml\n", at)) != std::string::npos) {
    at += 8;
    size_t end = section.find("```", at);
    if (end == std::string::npos) break;
    out.push_back(section.substr(at, end - at));
    at = end + 3;
  }
  return out;
}

// Makes a policy of a document's example, which may be a fragment: a
// version line, and a [defaults] table with origins when it has none.
std::string AsPolicy(std::string t) {
  if (t.rfind("version", 0) == 0) return t;
  bool has_table = t.rfind("[", 0) == 0 || t.find("\n[") != std::string::npos;
  if (!has_table || t.rfind("origins", 0) == 0 || t.rfind("methods", 0) == 0 ||
      t.rfind("allow_headers", 0) == 0 || t.rfind("expose_headers", 0) == 0 ||
      t.rfind("max_age", 0) == 0) {
    t = "[defaults]\n" + t;
  }
  const std::string defaults = "[defaults]\n";
  size_t d = t.find(defaults);
  if (d == std::string::npos) {
    t = defaults + "origins = [\"https://app.example.com\"]\n" + t;
  } else if (t.substr(0, t.find("[[routes]]")).find("origins") == std::string::npos) {
    t.insert(d + defaults.size(), "origins = [\"https://app.example.com\"]\n");
  }
  return "version = 1\n" + t;
}

TEST(LintRulesDocTest, EachLintRuleExampleShowsTheFinding) {
  // The first example of a lint rule's section triggers it; the second
  // (the fixed one) does not.
  std::map<std::string, std::string> sections = DocumentedCodes();
  CompileOptions o;
  o.lint = true;
  for (const CodeInfo& info : Catalogue()) {
    if (static_cast<unsigned>(info.code) < 100) continue;
    const std::string code = FormatCode(info.code);
    std::vector<std::string> examples = Examples(sections[code]);
    ASSERT_GE(examples.size(), 2u) << code << " needs a bad and a fixed example";
    for (size_t i = 0; i < 2; ++i) {
      const std::string policy = AsPolicy(examples[i]);
      Compilation c = Compile(std::vector<SourceFile>{{"example.toml", policy}}, o);
      bool found = false;
      for (const Diagnostic& d : c.diagnostics) found = found || d.code == info.code;
      EXPECT_EQ(found, i == 0) << code << (i == 0 ? " bad" : " fixed") << " example:\n" << policy;
    }
  }
}

}  // namespace
}  // namespace corsc::testing

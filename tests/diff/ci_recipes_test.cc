// Copyright corsc developers.
//
// The CI recipes of docs/ci.md, run locally as CI would run them:
//
//   docs/examples/github-workflow.yml   the steps whose id starts with
//       "corsc-" are read from the file (a line-based reader: the steps are
//       plain `run:` scripts, and GitHub expressions appear only in `env:`
//       values), then run with bash -eo pipefail, as `shell: bash` does,
//       in clones of a git repository with a base branch and pull-request
//       branches, with the corsc under test on PATH.
//   .pre-commit-hooks.yaml + docs/examples/pre-commit-config.yaml
//       each hook's entry and the example's args, run as pre-commit would.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "corsc_test.h"

namespace corsc::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using Env = std::map<std::string, std::string>;

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// ---------------------------------------------------------------- YAML, by lines

struct Line {
  size_t indent = 0;
  std::string text;  // without the indentation
};

std::vector<Line> Lines(const std::string& yaml) {
  std::vector<Line> out;
  std::istringstream in(yaml);
  for (std::string raw; std::getline(in, raw);) {
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    size_t indent = raw.find_first_not_of(' ');
    if (indent == std::string::npos) {
      out.push_back({0, ""});
      continue;
    }
    out.push_back({indent, raw.substr(indent)});
  }
  return out;
}

bool Blank(const Line& l) { return l.text.empty() || l.text[0] == '#'; }

// "key: value  # comment" -> (key, value); the value keeps what it quotes.
std::pair<std::string, std::string> KeyValue(const std::string& text) {
  size_t colon = text.find(':');
  if (colon == std::string::npos) return {"", ""};
  std::string value = text.substr(colon + 1);
  if (size_t hash = value.find(" #"); hash != std::string::npos) value.resize(hash);
  value = Trim(value);
  if (value.size() >= 2 && (value[0] == '\'' || value[0] == '"') && value.back() == value[0]) {
    value = value.substr(1, value.size() - 2);
  }
  return {Trim(text.substr(0, colon)), value};
}

// The mapping of `key: value` lines more indented than lines[at] (a
// "name:" line), stopping at the first line that is not.
Env Mapping(const std::vector<Line>& lines, size_t at) {
  Env out;
  for (size_t i = at + 1; i < lines.size(); ++i) {
    if (Blank(lines[i])) continue;
    if (lines[i].indent <= lines[at].indent) break;
    auto [k, v] = KeyValue(lines[i].text);
    out[k] = v;
  }
  return out;
}

// One item of a YAML list of mappings: its scalar keys, a nested `env:`
// mapping, and a `run:` scalar or literal block.
struct Item {
  Env keys;
  Env env;
  std::string run;
};

// The items of the list whose "- " lines are at `indent`, from line `from`.
std::vector<Item> ListItems(const std::vector<Line>& lines, size_t from, size_t indent) {
  std::vector<Item> items;
  for (size_t i = from; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (Blank(l)) continue;
    if (l.indent < indent) break;
    if (l.indent == indent && l.text.rfind("- ", 0) == 0) items.emplace_back();
    if (items.empty()) continue;
    // The keys of an item are at indent + 2 (the first one after "- ").
    std::string text = l.indent == indent ? l.text.substr(2) : l.text;
    size_t key_indent = l.indent == indent ? indent + 2 : l.indent;
    if (key_indent != indent + 2) continue;
    auto [k, v] = KeyValue(text);
    Item& item = items.back();
    if (k == "env") {
      Line at{key_indent, text};
      std::vector<Line> rest = {at};
      for (size_t j = i + 1; j < lines.size() && (Blank(lines[j]) || lines[j].indent > key_indent);
           ++j) {
        rest.push_back(lines[j]);
      }
      item.env = Mapping(rest, 0);
    } else if (k == "run" && (v == "|" || v == "|-")) {
      size_t block = 0;
      for (size_t j = i + 1; j < lines.size(); ++j) {
        if (lines[j].text.empty()) {
          item.run += "\n";
          continue;
        }
        if (lines[j].indent <= key_indent) break;
        if (block == 0) block = lines[j].indent;
        item.run += std::string(lines[j].indent - block, ' ') + lines[j].text + "\n";
      }
    } else {
      item.keys[k] = v;
      if (k == "run") item.run = v + "\n";
    }
  }
  return items;
}

struct Workflow {
  Env env;                  // the top-level env:
  std::vector<Item> steps;  // of the (one) job
};

Workflow ReadWorkflow(const std::string& path) {
  std::vector<Line> lines = Lines(Slurp(path));
  Workflow w;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].indent == 0 && lines[i].text == "env:") w.env = Mapping(lines, i);
    if (lines[i].text == "steps:" && i + 1 < lines.size()) {
      size_t j = i + 1;
      while (j < lines.size() && Blank(lines[j])) ++j;
      w.steps = ListItems(lines, j, lines[j].indent);
    }
  }
  return w;
}

// "[a, b, c]" -> {"a", "b", "c"}.
std::vector<std::string> FlowList(const std::string& v) {
  std::vector<std::string> out;
  if (v.size() < 2 || v.front() != '[' || v.back() != ']') return out;
  std::stringstream in(v.substr(1, v.size() - 2));
  for (std::string item; std::getline(in, item, ',');) out.push_back(Trim(item));
  return out;
}

// ---------------------------------------------------------------- running

class CiRecipesTest : public CorscTest {
 protected:
  void SetUp() override {
    CorscTest::SetUp();
    home_ = tmp_ + "/home";
    bin_ = tmp_ + "/bin";
    fs::create_directories(home_);
    fs::create_directories(bin_);
    fs::create_symlink(fs::absolute(CorscBinary()), bin_ + "/corsc");
  }
  // A clean environment: corsc on PATH, a HOME of its own (git config
  // --global writes there), no system git configuration.
  Env BaseEnv() const {
    return {{"PATH", bin_ + ":/usr/local/bin:/usr/bin:/bin"},
            {"HOME", home_},
            {"LANG", "C.UTF-8"},
            {"GIT_CONFIG_NOSYSTEM", "1"},
            {"GIT_AUTHOR_NAME", "corsc tests"},
            {"GIT_AUTHOR_EMAIL", "tests@corsc.invalid"},
            {"GIT_COMMITTER_NAME", "corsc tests"},
            {"GIT_COMMITTER_EMAIL", "tests@corsc.invalid"}};
  }

  ProcessResult Run(const std::vector<std::string>& argv, const std::string& cwd,
                    const Env& env) const {
    std::vector<std::string> args = {"/usr/bin/env", "-i"};
    for (const auto& [k, v] : env) args.push_back(k + "=" + v);
    args.insert(args.end(), argv.begin(), argv.end());
    return RunProcess(args, "", cwd, 120);
  }

  // A script as GitHub's `shell: bash` runs it.
  ProcessResult Bash(const std::string& script, const std::string& cwd, const Env& env) const {
    return Run({"bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script}, cwd, env);
  }

  void Git(const std::vector<std::string>& args, const std::string& cwd) const {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessResult r = Run(argv, cwd, BaseEnv());
    ASSERT_EQ(r.exit_status, 0) << "git " << ::testing::PrintToString(args) << "\n" << r.err;
  }

  bool HaveGit() const { return Run({"git", "--version"}, tmp_, BaseEnv()).exit_status == 0; }

  std::string home_, bin_;
};

// ---------------------------------------------------------------- the workflow

class WorkflowTest : public CiRecipesTest {
 protected:
  void SetUp() override {
    CiRecipesTest::SetUp();
    workflow_ = ReadWorkflow(SourceDir() + "/docs/examples/github-workflow.yml");
    policy_ = workflow_.env["POLICY"];
  }

  // The step with this id; fails the test when there is none.
  const Item* Step(const std::string& id) const {
    for (const Item& s : workflow_.steps) {
      auto it = s.keys.find("id");
      if (it != s.keys.end() && it->second == id) return &s;
    }
    ADD_FAILURE() << "the workflow has no step with id " << id;
    return nullptr;
  }

  // A bare "remote" with main (the base policy), two pull-request branches
  // and a base branch without any policy, as GitHub's checkout with
  // fetch-depth 0 sees them (origin/<branch>).
  void MakeRemote() {
    const std::string author = tmp_ + "/author";
    remote_ = tmp_ + "/remote.git";
    fs::create_directories(author);
    Git({"init", "-q", "--bare", "-b", "main", remote_}, tmp_);
    Git({"init", "-q", "-b", "main"}, author);
    Git({"remote", "add", "origin", remote_}, author);
    auto commit = [&](const std::string& policy_file, const std::string& message) {
      Spit(author + "/" + policy_ + "/policy.toml",
           Slurp(SourceDir() + "/" + TestData("diff/ci/" + policy_file)));
      Git({"add", "-A"}, author);
      Git({"commit", "-q", "-m", message}, author);
    };
    commit("base.toml", "base policy");
    Git({"push", "-q", "origin", "main"}, author);
    for (const char* branch : {"widen", "narrow", "broken"}) {
      Git({"checkout", "-q", "-b", branch, "main"}, author);
      commit(std::string(branch) + ".toml", std::string("pull request: ") + branch);
      Git({"push", "-q", "origin", branch}, author);
    }
    Git({"checkout", "-q", "--orphan", "bare-base"}, author);
    Git({"rm", "-q", "-r", "-f", "."}, author);
    Spit(author + "/README", "no policy here yet\n");
    Git({"add", "-A"}, author);
    Git({"commit", "-q", "-m", "a base without a policy"}, author);
    Git({"push", "-q", "origin", "bare-base"}, author);
    Git({"checkout", "-q", "-b", "first-policy", "bare-base"}, author);
    commit("base.toml", "pull request: the first policy");
    Git({"push", "-q", "origin", "first-policy"}, author);
  }

  // A checkout of `branch`, as actions/checkout leaves it.
  std::string Clone(const std::string& branch) {
    const std::string dir = tmp_ + "/work-" + branch;
    Git({"clone", "-q", "--branch", branch, remote_, dir}, tmp_);
    return dir;
  }

  // Runs step `id` in `dir` for a pull request into `base`.
  struct StepRun {
    ProcessResult process;
    std::string summary;  // what the step appended to $GITHUB_STEP_SUMMARY
  };
  StepRun RunStep(const std::string& id, const std::string& dir, const std::string& base) {
    StepRun out;
    const Item* step = Step(id);
    if (step == nullptr) return out;
    EXPECT_THAT(step->run, Not(HasSubstr("${{"))) << id << ": expressions belong in env:";
    Env env = BaseEnv();
    for (const auto& [k, v] : workflow_.env) env[k] = v;
    const std::map<std::string, std::string> contexts = {{"github.base_ref", base},
                                                         {"github.event_name", "pull_request"}};
    for (const auto& [k, v] : step->env) {
      std::string name;
      if (RE2::FullMatch(v, R"(\$\{\{\s*([a-z_.]+)\s*\}\})", &name)) {
        auto it = contexts.find(name);
        if (it == contexts.end()) {
          ADD_FAILURE() << id << ": the local run does not know " << v;
          continue;
        }
        env[k] = it->second;
      } else {
        EXPECT_THAT(v, Not(HasSubstr("${{"))) << id;
        env[k] = v;
      }
    }
    const std::string runner_temp = tmp_ + "/runner-temp-" + id;
    const std::string summary = tmp_ + "/summary-" + id;
    fs::create_directories(runner_temp);
    Spit(summary, "");
    env["RUNNER_TEMP"] = runner_temp;
    env["GITHUB_STEP_SUMMARY"] = summary;
    env["GITHUB_EVENT_NAME"] = "pull_request";
    env["GITHUB_WORKSPACE"] = dir;
    out.process = Bash(step->run, dir, env);
    out.summary = Slurp(summary);
    fs::remove(summary);
    return out;
  }

  Workflow workflow_;
  std::string policy_;
  std::string remote_;
};

TEST_F(WorkflowTest, TheWorkflowHasTheStepsDocsCiMdDescribes) {
  EXPECT_EQ(policy_, "policies/api");
  EXPECT_FALSE(workflow_.env["CORSC_PROFILE"].empty());
  ASSERT_NE(Step("corsc-lint"), nullptr);
  ASSERT_NE(Step("corsc-test"), nullptr);
  ASSERT_NE(Step("corsc-diff"), nullptr);
  EXPECT_THAT(Step("corsc-lint")->run, HasSubstr("corsc lint --format sarif"));
  EXPECT_THAT(Step("corsc-test")->run, HasSubstr("corsc test \"$POLICY\""));
  EXPECT_THAT(Step("corsc-diff")->run, HasSubstr("--fail-on widen"));
  EXPECT_EQ(Step("corsc-diff")->keys.at("if"), "github.event_name == 'pull_request'");
  bool uploads = false;
  for (const Item& s : workflow_.steps) {
    auto uses = s.keys.find("uses");
    if (uses != s.keys.end() && uses->second.rfind("github/codeql-action/upload-sarif@", 0) == 0) {
      uploads = true;
    }
  }
  EXPECT_TRUE(uploads) << "the workflow uploads the SARIF file";
}

TEST_F(WorkflowTest, LintAndTestStepsPass) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed";
  ASSERT_NO_FATAL_FAILURE(MakeRemote());
  const std::string dir = Clone("widen");

  StepRun lint = RunStep("corsc-lint", dir, "main");
  EXPECT_EQ(lint.process.exit_status, 0) << lint.process.err;
  nlohmann::json sarif = nlohmann::json::parse(Slurp(dir + "/corsc.sarif"), nullptr, false);
  ASSERT_FALSE(sarif.is_discarded()) << "corsc.sarif is not JSON";
  EXPECT_EQ(sarif.value("version", ""), "2.1.0");
  EXPECT_TRUE(sarif["runs"].is_array());

  StepRun test = RunStep("corsc-test", dir, "main");
  EXPECT_EQ(test.process.exit_status, 0) << test.process.err;
  EXPECT_THAT(test.process.out + test.process.err, HasSubstr("2 passed, 0 failed"));
}

TEST_F(WorkflowTest, DiffGateFailsOnAWidening) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed";
  ASSERT_NO_FATAL_FAILURE(MakeRemote());
  StepRun gate = RunStep("corsc-diff", Clone("widen"), "main");
  EXPECT_EQ(gate.process.exit_status, 1) << gate.process.err;
  EXPECT_THAT(gate.process.out,
              HasSubstr("route [defaults]\n"
                        "  + origins          https://*.example.com  (newly allows e.g. "
                        "https://a.example.com; policies/api/policy.toml:6:12)\n"
                        "  + methods          PUT\n"
                        "2 widenings, 0 narrowings, 0 other changes\n"));
  EXPECT_THAT(gate.summary, HasSubstr("### CORS access: main -> this pull request\n```\n"));
  EXPECT_THAT(gate.summary, HasSubstr("2 widenings"));
  EXPECT_THAT(gate.summary, HasSubstr("a reviewer must approve it"));
}

TEST_F(WorkflowTest, DiffGateFailsOnPolicyErrorsWithoutCallingThemAWidening) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed";
  ASSERT_NO_FATAL_FAILURE(MakeRemote());
  StepRun gate = RunStep("corsc-diff", Clone("broken"), "main");
  EXPECT_EQ(gate.process.exit_status, 1) << gate.process.err;
  EXPECT_THAT(gate.process.err, HasSubstr("error[CORS012]"));
  EXPECT_THAT(gate.summary, HasSubstr("corsc diff failed (exit 1)"));
  EXPECT_THAT(gate.summary, Not(HasSubstr("must approve")));
}

TEST_F(WorkflowTest, DiffGatePassesANarrowing) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed";
  ASSERT_NO_FATAL_FAILURE(MakeRemote());
  StepRun gate = RunStep("corsc-diff", Clone("narrow"), "main");
  EXPECT_EQ(gate.process.exit_status, 0) << gate.process.err;
  EXPECT_THAT(gate.process.out, HasSubstr("  - origins          https://admin.example.com"));
  EXPECT_THAT(gate.process.out, HasSubstr("0 widenings, 1 narrowing, 0 other changes\n"));
  EXPECT_THAT(gate.summary, HasSubstr("0 widenings"));
  EXPECT_THAT(gate.summary, Not(HasSubstr("must approve")));
}

TEST_F(WorkflowTest, DiffGatePassesNoChangeAndANewPolicy) {
  if (!HaveGit()) GTEST_SKIP() << "git is not installed";
  ASSERT_NO_FATAL_FAILURE(MakeRemote());
  StepRun same = RunStep("corsc-diff", Clone("main"), "main");
  EXPECT_EQ(same.process.exit_status, 0) << same.process.err;
  EXPECT_THAT(same.process.out, HasSubstr("no difference in access\n"));

  StepRun first = RunStep("corsc-diff", Clone("first-policy"), "bare-base");
  EXPECT_EQ(first.process.exit_status, 0) << first.process.err;
  EXPECT_THAT(first.process.out, HasSubstr("nothing to compare with bare-base"));
}

// ---------------------------------------------------------------- pre-commit

struct Hook {
  std::string id, entry, language, files, pass_filenames;
  std::vector<std::string> args;
};

std::map<std::string, Hook> ReadHooks(const std::string& path, size_t indent) {
  std::map<std::string, Hook> hooks;
  std::vector<Line> lines = Lines(Slurp(path));
  size_t from = 0;
  while (from < lines.size() &&
         (Blank(lines[from]) || lines[from].indent != indent || lines[from].text[0] != '-')) {
    ++from;
  }
  for (const Item& item : ListItems(lines, from, indent)) {
    Hook h;
    auto get = [&](const char* key) {
      auto it = item.keys.find(key);
      return it == item.keys.end() ? std::string() : it->second;
    };
    h.id = get("id");
    h.entry = get("entry");
    h.language = get("language");
    h.files = get("files");
    h.pass_filenames = get("pass_filenames");
    h.args = FlowList(get("args"));
    hooks[h.id] = h;
  }
  return hooks;
}

class PreCommitTest : public CiRecipesTest {
 protected:
  void SetUp() override {
    CiRecipesTest::SetUp();
    hooks_ = ReadHooks(SourceDir() + "/.pre-commit-hooks.yaml", 0);
    config_ = ReadHooks(SourceDir() + "/docs/examples/pre-commit-config.yaml", 6);
    repo_ = tmp_ + "/repo";
    fs::create_directories(repo_);
  }

  // Runs hook `id` as pre-commit does: entry, then args (no file names).
  ProcessResult RunHook(const std::string& id) {
    std::vector<std::string> argv;
    std::stringstream entry(hooks_.at(id).entry);
    for (std::string word; entry >> word;) argv.push_back(word);
    for (const std::string& a : config_.at(id).args) argv.push_back(a);
    return Run(argv, repo_, BaseEnv());
  }

  void Policy(const std::string& data) {
    Spit(repo_ + "/policies/api/policy.toml", Slurp(SourceDir() + "/" + TestData("diff/" + data)));
  }

  std::map<std::string, Hook> hooks_, config_;
  std::string repo_;
};

TEST_F(PreCommitTest, HooksAreDefinedForWholePolicies) {
  for (const char* id : {"corsc-lint", "corsc-test"}) {
    SCOPED_TRACE(id);
    ASSERT_EQ(hooks_.count(id), 1u);
    ASSERT_EQ(config_.count(id), 1u);
    const Hook& h = hooks_.at(id);
    EXPECT_EQ(h.language, "system");
    EXPECT_EQ(h.pass_filenames, "false") << "a policy is a folder: never pass single files";
    EXPECT_EQ(h.files, "\\.toml$");
    // pre-commit's `files` are Python regexes, searched in the path; these
    // are in the common subset of Python's and RE2's syntax.
    EXPECT_TRUE(RE2::PartialMatch("policies/api/policy.toml", h.files));
    EXPECT_FALSE(RE2::PartialMatch("src/main.cc", h.files));
    const Hook& c = config_.at(id);
    EXPECT_TRUE(RE2::PartialMatch("policies/api/policy.toml", c.files));
    EXPECT_FALSE(RE2::PartialMatch("policies/other/policy.toml", c.files));
    EXPECT_FALSE(c.args.empty());
  }
  EXPECT_EQ(hooks_.at("corsc-lint").entry, "corsc lint");
  EXPECT_EQ(hooks_.at("corsc-test").entry, "corsc test");
}

TEST_F(PreCommitTest, HooksPassAGoodPolicy) {
  Policy("ci/base.toml");
  ProcessResult lint = RunHook("corsc-lint");
  EXPECT_EQ(lint.exit_status, 0) << lint.err;
  ProcessResult test = RunHook("corsc-test");
  EXPECT_EQ(test.exit_status, 0) << test.err;
  EXPECT_THAT(test.out + test.err, HasSubstr("2 passed, 0 failed"));
}

TEST_F(PreCommitTest, LintHookRefusesAPolicyWithErrors) {
  Policy("broken.toml");
  ProcessResult lint = RunHook("corsc-lint");
  EXPECT_EQ(lint.exit_status, 1);
  EXPECT_THAT(lint.err, HasSubstr("policies/api/policy.toml:6:1: error[CORS013]"));
}

TEST_F(PreCommitTest, TestHookRefusesAFailingTest) {
  Policy("ci/broken-test.toml");
  ProcessResult test = RunHook("corsc-test");
  EXPECT_EQ(test.exit_status, 1);
  EXPECT_THAT(test.out + test.err, HasSubstr("0 passed, 1 failed"));
}

}  // namespace
}  // namespace corsc::testing

// Copyright corsc developers.
//
// End-to-end tests of the command line (cli.md): each subcommand run as a
// user would, its exit status, what it prints, and what it writes.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "corsc_test.h"

namespace corsc::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

class CliTest : public CorscTest {
 protected:
  // Every line of `text` parsed as JSON.
  static std::vector<json> JsonLines(const std::string& text) {
    std::vector<json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) out.push_back(json::parse(line));
    }
    return out;
  }
};

// ---------------------------------------------------------------- usage

TEST_F(CliTest, NoSubcommandIsAUsageError) {
  ProcessResult r = Corsc({});
  EXPECT_EQ(r.exit_status, 2);
}

TEST_F(CliTest, UnknownFlagIsAUsageError) {
  ProcessResult r = Corsc({"lint", "--no-such-flag", TestData("cli/ok")});
  EXPECT_EQ(r.exit_status, 2);
}

TEST_F(CliTest, HelpExitsZero) {
  ProcessResult r = Corsc({"--help"});
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_THAT(r.out, HasSubstr("eval"));
}

TEST_F(CliTest, VerboseLogsStageTimingsToStderrOnly) {
  ProcessResult r = Corsc({"--verbose", "lint", "--format", "json", TestData("cli/ok")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("corsc compile: load took"));
  EXPECT_TRUE(json::parse(r.out).is_array());  // stdout is the JSON alone
  r = Corsc({"lint", TestData("cli/ok")});
  EXPECT_THAT(r.err, Not(HasSubstr("took")));
}

// A TOML syntax error is a policy error like any other: exit 1, at its
// line and column, for every command that reads policies.
TEST_F(CliTest, TomlSyntaxErrorIsAPolicyError) {
  Spit(Tmp("bad.toml"), "version = 1\n[defaults]\norigins = [\"https://a.example.com\"\n");
  for (std::vector<std::string> args : {std::vector<std::string>{"lint", Tmp("bad.toml")},
                                        {"compile", "-o", Tmp("t"), Tmp("bad.toml")},
                                        {"test", Tmp("bad.toml")},
                                        {"eval", "--policy", Tmp("bad.toml"), "--path", "/"}}) {
    ProcessResult r = Corsc(args);
    EXPECT_EQ(r.exit_status, 1) << args[0] << "\n" << r.err;
    EXPECT_THAT(r.err, ContainsRegex("bad\\.toml:[34]:[0-9]+: error\\[CORS001\\]")) << args[0];
  }
  EXPECT_FALSE(fs::exists(Tmp("t")));
}

TEST_F(CliTest, MissingFileIsAnIoError) {
  ProcessResult r = Corsc({"lint", Tmp("nope.toml")});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_THAT(r.err, HasSubstr("nope.toml"));
}

// A dangling *.toml link in a folder is an unreadable file like any other
// (exit 2, the same message), not a file silently left out.
TEST_F(CliTest, DanglingTomlLinkInAFolderIsAnIoError) {
  Spit(Tmp("lq/a.toml"), Slurp(SourceDir() + "/" + TestData("cli/ok/policy.toml")));
  fs::create_symlink(Tmp("nowhere.toml"), Tmp("lq/b.toml"));
  ProcessResult alone = Corsc({"lint", Tmp("lq/b.toml")});
  ProcessResult folder = Corsc({"lint", Tmp("lq")});
  EXPECT_EQ(alone.exit_status, 2);
  EXPECT_EQ(folder.exit_status, 2);
  const std::string says = "cannot read \"" + Tmp("lq/b.toml") + "\": No such file or directory";
  EXPECT_THAT(alone.err, HasSubstr(says));
  EXPECT_THAT(folder.err, HasSubstr(says));
}

TEST_F(CliTest, UnknownProfileIsAUsageError) {
  ProcessResult r = Corsc({"compile", "--profile", "staging", "-o", Tmp("t"), TestData("cli/ok")});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_THAT(r.err, HasSubstr("staging"));
  EXPECT_FALSE(fs::exists(Tmp("t")));
}

TEST_F(CliTest, AbsentProductionProfileIsTheBasePolicy) {
  ProcessResult r = Corsc({"compile", "--profile", "prod", "-o", Tmp("t"), TestData("cli/ok")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
}

// ---------------------------------------------------------------- lint

TEST_F(CliTest, LintAcceptsAValidPolicy) {
  ProcessResult r = Corsc({"lint", TestData("cli/ok")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("0 errors"));
}

TEST_F(CliTest, LintReportsEveryErrorWithLocationAndCaret) {
  ProcessResult r = Corsc({"lint", TestData("cli/two-errors")});
  EXPECT_EQ(r.exit_status, 1);
  // Three errors on two lines, all in one run.
  EXPECT_THAT(r.err, ContainsRegex("policy\\.toml:4:[0-9]+: error\\[CORS010\\]"));
  EXPECT_THAT(r.err, ContainsRegex("policy\\.toml:4:[0-9]+: error\\[CORS012\\]"));
  EXPECT_THAT(r.err, ContainsRegex("policy\\.toml:5:[0-9]+: error\\[CORS020\\]"));
  // The source line and a caret under the offending value.
  EXPECT_THAT(r.err, HasSubstr("origins = [\"https://app.example.com/\", \"https://*.com\"]"));
  EXPECT_THAT(r.err, HasSubstr("^"));
}

TEST_F(CliTest, LintNamesTheLaterLineOfAConflict) {
  ProcessResult r = Corsc({"lint", TestData("cli/broken")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, ContainsRegex("policy\\.toml:5:[0-9]+: error\\[CORS013\\]"));
  EXPECT_THAT(r.err, ContainsRegex("policy\\.toml:4:[0-9]+: note"));
  EXPECT_THAT(r.err, Not(ContainsRegex("policy\\.toml:4:[0-9]+: error")));
}

TEST_F(CliTest, LintJsonIsAnArrayOfFindings) {
  ProcessResult r = Corsc({"lint", "--format", "json", TestData("cli/two-errors")});
  EXPECT_EQ(r.exit_status, 1);
  json findings = json::parse(r.out);
  ASSERT_TRUE(findings.is_array());
  // Three errors, in file order (and no note that the policy has no
  // tests: it does not compile).
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0]["code"], "CORS010");
  EXPECT_EQ(findings[0]["severity"], "error");
  EXPECT_EQ(findings[0]["line"], 4);
  for (const json& f : findings) EXPECT_NE(f["code"], "CORS150");
}

TEST_F(CliTest, LintWarningsFailOnlyWithWerror) {
  Spit(Tmp("w.toml"), "version = 1\n[defaults]\norigins = [\"https://App.example.com\"]\n");
  ProcessResult r = Corsc({"lint", Tmp("w.toml")});
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_THAT(r.err, HasSubstr("warning[CORS100]"));
  EXPECT_THAT(r.err, HasSubstr("https://app.example.com"));  // the fix
  r = Corsc({"lint", "--werror", Tmp("w.toml")});
  EXPECT_EQ(r.exit_status, 1);
}

TEST_F(CliTest, LintProductionProfileRefusesDevelopmentOrigins) {
  Spit(Tmp("p.toml"),
       "version = 1\n[defaults]\norigins = [\"https://app.example.com\", "
       "\"http://localhost:3000\"]\n");
  EXPECT_EQ(Corsc({"lint", Tmp("p.toml")}).exit_status, 0);
  ProcessResult r = Corsc({"lint", "--profile", "prod", Tmp("p.toml")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, ContainsRegex("p\\.toml:3:[0-9]+: error\\[CORS017\\]"));
  // --prod renames the production profile.
  r = Corsc({"lint", "--profile", "live", "--prod", "live", Tmp("p.toml")});
  EXPECT_EQ(r.exit_status, 1);
  // compile checks the same, and writes nothing.
  r = Corsc({"compile", "--profile", "prod", "-o", Tmp("p.table"), Tmp("p.toml")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("error[CORS017]"));
  EXPECT_FALSE(fs::exists(Tmp("p.table")));
  r = Corsc(
      {"compile", "--profile", "live", "--prod", "live", "-o", Tmp("p.table"), Tmp("p.toml")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_FALSE(fs::exists(Tmp("p.table")));
  EXPECT_EQ(Corsc({"compile", "-o", Tmp("p.table"), Tmp("p.toml")}).exit_status, 0);
}

// ---------------------------------------------------------------- compile

TEST_F(CliTest, CompileWritesATableAndSummarizesIt) {
  ProcessResult r = Corsc({"compile", "-o", Tmp("t.table"), TestData("cli/ok")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 routes"));
  EXPECT_THAT(r.out, HasSubstr("3 origin rules (1 exact, 1 wildcard, 0 regexes, 1 \"*\")"));
  EXPECT_GT(fs::file_size(Tmp("t.table")), 0u);
  // No temporary file is left beside the table.
  size_t entries = 0;
  for (auto& e : fs::directory_iterator(tmp_)) entries += e.is_regular_file();
  EXPECT_EQ(entries, 1u);
}

TEST_F(CliTest, CompileRefusesAPolicyWithErrorsAndKeepsTheOldTable) {
  Spit(Tmp("t.table"), "the old table");
  ProcessResult r = Corsc({"compile", "-o", Tmp("t.table"), TestData("cli/broken")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("error[CORS013]"));
  EXPECT_EQ(Slurp(Tmp("t.table")), "the old table");
}

TEST_F(CliTest, CompileWritesNothingWhenThePolicyHasErrors) {
  ProcessResult r = Corsc({"compile", "-o", Tmp("t.table"), TestData("cli/two-errors")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_FALSE(fs::exists(Tmp("t.table")));
}

TEST_F(CliTest, CompileToAnUnwritablePlaceIsAnIoError) {
  ProcessResult r = Corsc({"compile", "-o", Tmp("no/such/dir/t.table"), TestData("cli/ok")});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_THAT(r.err, HasSubstr("t.table"));
}

// cli.md: OUT is replaced atomically, by a rename() that would put a
// regular file in place of a device or a FIFO (`-o /dev/null` as root).
// Anything but a regular file, or a link to one, is refused, and nothing
// is written beside it.
TEST_F(CliTest, CompileRefusesToReplaceWhatIsNotARegularFile) {
  ASSERT_EQ(mkfifo(Tmp("fifo").c_str(), 0600), 0);
  fs::create_symlink(Tmp("fifo"), Tmp("to-fifo"));
  for (const char* out : {"fifo", "to-fifo"}) {
    ProcessResult r = Corsc({"compile", "-o", Tmp(out), TestData("cli/ok")});
    EXPECT_EQ(r.exit_status, 2) << out;
    EXPECT_THAT(r.err, HasSubstr("cannot write \"" + Tmp(out) + "\": not a regular file"));
  }
  fs::create_directory(Tmp("dir"));
  ProcessResult r = Corsc({"compile", "-o", Tmp("dir"), TestData("cli/ok")});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_THAT(r.err, HasSubstr("cannot write \"" + Tmp("dir") + "\": a folder"));
  fs::remove(Tmp("dir"));
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(Tmp("fifo"))));
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(Tmp("to-fifo"))));
  // No temporary file is left beside them.
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp_), fs::directory_iterator()), 2);
  // A link to a regular file is replaced as before.
  Spit(Tmp("old.table"), "the old table");
  fs::create_symlink(Tmp("old.table"), Tmp("to-table"));
  EXPECT_EQ(Corsc({"compile", "-o", Tmp("to-table"), TestData("cli/ok")}).exit_status, 0);
}

TEST_F(CliTest, CompileRequiresAnOutput) {
  EXPECT_EQ(Corsc({"compile", TestData("cli/ok")}).exit_status, 2);
}

// ---------------------------------------------------------------- eval

TEST_F(CliTest, EvalOneRequestCurlStyleAsJson) {
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "-X", "OPTIONS", "--path",
                           "/items/1", "-H", "Origin: https://shop.example.com", "-H",
                           "Access-Control-Request-Method: PUT", "--json"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  json d = json::parse(r.out);
  EXPECT_EQ(d["kind"], "preflight");
  EXPECT_EQ(d["allowed"], true);
  EXPECT_EQ(d["reason"], "ok");
  EXPECT_EQ(d["status"], 204);
  EXPECT_EQ(d["route"], "[defaults]");
  EXPECT_THAT(d["route_source"].get<std::string>(),
              ContainsRegex("tests/testdata/cli/ok/policy\\.toml:[0-9]+:1$"));
  EXPECT_EQ(d["origin_rule"], "https://*.example.com");
  EXPECT_THAT(d["origin_rule_source"].get<std::string>(),
              ContainsRegex("tests/testdata/cli/ok/policy\\.toml:6:[0-9]+$"));
  EXPECT_EQ(d["headers"][0],
            json::array({"Access-Control-Allow-Origin", "https://shop.example.com"}));
}

TEST_F(CliTest, EvalTextExplainsARefusal) {
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "--path", "/items/1", "-H",
                           "Origin: https://evil-example.com"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("actual: refused (origin-not-allowed)"));
  EXPECT_THAT(r.out, HasSubstr("Vary: Origin"));
  EXPECT_THAT(r.out, HasSubstr("\"https://evil-example.com\" matches none"));
}

// The explanation shows request bytes escaped (D53): a "\n" in a header
// must not forge a line of output, nor an ESC reach the terminal.
TEST_F(CliTest, EvalTextEscapesControlBytesOfTheRequest) {
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "--path", "/x\x1b[2J", "-H",
                           "Origin: https://evil.com\tactual: allowed (ok)\x1b[32m\xc2\x9b\xff"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("why:         origin \"https://evil.com\\tactual: allowed (ok)"
                               "\\x1b[32m\\xc2\\x9b\\xff\" matches none"));
  EXPECT_THAT(r.out, Not(HasSubstr("\x1b")));
  EXPECT_THAT(r.out, Not(HasSubstr("\tactual: allowed")));
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 5) << r.out;
  // The same in a path that no route matches.
  Spit(Tmp("p/policy.toml"),
       "version = 1\n[[routes]]\npath = \"/a\"\norigins = [\"https://a.example.com\"]\n");
  r = Corsc({"eval", "--policy", Tmp("p"), "--path", "/x\n\x1b[2J", "-H", "Origin: https://a.b"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("no route matches the path \"/x\\n\\x1b[2J\""));
  EXPECT_THAT(r.out, Not(HasSubstr("\x1b")));
}

// A refused method is explained by what the engine refused (D11): several
// Access-Control-Request-Method lines, whatever they hold, or a value that
// is not a method token; not by one line quoted as if it were the method.
TEST_F(CliTest, EvalTextExplainsSeveralRequestMethodLines) {
  for (const std::string first : {"PUT", ""}) {
    std::vector<std::string> args = {"eval", "--policy", TestData("cli/ok"), "-X", "OPTIONS"};
    args.insert(args.end(), {"-H", "Origin: https://app.example.com"});
    for (const std::string& m : {first, std::string("PUT")}) {
      args.insert(args.end(), {"-H", "Access-Control-Request-Method: " + m});
    }
    ProcessResult r = Corsc(args);
    ASSERT_EQ(r.exit_status, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("preflight: refused (method-not-allowed)"));
    EXPECT_THAT(r.out, HasSubstr("why:         the preflight has 2 Access-Control-Request-Method "
                                 "lines; it must ask for one method, on one line\n"));
    EXPECT_THAT(r.out, Not(HasSubstr("is not among")));
  }
  Spit(Tmp("any/policy.toml"),
       "version = 1\n[defaults]\norigins = [\"https://app.example.com\"]\nmethods = [\"*\"]\n");
  ProcessResult r =
      Corsc({"eval", "--policy", Tmp("any"), "-X", "OPTIONS", "-H",
             "Origin: https://app.example.com", "-H", "Access-Control-Request-Method: G T"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("preflight: refused (method-not-allowed)"));
  EXPECT_THAT(r.out, HasSubstr("why:         the requested method \"G T\" is not an HTTP token\n"));
}

TEST_F(CliTest, EvalNeedsExactlyOneOfPolicyAndTable) {
  EXPECT_EQ(Corsc({"eval", "--path", "/"}).exit_status, 2);
  ASSERT_EQ(Corsc({"compile", "-o", Tmp("t"), TestData("cli/ok")}).exit_status, 0);
  EXPECT_EQ(Corsc({"eval", "--policy", TestData("cli/ok"), "--table", Tmp("t")}).exit_status, 2);
}

TEST_F(CliTest, EvalRejectsAMalformedHeaderArgument) {
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "-H", "no colon here"});
  EXPECT_EQ(r.exit_status, 2);
}

// -H is "Name: value" with a token name right before the colon (D52): a
// colon left out must not make a header called "Origin https".
TEST_F(CliTest, EvalRejectsAHeaderArgumentWhoseNameIsNotAToken) {
  for (const std::string arg : {"Origin https://app.example.com", "Origin : https://a.b",
                                "Or igin: https://a.b", ": https://a.b"}) {
    ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "-H", arg});
    EXPECT_EQ(r.exit_status, 2) << arg;
    EXPECT_THAT(r.err, HasSubstr("is not an HTTP token; write \"Name: value\"")) << arg;
    EXPECT_EQ(r.out, "") << arg;
  }
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "-X", "G ET"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_THAT(r.err, HasSubstr("-X: method \"G ET\" is not an HTTP token"));
  r = Corsc({"eval", "--policy", TestData("cli/ok"), "-H", "Origin: https://a.b\nX-A: 1"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_THAT(r.err, HasSubstr("header \"Origin\" holds a line break or a NUL byte"));
  EXPECT_EQ(r.out, "");
}

// --requests reads whole requests: -X, --path and -H beside it would be
// ignored, so they are a usage error (D52).
TEST_F(CliTest, EvalBatchRefusesSingleRequestFlags) {
  const std::string request = "{\"path\":\"/x\"}\n";
  for (std::vector<std::string> flags :
       {std::vector<std::string>{"-X", "PUT"}, {"--path", "/y"}, {"-H", "Origin: https://a.b"}}) {
    std::vector<std::string> args = {"eval", "--policy", TestData("cli/ok"), "--requests", "-"};
    args.insert(args.end(), flags.begin(), flags.end());
    ProcessResult r = Corsc(args, request);
    EXPECT_EQ(r.exit_status, 2) << flags[0];
    EXPECT_THAT(r.err, HasSubstr("with --requests, each line is a request")) << flags[0];
    EXPECT_EQ(r.out, "") << flags[0];
  }
}

TEST_F(CliTest, EvalOnAPolicyWithErrorsFails) {
  ProcessResult r =
      Corsc({"eval", "--policy", TestData("cli/broken"), "-H", "Origin: https://a.b"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("error[CORS013]"));
}

TEST_F(CliTest, EvalThroughATableDecidesAsThePolicy) {
  ASSERT_EQ(Corsc({"compile", "--profile", "dev", "-o", Tmp("t"), TestData("cli/ok")}).exit_status,
            0);
  std::vector<std::string> request = {"--path", "/x", "-H", "Origin: http://localhost:5173",
                                      "--json"};
  std::vector<std::string> from_policy = {"eval", "--policy", TestData("cli/ok"), "--profile",
                                          "dev"};
  std::vector<std::string> from_table = {"eval", "--table", Tmp("t")};
  from_policy.insert(from_policy.end(), request.begin(), request.end());
  from_table.insert(from_table.end(), request.begin(), request.end());
  ProcessResult a = Corsc(from_policy);
  ProcessResult b = Corsc(from_table);
  ASSERT_EQ(a.exit_status, 0) << a.err;
  ASSERT_EQ(b.exit_status, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(json::parse(a.out)["allowed"], true);
}

TEST_F(CliTest, EvalRefusesACorruptTable) {
  ASSERT_EQ(Corsc({"compile", "-o", Tmp("t"), TestData("cli/ok")}).exit_status, 0);
  std::string bytes = Slurp(Tmp("t"));
  bytes[bytes.size() / 2] ^= 0x20;
  Spit(Tmp("t"), bytes);
  ProcessResult r = Corsc({"eval", "--table", Tmp("t"), "-H", "Origin: https://a.b"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_THAT(r.err, HasSubstr("corruption"));
  Spit(Tmp("t"), bytes.substr(0, bytes.size() / 3));
  EXPECT_EQ(Corsc({"eval", "--table", Tmp("t")}).exit_status, 2);
  Spit(Tmp("t"), "");
  EXPECT_EQ(Corsc({"eval", "--table", Tmp("t")}).exit_status, 2);
  // A folder is no table, and says so.
  r = Corsc({"eval", "--table", TestData("cli/ok"), "-H", "Origin: https://a.b"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_THAT(r.err, HasSubstr("a folder, not a file"));
}

TEST_F(CliTest, EvalReadsATableThroughAPipe) {
  ASSERT_EQ(Corsc({"compile", "-o", Tmp("t"), TestData("cli/ok")}).exit_status, 0);
  ProcessResult from_file = Corsc({"eval", "--table", Tmp("t"), "-H", "Origin: https://a.b"});
  ProcessResult piped =
      Corsc({"eval", "--table", "/dev/stdin", "-H", "Origin: https://a.b"}, Slurp(Tmp("t")));
  EXPECT_EQ(piped.exit_status, from_file.exit_status) << piped.err;
  EXPECT_EQ(piped.out, from_file.out);
  EXPECT_FALSE(piped.out.empty());
}

TEST_F(CliTest, EvalBatchAnswersEveryLineInOrder) {
  std::string input =
      "{\"id\":1,\"method\":\"GET\",\"path\":\"/x\",\"headers\":[[\"Origin\","
      "\"https://app.example.com\"]]}\n"
      "{\"method\":\"GET\",\"path\":\"/public/a\",\"headers\":{\"Origin\":\"https://z.test\"}}\n"
      "{\"path\":\"/x\"}\n";
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "--requests", "-"}, input);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::vector<json> out = JsonLines(r.out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0]["id"], 1);
  EXPECT_EQ(out[0]["allowed"], true);
  EXPECT_EQ(out[1]["origin_rule"], "*");
  EXPECT_EQ(out[2]["kind"], "not-cors");
}

// cli.md: a repeated name is several header lines, in the array form, in an
// object's array value, and when an object repeats a key. Two Origin lines
// are refused (D3); two Access-Control-Request-Headers lines are answered
// line by line (D13).
TEST_F(CliTest, EvalBatchRepeatedHeaderNamesAreSeveralLines) {
  const std::string two_origins =
      R"("Origin":"https://app.example.com","Origin":"https://shop.example.com")";
  std::string input =
      R"({"path":"/x","headers":[["Origin","https://app.example.com"],["Origin","https://shop.example.com"]]})"
      "\n"
      R"({"path":"/x","headers":{"Origin":["https://app.example.com","https://shop.example.com"]}})"
      "\n"
      R"({"path":"/x","headers":{)" +
      two_origins + "}}\n" +
      R"({"method":"OPTIONS","path":"/x","headers":{"Origin":"https://app.example.com",)"
      R"("Access-Control-Request-Method":"PUT","Access-Control-Request-Headers":"content-type",)"
      R"("Access-Control-Request-Headers":"Content-Type"}})"
      "\n";
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "--requests", "-"}, input);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::vector<json> out = JsonLines(r.out);
  ASSERT_EQ(out.size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out[i]["kind"], "actual") << i;
    EXPECT_EQ(out[i]["allowed"], false) << i;
    EXPECT_EQ(out[i]["reason"], "origin-not-allowed") << i;
  }
  EXPECT_EQ(out[3]["allowed"], true) << out[3].dump();
  std::vector<std::string> acah;
  for (const json& h : out[3]["headers"]) {
    if (h[0] == "Access-Control-Allow-Headers") acah.push_back(h[1]);
  }
  EXPECT_EQ(acah, (std::vector<std::string>{"content-type", "Content-Type"}));
}

TEST_F(CliTest, EvalBatchAnswersMalformedLinesWithErrorsAndGoesOn) {
  std::string input =
      "not json\n"
      "[1,2]\n"
      "{\"method\":\"GET\"}\n"
      "{\"path\":\"/x\",\"headers\":[[\"Origin\"]]}\n"
      "{\"path\":\"/x\",\"headers\":{\"Origin\":5}}\n" +
      std::string(100000, '[') + "\n" +
      "{\"path\":\"/x\",\"headers\":[[\"Origin\",\"https://app.example.com\"]]}\n";
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "--requests", "-"}, input);
  EXPECT_EQ(r.exit_status, 1);
  std::vector<json> out = JsonLines(r.out);
  ASSERT_EQ(out.size(), 7u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_TRUE(out[i].contains("error")) << out[i];
    EXPECT_THAT(out[i]["error"].get<std::string>(), HasSubstr("line " + std::to_string(i + 1)));
  }
  EXPECT_EQ(out[6]["allowed"], true);
}

// A line that is JSON but not a request the way cli.md writes one is an
// error on its line (D52): an unknown or repeated key, a method or header
// name that is not an HTTP token, as in a policy's [[tests]] (D23).
TEST_F(CliTest, EvalBatchRefusesUnknownAndRepeatedKeysAndNonTokens) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"methd":"DELETE","path":"/x"})",
       R"(unknown key "methd" in the request; did you mean "method"?)"},
      {R"({"path":"/x","color":"red"})",
       R"(unknown key "color" in the request (a request has method, path, headers and id))"},
      {R"({"path":"/x","method":"PUT","method":"GET"})",
       R"(key "method" appears twice in the request)"},
      {R"({"path":"/x","path":"/y"})", R"(key "path" appears twice in the request)"},
      {R"({"path":"/x","method":"G ET"})", R"(method "G ET" is not an HTTP token)"},
      {R"({"path":"/x","method":""})", R"(method "" is not an HTTP token)"},
      {R"({"path":"/x","headers":[["Origin ","https://app.example.com"]]})",
       R"(header name "Origin " is not an HTTP token)"},
      {R"({"path":"/x","headers":{"Or igin":"https://app.example.com"}})",
       R"(header name "Or igin" is not an HTTP token)"},
      {R"({"path":"/x","headers":{"":["https://app.example.com"]}})",
       R"(header name "" is not an HTTP token)"},
      // No HTTP parser lets a line break or a NUL into a value (D52).
      {R"({"path":"/x","headers":[["Origin","https://app.example.com\r\nX-A: 1"]]})",
       R"(header "Origin" holds a line break or a NUL byte)"},
      {R"({"path":"/x","headers":{"Origin":"https://app.example.com\u0000"}})",
       R"(header "Origin" holds a line break or a NUL byte)"},
      {R"({"path":"/x","headers":{"X-A":["a","b\nc"]}})",
       R"(header "X-A" holds a line break or a NUL byte)"},
  };
  std::string input;
  for (const auto& [line, error] : cases) input += line + "\n";
  input += R"({"path":"/x","headers":{"Origin":"https://app.example.com"}})";
  input += "\n";
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "--requests", "-"}, input);
  EXPECT_EQ(r.exit_status, 1) << r.err;
  std::vector<json> out = JsonLines(r.out);
  ASSERT_EQ(out.size(), cases.size() + 1);
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(out[i], json({{"error", "line " + std::to_string(i + 1) + ": " + cases[i].second}}))
        << cases[i].first;
  }
  EXPECT_EQ(out.back()["allowed"], true);
}

// An error says what is wrong (D54): a number beyond a double, invalid
// UTF-8 and where, where the JSON breaks. Once the line is an object, the
// error echoes its "id" as a decision would; not when "id" is repeated.
TEST_F(CliTest, EvalBatchErrorsSayWhyAndKeepTheId) {
  const std::vector<std::pair<std::string, json>> cases = {
      {R"({"path":1e999})",
       {{"error", "line 1: number 1e999 is out of range (beyond what a double holds)"}}},
      {"{\"path\":\"/\xff\"}",
       {{"error", "line 2: invalid UTF-8 at byte 11 (0xFF): JSON text must be UTF-8"}}},
      {"{\"path\":\"/\xed\xa0\x80\"}",
       {{"error", "line 3: invalid UTF-8 at byte 11 (0xED): JSON text must be UTF-8"}}},
      {R"({"path":"/x",})", {{"error", "line 4: not valid JSON (at byte 14)"}}},
      {R"({"id":"x","path":1})", {{"id", "x"}, {"error", "line 5: \"path\" must be a string"}}},
      {R"({"id":{"n":[1]},"methd":"PUT","path":"/x"})",
       {{"id", {{"n", {1}}}},
        {"error", "line 6: unknown key \"methd\" in the request; did you mean \"method\"?"}}},
      {R"({"id":1,"path":"/x","id":2})",
       {{"error", "line 7: key \"id\" appears twice in the request"}}},
  };
  std::string input;
  for (const auto& [line, error] : cases) input += line + "\n";
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "--requests", "-"}, input);
  EXPECT_EQ(r.exit_status, 1) << r.err;
  std::vector<json> out = JsonLines(r.out);
  ASSERT_EQ(out.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(out[i], cases[i].second) << cases[i].first;
  // The id comes first, as in a decision.
  EXPECT_THAT(r.out, HasSubstr("{\"id\":\"x\",\"error\":"));
}

// Output line N answers input line N (cli.md): a blank line, or one of
// spaces and tabs, is a malformed line with its error on its own output
// line. The newline (or CRLF) that ends the last line adds no line.
TEST_F(CliTest, EvalBatchAnswersABlankLineWithAnError) {
  const std::string request =
      "{\"path\":\"/x\",\"headers\":[[\"Origin\",\"https://app.example.com\"]]}";
  for (const std::string eol : {"\n", "\r\n"}) {
    std::string input = request + eol + eol + " \t" + eol + request + eol;
    ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "--requests", "-"}, input);
    EXPECT_EQ(r.exit_status, 1) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 4) << r.out;
    std::vector<json> out = JsonLines(r.out);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0]["allowed"], true);
    EXPECT_EQ(out[1], json({{"error", "line 2: empty line, not a JSON object"}}));
    EXPECT_EQ(out[2], json({{"error", "line 3: empty line, not a JSON object"}}));
    EXPECT_EQ(out[3]["allowed"], true);
  }
}

// The review's repro: a line of more than 4 MiB with no final newline, whose
// tail after the reader's last dropped block is a request, is one line with
// one error, from a file as from a pipe (D51). The tail must not be decided.
TEST_F(CliTest, EvalBatchAnswersAnOverLongLastLineOnce) {
  const std::string tail =
      R"({"method":"PUT","path":"/x","headers":[["Origin","https://app.example.com"]]})";
  Spit(Tmp("smuggle.jsonl"), std::string(65 * 65536, 'x') + tail);
  ProcessResult from_file =
      Corsc({"eval", "--policy", TestData("cli/ok"), "--requests", Tmp("smuggle.jsonl")});
  ProcessResult piped = Corsc({"eval", "--policy", TestData("cli/ok"), "--requests", "-"},
                              Slurp(Tmp("smuggle.jsonl")));
  for (const ProcessResult& r : {from_file, piped}) {
    EXPECT_EQ(r.exit_status, 1) << r.err;
    EXPECT_EQ(r.out, "{\"error\":\"line 1: line longer than 4 MiB\"}\n");
  }
}

// 4 MiB is exact: the line's bytes without "\n" or "\r\n" (D51).
TEST_F(CliTest, EvalBatchLineLimitIsExact) {
  const std::string head = R"({"path":"/)";
  const std::string end = R"("})";
  const size_t limit = 4 << 20;
  const std::string fits = head + std::string(limit - head.size() - end.size(), 'a') + end;
  const std::string over = head + std::string(limit + 1 - head.size() - end.size(), 'a') + end;
  const std::string long_over = head + std::string(limit + 59 * 1024, 'a') + end;
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "--requests", "-"},
                          fits + "\r\n" + over + "\n" + long_over + "\n" + fits);
  EXPECT_EQ(r.exit_status, 1) << r.err;
  std::vector<json> out = JsonLines(r.out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0]["kind"], "not-cors");
  EXPECT_EQ(out[1], json({{"error", "line 2: line longer than 4 MiB"}}));
  EXPECT_EQ(out[2], json({{"error", "line 3: line longer than 4 MiB"}}));
  EXPECT_EQ(out[3]["kind"], "not-cors");
}

TEST_F(CliTest, EvalBatchReadsAFile) {
  Spit(
      Tmp("r.jsonl"),
      "{\"method\":\"OPTIONS\",\"path\":\"/x\",\"headers\":[[\"Origin\",\"https://a.example.com\"],"
      "[\"Access-Control-Request-Method\",\"DELETE\"]]}\n");
  ProcessResult r = Corsc({"eval", "--policy", TestData("cli/ok"), "--requests", Tmp("r.jsonl")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::vector<json> out = JsonLines(r.out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["reason"], "method-not-allowed");
}

TEST_F(CliTest, EvalBatchStreamsEachAnswerBeforeTheNextRequest) {
  // (A Child runs in the test's working directory, not in the source tree.)
  Child child({CorscBinary(), "eval", "--policy", SourceDir() + "/" + TestData("cli/ok"),
               "--requests", "-"});
  ASSERT_TRUE(child.ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        child.Write("{\"path\":\"/x\",\"headers\":[[\"Origin\",\"https://app.example.com\"]]}\n"));
    std::string line;
    ASSERT_TRUE(child.ReadLine(&line, 10000)) << "no answer to request " << i;
    EXPECT_EQ(json::parse(line)["allowed"], true);
  }
  EXPECT_EQ(child.CloseAndWait(), 0);
}

// ---------------------------------------------------------------- test

TEST_F(CliTest, TestRunsEveryCaseAndEndsWithTheCount) {
  ProcessResult r = Corsc({"test", TestData("cli/ok")});
  EXPECT_EQ(r.exit_status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 passed, 0 failed\n"));
}

TEST_F(CliTest, TestReportsFailuresWithLocationExpectedAndActual) {
  ProcessResult r = Corsc({"test", TestData("cli/failing-tests")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.out, HasSubstr("policy.toml:11:1: FAIL \"wrongly expects a refusal\""));
  EXPECT_THAT(r.out, HasSubstr("allowed: expected false, got true"));
  EXPECT_THAT(r.out, HasSubstr("reason: expected \"origin-not-allowed\", got \"ok\""));
  // Every other field of `expect` (D16), a header expected absent included.
  EXPECT_THAT(r.out, HasSubstr("policy.toml:16:1: FAIL \"expects every other field wrongly\""));
  EXPECT_THAT(r.out, HasSubstr("kind: expected \"actual\", got \"preflight\""));
  EXPECT_THAT(r.out, HasSubstr("status: expected 200, got 204"));
  EXPECT_THAT(r.out, HasSubstr("route: expected \"/x\", got \"[defaults]\""));
  EXPECT_THAT(r.out, HasSubstr("origin_rule: expected \"https://*.example.com\", got "
                               "\"https://app.example.com\""));
  EXPECT_THAT(r.out, HasSubstr("header Access-Control-Allow-Origin: expected "
                               "\"https://other.example.com\", got \"https://app.example.com\""));
  EXPECT_THAT(r.out, HasSubstr("header Vary: expected absent, got \"Origin, "
                               "Access-Control-Request-Method, Access-Control-Request-Headers\""));
  std::string last = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
  EXPECT_EQ(last, "1 passed, 2 failed\n");
}

// A failing test prints its request; the policy's bytes reach the terminal
// escaped, as eval's do (D53).
TEST_F(CliTest, TestPrintsTheRequestOfAFailureEscaped) {
  Spit(Tmp("esc.toml"), R"(version = 1
[defaults]
origins = ["https://app.example.com"]
[[tests]]
name = "escape"
request = { method = "GET", path = "/x\u001b[2J", headers = { Origin = "https://a\u001b[31m.example.com" } }
expect = { allowed = true }
)");
  ProcessResult r = Corsc({"test", Tmp("esc.toml")});
  EXPECT_EQ(r.exit_status, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("request:  GET /x\\x1b[2J  Origin: https://a\\x1b[31m.example.com"));
  EXPECT_THAT(r.out, Not(HasSubstr("\x1b")));
}

// Access-Control-Allow-Headers echoes each ACRH line as a line of its own
// (D13); HTTP reads the lines of a header as one comma-joined value, and so
// does an expectation (D55): the first line alone must not pass.
TEST_F(CliTest, TestComparesAHeaderWithAllItsLinesJoined) {
  const std::string policy = R"(version = 1
[defaults]
origins = ["https://app.example.com"]
allow_headers = ["a", "b"]
)";
  auto test = [](const std::string& name, const std::string& expected) {
    return "[[tests]]\nname = \"" + name +
           "\"\nrequest = { method = \"OPTIONS\", path = \"/x\", headers = { Origin = "
           "\"https://app.example.com\", Access-Control-Request-Method = \"GET\", "
           "Access-Control-Request-Headers = [\"a\", \"b\"] } }\nexpect = { headers = { "
           "Access-Control-Allow-Headers = " +
           expected + " } }\n";
  };
  Spit(Tmp("first.toml"), policy + test("first only", "\"a\""));
  ProcessResult first = Corsc({"test", Tmp("first.toml")});
  EXPECT_EQ(first.exit_status, 1) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("header Access-Control-Allow-Headers: expected \"a\", got "
                                   "\"a, b\""));
  EXPECT_THAT(first.out, HasSubstr("0 passed, 1 failed\n"));

  // The joined value passes, written as one string or as its lines.
  Spit(Tmp("joined.toml"), policy + test("joined", "\"a, b\"") + test("lines", "[\"a\", \"b\"]"));
  ProcessResult joined = Corsc({"test", "-v", Tmp("joined.toml")});
  EXPECT_EQ(joined.exit_status, 0) << joined.out << joined.err;
  EXPECT_THAT(joined.out, HasSubstr("2 passed, 0 failed\n"));

  // Lines in another order are another value.
  Spit(Tmp("order.toml"), policy + test("order", "[\"b\", \"a\"]"));
  ProcessResult order = Corsc({"test", Tmp("order.toml")});
  EXPECT_EQ(order.exit_status, 1) << order.out << order.err;
  EXPECT_THAT(order.out, HasSubstr("header Access-Control-Allow-Headers: expected \"b, a\", got "
                                   "\"a, b\""));
}

// cli.md: the output ends with "N passed, M failed", also when no test
// could run (D58).
TEST_F(CliTest, TestOnAPolicyWithErrorsFails) {
  ProcessResult r = Corsc({"test", TestData("cli/broken")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.out, HasSubstr("the policy has errors: no test ran\n"));
  std::string last = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
  EXPECT_EQ(last, "0 passed, 0 failed\n");
}

TEST_F(CliTest, ExamplePoliciesLintAndPassTheirTests) {
  for (const char* policy : {"policies/storefront", "policies/react-api"}) {
    ProcessResult lint = Corsc({"lint", "--werror", policy});
    EXPECT_EQ(lint.exit_status, 0) << policy << "\n" << lint.err;
    ProcessResult prod = Corsc({"lint", "--profile", "prod", policy});
    EXPECT_EQ(prod.exit_status, 0) << policy << "\n" << prod.err;
    ProcessResult test = Corsc({"test", policy});
    EXPECT_EQ(test.exit_status, 0) << policy << "\n" << test.out << test.err;
    EXPECT_THAT(test.out, ContainsRegex("[1-9][0-9]* passed, 0 failed"));
  }
}

}  // namespace
}  // namespace corsc::testing

// Copyright corsc developers.
//
// corsc diff end to end (cli.md): the real binary on the policies of
// tests/testdata/diff, whose differences from base/ are known. The exit
// status is what review gates read: with --fail-on widen it is 1 exactly
// when access grows.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
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

class DiffCliTest : public CorscTest {
 protected:
  // Compiles `policy` to a table in the temporary folder.
  std::string Compiled(const std::string& policy, const std::string& name) {
    ProcessResult r = Corsc({"compile", "-o", Tmp(name), TestData("diff/" + policy)});
    EXPECT_EQ(r.exit_status, 0) << r.err;
    return Tmp(name);
  }
};

// ---------------------------------------------------------------- the gate

TEST_F(DiffCliTest, IdenticalPolicyHasNoDifference) {
  ProcessResult r =
      Corsc({"diff", "--fail-on", "widen", TestData("diff/base"), TestData("diff/base")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "no difference in access\n");
}

TEST_F(DiffCliTest, ReorderedPolicyHasNoDifference) {
  ProcessResult r =
      Corsc({"diff", "--fail-on", "widen", TestData("diff/base"), TestData("diff/reordered.toml")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "no difference in access\n");
}

TEST_F(DiffCliTest, WideningFailsTheGate) {
  ProcessResult r =
      Corsc({"diff", "--fail-on", "widen", TestData("diff/base"), TestData("diff/wider.toml")});
  EXPECT_EQ(r.exit_status, 1) << r.err;
  // The wildcard covers both exact origins, so neither is lost.
  EXPECT_THAT(r.out, ContainsRegex("route /api/v1/users/\\{id\\}\n  \\+ origins +https://"
                                   "\\*\\.example\\.com  \\(newly allows e\\.g\\. "
                                   "https://a\\.example\\.com; [^)]*wider\\.toml:7:12\\)\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("- origins")));
  EXPECT_THAT(r.out, HasSubstr("\n2 widenings, 0 narrowings, 0 other changes\n"));
}

TEST_F(DiffCliTest, WithoutFailOnAWideningExitsZero) {
  ProcessResult r = Corsc({"diff", TestData("diff/base"), TestData("diff/wider.toml")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 widenings"));
}

TEST_F(DiffCliTest, NarrowingPassesTheGate) {
  ProcessResult r =
      Corsc({"diff", "--fail-on", "widen", TestData("diff/base"), TestData("diff/narrower.toml")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("route /api/v1/users/{id}\n"
                               "  - origins          https://shop.example.com"));
  EXPECT_THAT(r.out, HasSubstr("  - methods          DELETE\n"));
  EXPECT_THAT(r.out, HasSubstr("  ~ max_age          600 -> 60\n"));
  EXPECT_THAT(r.out, HasSubstr("\n0 widenings, 3 narrowings, 3 other changes\n"));
  // The other way round, the same changes are widenings.
  r = Corsc({"diff", "--fail-on", "widen", TestData("diff/narrower.toml"), TestData("diff/base")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.out, HasSubstr("\n3 widenings, 0 narrowings, 3 other changes\n"));
}

TEST_F(DiffCliTest, ProfileAppliesToBothPolicies) {
  ProcessResult r = Corsc({"diff", "--profile", "dev", "--fail-on", "widen", TestData("diff/base"),
                           TestData("diff/reordered.toml")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "no difference in access\n");
  // A table keeps its own profile: the base table against the dev policy.
  std::string table = Compiled("base", "base.table");
  r = Corsc({"diff", "--profile", "dev", "--fail-on", "widen", table, TestData("diff/base")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.out, HasSubstr("+ origins          http://localhost:*"));
  EXPECT_THAT(r.err, HasSubstr("warning: the two sides have different profiles: " + table +
                               ": a table compiled with no profile; " + TestData("diff/base") +
                               ": profile \"dev\"."));
}

TEST_F(DiffCliTest, ProfileThatOneSideAddsIsComparedWithTheOtherSidesBasePolicy) {
  // wider.toml defines no profile: under --profile dev it is its base
  // policy, and the dev origins of base/ are gone from it.
  ProcessResult r = Corsc({"diff", "--profile", "dev", "--fail-on", "widen", TestData("diff/base"),
                           TestData("diff/wider.toml")});
  EXPECT_EQ(r.exit_status, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("- origins          http://localhost:*"));
  EXPECT_THAT(r.err, HasSubstr(TestData("diff/wider.toml") +
                               ": its base policy, as it does not define profile \"dev\" (it "
                               "defines none). The difference includes what the profile changes."));
  // A profile on neither side is a usage error, said once.
  r = Corsc({"diff", "--profile", "qa", TestData("diff/base"), TestData("diff/wider.toml")});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "corsc: error: profile \"qa\" is on neither side: " + TestData("diff/base") +
                       ": its base policy, as it does not define profile \"qa\" (it defines "
                       "dev); " + TestData("diff/wider.toml") +
                       ": its base policy, as it does not define profile \"qa\" (it defines "
                       "none)\n");
}

TEST_F(DiffCliTest, TableOfAProfileAgainstAPolicyWithoutOneIsFlagged) {
  ProcessResult c =
      Corsc({"compile", "--profile", "dev", "-o", Tmp("dev.table"), TestData("diff/base")});
  ASSERT_EQ(c.exit_status, 0) << c.err;
  ProcessResult r = Corsc({"diff", Tmp("dev.table"), TestData("diff/base")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("- origins          http://localhost:*"));
  EXPECT_THAT(r.err, HasSubstr("warning: the two sides have different profiles: " +
                               Tmp("dev.table") + ": a table compiled with profile \"dev\"; " +
                               TestData("diff/base") + ": no profile."));
  // The same profile on both sides: no warning.
  r = Corsc({"diff", "--profile", "dev", Tmp("dev.table"), TestData("diff/base")});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "no difference in access\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(DiffCliTest, ColourOnlyWhenAsked) {
  // stdout is a pipe here: no colour unless --color always.
  ProcessResult plain = Corsc({"diff", TestData("diff/base"), TestData("diff/narrower.toml")});
  EXPECT_THAT(plain.out, Not(HasSubstr("\x1b[")));
  ProcessResult colour =
      Corsc({"diff", "--color", "always", TestData("diff/base"), TestData("diff/narrower.toml")});
  EXPECT_THAT(colour.out, HasSubstr("\x1b[31m- methods          DELETE\x1b[0m\n"));
  EXPECT_THAT(colour.out, HasSubstr("\x1b[33m~ max_age"));
}

// ---------------------------------------------------------------- tables

TEST_F(DiffCliTest, TablesAndPoliciesGiveTheSameDiff) {
  std::string old_table = Compiled("base", "old.table");
  std::string new_table = Compiled("wider.toml", "new.table");
  ProcessResult policies = Corsc({"diff", TestData("diff/base"), TestData("diff/wider.toml")});
  ProcessResult tables = Corsc({"diff", old_table, new_table});
  ProcessResult mixed = Corsc({"diff", old_table, TestData("diff/wider.toml")});
  EXPECT_EQ(policies.exit_status, 0) << policies.err;
  EXPECT_THAT(policies.out, HasSubstr("widening"));
  EXPECT_EQ(tables.exit_status, 0) << tables.err;
  EXPECT_EQ(tables.out, policies.out);
  EXPECT_EQ(mixed.out, policies.out);
}

TEST_F(DiffCliTest, EitherSideMayComeThroughAPipe) {
  // A pipe has no size and cannot be read twice: each side is read once
  // and told a table or a policy by its bytes (D46).
  std::string old_table = Compiled("base", "old.table");
  ProcessResult files = Corsc({"diff", old_table, TestData("diff/wider.toml")});
  ProcessResult table_piped =
      Corsc({"diff", "/dev/stdin", TestData("diff/wider.toml")}, Slurp(old_table));
  EXPECT_EQ(table_piped.exit_status, 0) << table_piped.err;
  EXPECT_EQ(table_piped.out, files.out);
  ProcessResult policy_piped =
      Corsc({"diff", old_table, "/dev/stdin"}, Slurp(TestData("diff/wider.toml")));
  EXPECT_EQ(policy_piped.exit_status, 0) << policy_piped.err;
  // The same, its rules located in the file as it was named.
  std::string expected = files.out;
  const std::string named = TestData("diff/wider.toml");
  for (size_t at; (at = expected.find(named)) != std::string::npos;) {
    expected.replace(at, named.size(), "/dev/stdin");
  }
  EXPECT_NE(expected, files.out);
  EXPECT_EQ(policy_piped.out, expected);
}

TEST_F(DiffCliTest, CorruptTableIsAnIoError) {
  std::string good = Slurp(Compiled("base", "good.table"));
  ASSERT_GT(good.size(), 600u);

  Spit(Tmp("truncated.table"), good.substr(0, 100));
  std::string flipped = good;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x40);
  Spit(Tmp("flipped.table"), flipped);
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  Spit(Tmp("bad-magic.table"), bad_magic);
  Spit(Tmp("short.table"), good.substr(0, 3));

  for (const char* name : {"truncated.table", "flipped.table", "bad-magic.table", "short.table"}) {
    SCOPED_TRACE(name);
    ProcessResult r = Corsc({"diff", "--fail-on", "widen", Tmp(name), TestData("diff/base")});
    EXPECT_EQ(r.exit_status, 2);
    EXPECT_THAT(r.err, HasSubstr(name));
    EXPECT_EQ(r.out, "");
    r = Corsc({"diff", TestData("diff/base"), Tmp(name)});
    EXPECT_EQ(r.exit_status, 2);
  }
}

// ---------------------------------------------------------------- errors

TEST_F(DiffCliTest, PolicyErrorsExitOneWithDiagnostics) {
  ProcessResult r =
      Corsc({"diff", "--fail-on", "widen", TestData("diff/broken.toml"), TestData("diff/base")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, ContainsRegex("broken\\.toml:6:1: error\\[CORS013\\]"));
  EXPECT_EQ(r.out, "");
  r = Corsc({"diff", TestData("diff/base"), TestData("diff/broken.toml")});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_THAT(r.err, HasSubstr("error[CORS013]"));
}

TEST_F(DiffCliTest, UsageAndIoErrorsExitTwo) {
  const std::vector<std::vector<std::string>> cases = {
      {"diff", "--fail-on", "narrow", TestData("diff/base"), TestData("diff/base")},
      {"diff", "--fail-on", "", TestData("diff/base"), TestData("diff/base")},
      {"diff", "--no-such-flag", TestData("diff/base"), TestData("diff/base")},
      {"diff", TestData("diff/base")},
      {"diff", TestData("diff/base"), TestData("diff/base"), TestData("diff/base")},
      {"diff", TestData("diff/base"), TestData("diff/nope.toml")},
      {"diff", "--profile", "staging", TestData("diff/base"), TestData("diff/base")},
  };
  for (const std::vector<std::string>& args : cases) {
    ProcessResult r = Corsc(args);
    EXPECT_EQ(r.exit_status, 2) << ::testing::PrintToString(args) << "\n" << r.err;
    EXPECT_EQ(r.out, "") << ::testing::PrintToString(args);
  }
}

TEST_F(DiffCliTest, HelpNamesDiff) {
  ProcessResult r = Corsc({"--help"});
  EXPECT_THAT(r.out, HasSubstr("diff"));
  r = Corsc({"diff", "--help"});
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_THAT(r.out, HasSubstr("--fail-on"));
}

// ---------------------------------------------------------------- --json

TEST_F(DiffCliTest, JsonShape) {
  ProcessResult r =
      Corsc({"diff", "--json", TestData("diff/base"), TestData("diff/narrower.toml")});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one object on one line";
  json j = json::parse(r.out);
  EXPECT_EQ(j["old"], TestData("diff/base"));
  EXPECT_EQ(j["new"], TestData("diff/narrower.toml"));
  EXPECT_EQ(j["counts"], json::parse(R"({"widen":0,"narrow":3,"change":3})"));
  ASSERT_TRUE(j["changes"].is_array());
  ASSERT_EQ(j["changes"].size(), 6u);

  const std::vector<std::string> keys = {"route", "old_route", "new_route", "moved", "path",
                                         "field", "kind",      "value",     "regex", "old",
                                         "new",   "example",   "proven",    "note",  "location"};
  // Every change has every key, in this order.
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(r.out);
  for (const nlohmann::ordered_json& c : ordered["changes"]) {
    std::vector<std::string> got;
    for (auto it = c.begin(); it != c.end(); ++it) got.push_back(it.key());
    EXPECT_EQ(got, keys);
  }
  const json& origin = j["changes"][0];
  EXPECT_EQ(origin["route"], "/api/v1/users/{id}");
  EXPECT_EQ(origin["old_route"], "/api/v1/users/{id}");
  EXPECT_EQ(origin["moved"], false);
  EXPECT_EQ(origin["path"], "/api/v1/users/*");
  EXPECT_EQ(origin["field"], "origins");
  EXPECT_EQ(origin["kind"], "narrow");
  EXPECT_EQ(origin["value"], "https://shop.example.com");
  EXPECT_EQ(origin["proven"], true);
  EXPECT_EQ(
      origin["location"],
      json::parse(R"({"file":"tests/testdata/diff/base/defaults.toml","line":7,"column":39})"));
  const json& age = j["changes"][2];
  EXPECT_EQ(age["field"], "max_age");
  EXPECT_EQ(age["kind"], "change");
  EXPECT_EQ(age["value"], nullptr);
  EXPECT_EQ(age["old"], 600);
  EXPECT_EQ(age["new"], 60);
}

TEST_F(DiffCliTest, JsonOfAWideningAndOfNoDifference) {
  ProcessResult r = Corsc(
      {"diff", "--json", "--fail-on", "widen", TestData("diff/base"), TestData("diff/wider.toml")});
  EXPECT_EQ(r.exit_status, 1);
  json j = json::parse(r.out);
  EXPECT_EQ(j["counts"]["widen"], 2);
  for (const json& c : j["changes"]) {
    EXPECT_EQ(c["kind"], "widen");
    EXPECT_EQ(c["value"], "https://*.example.com");
    EXPECT_EQ(c["example"], "https://a.example.com");
  }
  r = Corsc({"diff", "--json", TestData("diff/base"), TestData("diff/reordered.toml")});
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(
      json::parse(r.out),
      json::parse(R"({"old":"tests/testdata/diff/base","new":"tests/testdata/diff/reordered.toml",
                            "changes":[],"counts":{"widen":0,"narrow":0,"change":0}})"));
}

}  // namespace
}  // namespace corsc::testing

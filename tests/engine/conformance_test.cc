// Copyright corsc developers.
//
// The engine against the conformance samples of the project's contract
// (copied into testdata/conformance/: requests.jsonl and expected.jsonl of
// each case, with the policy.toml they come from). The compiler is not
// involved: each policy is lowered here by hand into the TableSpec the
// compiler would produce, and every request line must give the expected
// decision, through a table built in memory and through its bytes
// re-opened.
//
// Headers are compared as the conformance runner compares them (names
// case-insensitive; Vary, Allow-Methods, Allow-Headers and Expose-Headers
// as sets of comma-separated tokens, several fields of one name joined),
// and in addition the order of the header names must be the expected one.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "corsc/table.h"
#include "test_util.h"

namespace corsc::testing {
namespace {

using nlohmann::json;

// Lowered by hand from testdata/conformance/<case>/policy.toml.
SpecBuilder Policy(const std::string& name) {
  if (name == "00-spec-example") return Storefront();
  SpecBuilder b;
  b.spec().policy_name = name;
  if (name == "04-wildcard-subdomains") {
    RouteSpec& d = b.CatchAll(b.Set({"https://*.example.com", "https://*.api.example.net:8443"}));
    d.methods = {"GET", "DELETE"};
    d.allow_headers = {"x-token"};
    d.credentials = true;
  } else if (name == "09-route-precedence") {
    const uint32_t set = b.Set({"https://app.example.com"});
    auto route = [&](const std::string& pattern, const std::string& expose, uint32_t max_age) {
      RouteSpec& r = pattern.empty() ? b.CatchAll(set) : b.Route(pattern, set);
      r.methods = {"GET", "PUT"};
      if (!expose.empty()) r.expose_headers = {expose};
      if (max_age != 0) r.max_age = max_age;
    };
    route("", "", 0);
    route("/**", "x-r-rest", 14);
    route("/{y}/k", "x-r-y-k", 18);
    route("/a/**", "x-r-a-rest", 13);
    route("/a/{x}", "x-r-a-x", 12);
    route("/a/b", "x-r-a-b", 11);
    route("/m/{x}/c", "x-r-m-x-c", 15);
    route("/m/b/**", "x-r-m-b-rest", 16);
    route("/n/*/d", "x-r-n-star-d", 17);
    route("/s/{id}/t", "x-r-s-id-t", 20);
    route("/s/{id}", "x-r-s-id", 19);
    route("/p/**", "x-r-p-rest", 22);
    route("/p/{x}/**", "x-r-p-x-rest", 24);
    route("/p/{x}", "x-r-p-x", 23);
    route("/p", "x-r-p", 21);
  } else if (name == "14-request-headers") {
    const uint32_t set = b.Set({"https://app.example.com"});
    auto route = [&](const std::string& pattern) -> RouteSpec& {
      RouteSpec& r = pattern.empty() ? b.CatchAll(set) : b.Route(pattern, set);
      r.methods = {"GET", "POST", "PUT"};
      r.allow_headers = {"content-type", "x-api-key", "authorization"};
      r.credentials = true;
      return r;
    };
    route("");
    route("/star/**").allow_headers = {"*"};
    RouteSpec& anon = route("/star-anon/**");
    anon.allow_headers = {"*"};
    anon.credentials = false;
    route("/none/**").allow_headers = {};
  } else if (name == "20-vary-on-refusals") {
    // [defaults] has no origins: no catch-all route.
    auto route = [&](const std::string& pattern, uint32_t set) -> RouteSpec& {
      RouteSpec& r = b.Route(pattern, set);
      r.methods = {"GET", "PUT"};
      r.allow_headers = {"x-a"};
      return r;
    };
    route("/list/**", b.Set({"https://app.example.com", "https://*.example.org"}));
    route("/list-pn/**", b.Set({"https://app.example.com"})).private_network = true;
    route("/star/**", b.Set({"*"}));
    route("/deny/**", b.Set({}));
  } else if (name == "36-not-cors") {
    const uint32_t defaults = b.Set({"https://app.example.com"});
    auto route = [&](const std::string& pattern, uint32_t set) -> RouteSpec& {
      RouteSpec& r = pattern.empty() ? b.CatchAll(set) : b.Route(pattern, set);
      r.methods = {"GET", "PUT"};
      r.expose_headers = {"x-e"};
      r.credentials = true;
      return r;
    };
    route("", defaults);
    RouteSpec& star = route("/star/**", b.Set({"*"}));
    star.credentials = false;
    star.expose_headers = {"x-s1", "x-s2"};
    RouteSpec& plain = route("/star-plain/**", b.Set({"*"}));
    plain.credentials = false;
    plain.expose_headers = {};
    route("/deny/**", b.Set({}));
    route("/pn/**", defaults).private_network = true;
  } else {
    ADD_FAILURE() << "no hand-lowered policy for " << name;
  }
  return b;
}

std::vector<json> ReadLines(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<json> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// List-valued headers, compared as token sets; the value says whether
// tokens are case-sensitive.
const std::map<std::string, bool> kListHeaders = {
    {"vary", false},
    {"access-control-allow-methods", true},
    {"access-control-allow-headers", false},
    {"access-control-expose-headers", false},
};

std::set<std::string> Tokens(const std::string& value, bool case_sensitive) {
  std::set<std::string> out;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    if (comma == std::string::npos) comma = value.size();
    std::string t = value.substr(pos, comma - pos);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.erase(0, 1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
    if (!t.empty()) out.insert(case_sensitive ? t : Lower(t));
    pos = comma + 1;
  }
  return out;
}

// Problems with `d` against the expected line (empty: conforms).
std::vector<std::string> Compare(const json& exp, const Decision& d) {
  std::vector<std::string> problems;
  if (exp["kind"] != std::string(KindName(d.kind))) problems.push_back("kind");
  if (exp["allowed"] != d.allowed) problems.push_back("allowed");
  if (exp["reason"] != std::string(ReasonName(d.reason))) problems.push_back("reason");
  const int status = exp["status"].is_null() ? 0 : exp["status"].get<int>();
  if (status != d.status) problems.push_back("status");

  // Merge our fields by lower-case name, remembering first-seen order.
  std::map<std::string, std::string> got;
  std::vector<std::string> got_order;
  for (const HeaderField& h : d.headers) {
    const std::string name = Lower(std::string(h.name));
    auto it = got.find(name);
    if (it == got.end()) {
      got[name] = std::string(h.value);
      got_order.push_back(name);
    } else if (kListHeaders.count(name) != 0) {
      it->second += ", " + std::string(h.value);
    } else {
      problems.push_back("header " + name + " sent twice");
    }
  }
  std::vector<std::string> expected_order;
  for (const json& pair : exp["headers"]) {
    const std::string name = Lower(pair[0].get<std::string>());
    const std::string value = pair[1].get<std::string>();
    expected_order.push_back(name);
    auto it = got.find(name);
    if (it == got.end()) {
      problems.push_back("missing header " + name);
      continue;
    }
    auto list = kListHeaders.find(name);
    const bool same = list != kListHeaders.end()
                          ? Tokens(it->second, list->second) == Tokens(value, list->second)
                          : it->second == value;
    if (!same) problems.push_back("header " + name + ": got \"" + it->second.substr(0, 200) + "\"");
  }
  if (got_order != expected_order && got.size() == expected_order.size()) {
    problems.push_back("header order");
  }
  for (const std::string& name : got_order) {
    bool expected = false;
    for (const std::string& e : expected_order) expected = expected || e == name;
    if (!expected) problems.push_back("unexpected header " + name);
  }
  return problems;
}

void AddRequest(const json& line, TestRequest* r) {
  const json& headers = line["headers"];
  if (headers.is_object()) {
    for (auto it = headers.begin(); it != headers.end(); ++it) {
      r->H(it.key(), it.value().get<std::string>());
    }
  } else {
    for (const json& pair : headers) r->H(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
}

class ConformanceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ConformanceTest, EveryRequestGivesTheExpectedDecision) {
  const std::string dir = std::string(CORSC_ENGINE_TESTDATA) + "/conformance/" + GetParam();
  const std::vector<json> requests = ReadLines(dir + "/requests.jsonl");
  const std::vector<json> expected = ReadLines(dir + "/expected.jsonl");
  ASSERT_EQ(requests.size(), expected.size());
  ASSERT_FALSE(requests.empty());

  SpecBuilder policy = Policy(GetParam());
  auto in_memory = CompiledTable::FromSpec(policy.spec());
  ASSERT_TRUE(in_memory.ok()) << in_memory.status().ToString();
  const std::string bytes((*in_memory)->bytes());
  auto reopened = CompiledTable::Open(bytes);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();

  for (size_t i = 0; i < requests.size(); ++i) {
    TestRequest r(requests[i]["method"].get<std::string>(), requests[i]["path"].get<std::string>());
    AddRequest(requests[i], &r);
    for (const auto& table : {*in_memory, *reopened}) {
      const Decision d = table->Evaluate(r.request());
      const std::vector<std::string> problems = Compare(expected[i], d);
      std::string all;
      for (const std::string& p : problems) all += "\n    " + p;
      EXPECT_TRUE(problems.empty())
          << expected[i]["id"].get<std::string>() << " (" << expected[i]["note"].get<std::string>()
          << ")\n  request:  " << requests[i].dump() << "\n  expected: " << expected[i].dump()
          << "\n  got:      " << Describe(d) << all;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ConformanceTest,
                         ::testing::Values("00-spec-example", "04-wildcard-subdomains",
                                           "09-route-precedence", "14-request-headers",
                                           "20-vary-on-refusals", "36-not-cors"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return "Case" + name;
                         });

}  // namespace
}  // namespace corsc::testing

// Copyright corsc developers.
//
// corsc test: run the [[tests]] of a policy. Each test runs under its own
// `profile` or, without one, under --profile (none by default); each
// profile is compiled once. Failures name the test's source location and
// show the expected and the actual decision; the last line is
// "N passed, M failed", also when the policy has errors and no test ran.

#include <iostream>
#include <map>

#include "commands.h"
#include "decision_output.h"
#include "request_json.h"
#include "text.h"

namespace corsc::cli {
namespace {

// The request on one line. The method and names are tokens (D23); the path
// and the values are escaped for the terminal as eval's are (D53).
std::string DescribeRequest(const PolicyTest& t) {
  std::string s = t.method + " " + text::Escape(t.path);
  for (const auto& [name, value] : t.headers) s += "  " + name + ": " + text::Escape(value);
  return s;
}

// The value of the header `name` (case-insensitive) as HTTP reads it: its
// field lines joined with ", " (RFC 9110 5.3), in order; nullopt when the
// decision has no such line. Access-Control-Allow-Headers is sent one line
// per ACRH line (D13), so the first line alone is not the header's value
// (D55).
std::optional<std::string> JoinedValue(const HeaderList& headers, std::string_view name) {
  std::optional<std::string> value;
  for (const HeaderField& h : headers) {
    if (!text::EqualsIgnoreCase(h.name, name)) continue;
    if (value) {
      *value += ", ";
      *value += h.value;
    } else {
      value.emplace(h.value);
    }
  }
  return value;
}

// Compares the decision with what the test expects; returns one line per
// mismatch, empty when the test passes.
std::vector<std::string> Mismatches(const PolicyTest& t, const CompiledTable& table,
                                    const Decision& d) {
  std::vector<std::string> out;
  auto check = [&](const char* what, const std::string& want, const std::string& got) {
    if (want != got) out.push_back(std::string(what) + ": expected " + want + ", got " + got);
  };
  auto boolean = [](bool b) { return std::string(b ? "true" : "false"); };
  if (t.allowed) check("allowed", boolean(*t.allowed), boolean(d.allowed));
  if (t.reason) check("reason", Quote(ReasonName(*t.reason)), Quote(ReasonName(d.reason)));
  if (t.kind) check("kind", Quote(KindName(*t.kind)), Quote(KindName(d.kind)));
  if (t.status) {
    auto status = [](uint16_t s) { return s == 0 ? std::string("none") : std::to_string(s); };
    check("status", status(*t.status), status(d.status));
  }
  if (t.route) {
    check("route", Quote(*t.route),
          d.route == kNoRule ? "none" : Quote(table.route_info(d.route).text));
  }
  if (t.origin_rule) {
    check("origin_rule", Quote(*t.origin_rule),
          d.origin_rule == kNoRule ? "none" : Quote(table.origin_rule_info(d.origin_rule).text));
  }
  for (const auto& [name, want] : t.headers_expected) {
    std::optional<std::string> got = JoinedValue(d.headers, name);
    std::string got_text = got ? Quote(*got) : "absent";
    std::string want_text = want ? Quote(*want) : "absent";
    if (got_text != want_text) {
      out.push_back("header " + name + ": expected " + want_text + ", got " + got_text);
    }
  }
  return out;
}

}  // namespace

int RunTest(const TestArgs& args) {
  std::vector<SourceFile> sources;
  int status = kExitOk;
  std::optional<Compilation> base = LoadPolicy(args.policy, /*lint=*/false, &status, &sources);
  if (!base) {
    // cli.md: the output ends with the summary line, and no test ran. A
    // usage or I/O error (exit 2) is only its message, as for every command
    // (D58).
    if (status == kExitPolicyFailed) {
      std::cout << "the policy has errors: no test ran\n0 passed, 0 failed\n";
    }
    return status;
  }

  // One compilation per profile the tests run under.
  std::map<std::string, std::optional<Compilation>> by_profile;
  by_profile.emplace(args.policy.profile, std::move(base));
  auto table_for = [&](const std::string& profile) -> const CompiledTable* {
    auto it = by_profile.find(profile);
    if (it == by_profile.end()) {
      PolicyOptions options = args.policy;
      options.profile = profile;
      int ignored = kExitOk;
      it = by_profile.emplace(profile, LoadPolicy(options, false, &ignored)).first;
    }
    return it->second ? it->second->table.get() : nullptr;
  };

  const std::vector<PolicyTest>& tests = by_profile.at(args.policy.profile)->policy->tests;
  size_t passed = 0, failed = 0;
  for (const PolicyTest& t : tests) {
    std::string profile = t.profile.empty() ? args.policy.profile : t.profile;
    std::string where = FormatLocation(t.where.file, t.where.line, t.where.column);
    const CompiledTable* table = table_for(profile);
    if (table == nullptr) {
      ++failed;
      std::cout << where << ": FAIL " << Quote(t.name) << "\n  profile " << Quote(profile)
                << " does not compile (see the errors above)\n";
      continue;
    }
    OwnedRequest request;
    request.method = t.method;
    request.path = t.path;
    request.headers = t.headers;
    RequestBuilder builder;
    FillBuilder(request, &builder);
    Decision d = table->Evaluate(builder.request());
    std::vector<std::string> problems = Mismatches(t, *table, d);
    if (problems.empty()) {
      ++passed;
      if (args.verbose) std::cout << "ok   " << t.name << '\n';
      continue;
    }
    ++failed;
    std::cout << where << ": FAIL " << Quote(t.name);
    if (!profile.empty()) std::cout << " (profile " << profile << ")";
    std::cout << "\n  request:  " << DescribeRequest(t) << '\n';
    for (const std::string& p : problems) std::cout << "  " << p << '\n';
    std::cout << "  decision: ";
    // The decision as `eval` prints it, its lines under the first.
    const std::string decision = DecisionToText(*table, d, request);
    std::string_view text = decision;
    for (bool first = true; !text.empty(); first = false) {
      const size_t end = text.find('\n');
      std::cout << (first ? "" : "            ") << text.substr(0, end) << '\n';
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    }
    std::cout << '\n';
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? kExitOk : kExitPolicyFailed;
}

}  // namespace corsc::cli

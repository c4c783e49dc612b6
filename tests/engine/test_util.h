// Copyright corsc developers.
//
// Helpers for the engine tests: TableSpecs built by hand (the way the
// compiler lowers a policy), requests with any number of header lines, and
// readable failure messages.

#ifndef CORSC_TESTS_ENGINE_TEST_UTIL_H_
#define CORSC_TESTS_ENGINE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corsc/decision.h"
#include "corsc/request.h"
#include "corsc/table.h"
#include "corsc/table_spec.h"

namespace corsc::testing {

#define ASSERT_OK(expr)                                       \
  do {                                                        \
    const ::corsc::Status _st = (expr);                       \
    ASSERT_TRUE(_st.ok()) << #expr << ": " << _st.ToString(); \
  } while (0)

// Builds a TableSpec the way the compiler lowers a policy. Origin patterns
// are written as in a policy; a regex is written "regex:SOURCE".
class SpecBuilder {
 public:
  SpecBuilder() {
    spec_.policy_name = "test";
    spec_.files = {"policy.toml"};
  }

  // Adds one origin rule; returns its id.
  RuleId Rule(const std::string& pattern, uint32_t line = 0);

  // Adds a rule per pattern and a set of them, in order; returns the set.
  uint32_t Set(const std::vector<std::string>& patterns);
  // A set of existing rules.
  uint32_t SetOf(const std::vector<RuleId>& rules);

  // Adds a route with the spec's field defaults; returns it for changes.
  // The reference stays valid until the next Route() call.
  RouteSpec& Route(const std::string& pattern, uint32_t set);
  RouteSpec& CatchAll(uint32_t set);

  TableSpec& spec() { return spec_; }

  // FromSpec(spec()); fails the test when it does not load.
  std::shared_ptr<const CompiledTable> Table() const;

 private:
  TableSpec spec_;
  uint32_t next_line_ = 1;
};

// A request with any number of lines per header (RequestBuilder keeps 9,
// and 129 of Access-Control-Request-Headers).
// Not copyable or movable: request() points into it.
class TestRequest {
 public:
  TestRequest(std::string method, std::string path)
      : method_(std::move(method)), path_(std::move(path)) {}
  TestRequest(const TestRequest&) = delete;
  TestRequest& operator=(const TestRequest&) = delete;

  // Adds one header line; names other than the four CORS request headers
  // are ignored, as RequestBuilder does.
  TestRequest& H(std::string_view name, std::string value);

  const Request& request();

 private:
  std::string method_;
  std::string path_;
  std::deque<std::string> values_;
  std::vector<std::string_view> origin_, method_lines_, headers_lines_, pn_lines_;
  Request request_;
};

// "actual allowed ok status=0 route=1 rule=2 [Name: value] ..."
std::string Describe(const Decision& d);

// The headers as (name, value) pairs.
std::vector<std::pair<std::string, std::string>> Headers(const Decision& d);

using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

// Common routes of the spec's example, for several tests.
struct StorefrontIds {
  uint32_t users, public_route, internal, catch_all;
  RuleId app, wildcard, regex, star;
};
// The storefront policy of the spec (cases/00-spec-example), lowered.
SpecBuilder Storefront(StorefrontIds* ids = nullptr);

}  // namespace corsc::testing

#endif  // CORSC_TESTS_ENGINE_TEST_UTIL_H_

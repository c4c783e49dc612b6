// Copyright corsc developers.
//
// ResolvedPolicy: a policy after loading, profile overlay and inheritance.
// Every route carries every field with its effective value and the place
// that value was written, so that diagnostics, the linter, `corsc test`, and
// the reference evaluator of the tests all read one plain structure.
//
// Lowering a ResolvedPolicy into a TableSpec (corsc/table_spec.h) is the
// last compiler stage; the engine never sees this header.

#ifndef CORSC_POLICY_H_
#define CORSC_POLICY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "corsc/decision.h"
#include "corsc/diagnostic.h"
#include "corsc/table_spec.h"

namespace corsc {

// A value and where it was written. `where.line == 0` when the value is a
// default the language supplies (nothing was written).
template <typename T>
struct Sourced {
  T value{};
  SourceRange where;
};

struct OriginPattern {
  OriginKind kind = OriginKind::kExact;
  // As OriginRuleSpec: canonical text, and the parts for the kinds with
  // parts. For kRegex, `canonical` is the expression as written.
  std::string canonical;
  std::string scheme;
  std::string host;
  uint32_t port = kNoPort;
  // The text as written in the file (before canonicalization).
  std::string written;
  // The string, or the { regex = ... } table.
  SourceRange where;
};

// The origin list of a route. Lists are immutable once made, and the routes
// that inherit one list share it: a long [defaults] list costs once, however
// many routes use it. Reads like a const std::vector<OriginPattern>.
class OriginList {
 public:
  OriginList() : items_(Empty()) {}
  explicit OriginList(std::vector<OriginPattern> items)
      : items_(std::make_shared<const std::vector<OriginPattern>>(std::move(items))) {}

  const std::vector<OriginPattern>& items() const { return *items_; }
  std::vector<OriginPattern>::const_iterator begin() const { return items_->begin(); }
  std::vector<OriginPattern>::const_iterator end() const { return items_->end(); }
  size_t size() const { return items_->size(); }
  bool empty() const { return items_->empty(); }
  const OriginPattern& operator[](size_t i) const { return (*items_)[i]; }

  // The same for lists shared through inheritance (and for all empty
  // lists): lets stages that look at every route do the work once per list.
  const void* id() const { return items_.get(); }

 private:
  static const std::shared_ptr<const std::vector<OriginPattern>>& Empty() {
    static const auto* empty = new std::shared_ptr<const std::vector<OriginPattern>>(
        std::make_shared<const std::vector<OriginPattern>>());
    return *empty;
  }

  std::shared_ptr<const std::vector<OriginPattern>> items_;
};

struct EffectiveRoute {
  // The path pattern as written; "[defaults]" for the catch-all route.
  std::string path;
  bool catch_all = false;
  // The `path` value; for the catch-all route, the [defaults] header.
  SourceRange where;
  // The path's shape (PathShape: parameter names erased), by which a
  // profile route overlays a base route (D10); none for the catch-all
  // route and for a path that does not parse.
  std::optional<std::string> shape;

  // The effective origin list: a route's own `origins`, or the defaults'
  // list (after the profile overlay) followed by every `origins.add` entry
  // that applies, in that order. `where` is the key that set the list.
  Sourced<OriginList> origins;
  // Method tokens, deduplicated: GET, HEAD, POST, PUT, DELETE, OPTIONS in
  // upper case, others as written; "*" as written.
  Sourced<std::vector<Sourced<std::string>>> methods;
  // Lower-case header names, deduplicated; "*" as written.
  Sourced<std::vector<Sourced<std::string>>> allow_headers;
  // Header names as written, deduplicated case-insensitively.
  Sourced<std::vector<Sourced<std::string>>> expose_headers;
  Sourced<bool> credentials;
  Sourced<std::optional<uint32_t>> max_age;
  Sourced<bool> private_network;
  Sourced<uint16_t> preflight_status{204, {}};
};

// One [[tests]] entry.
struct PolicyTest {
  std::string name;
  SourceRange where;  // the [[tests]] entry (its first line)
  // The profile the test runs under; empty: the one the command line
  // selected (none by default).
  std::string profile;

  // The request.
  std::string method = "GET";
  std::string path = "/";
  // (name, value) header lines in order; a name given an array of strings
  // in the policy is several lines.
  std::vector<std::pair<std::string, std::string>> headers;

  // Expectations: only what is given is checked.
  std::optional<bool> allowed;
  std::optional<Reason> reason;
  std::optional<Kind> kind;
  std::optional<uint16_t> status;          // 0: "no status"
  std::optional<std::string> route;        // the route's pattern
  std::optional<std::string> origin_rule;  // the origin rule's canonical text
  // Response headers: a value must equal the header's value, all its lines
  // joined with ", " (an array in the policy is joined so); nullopt: the
  // header must be absent. Names are case-insensitive (D55).
  std::vector<std::pair<std::string, std::optional<std::string>>> headers_expected;
  SourceRange expect_where;  // the `expect` value
};

struct ResolvedPolicy {
  std::string name;                // `name` of the first file that sets one
  std::string profile;             // the profile applied; empty = base policy
  std::vector<std::string> files;  // in compile order
  // [[routes]] (and profile routes), in file order.
  std::vector<EffectiveRoute> routes;
  // The catch-all route, when [defaults] has an `origins` key.
  std::optional<EffectiveRoute> catch_all;
  // Every [[tests]] entry of every file, in file order.
  std::vector<PolicyTest> tests;
};

}  // namespace corsc

#endif  // CORSC_POLICY_H_

// Copyright corsc developers.
//
// Diff: the semantic difference in access between two decision tables, for
// `corsc diff` and for review gates (docs/diff.md states the rules).
//
// The comparison reads what the tables decide, not how the policies are
// written: a reordered or reformatted policy has no difference, and a
// wildcard that newly covers an origin is a widening. It works in three
// steps:
//
//   1. Path classes. The route patterns of both tables split the request
//      paths into classes whose paths every route pattern treats alike.
//      One path of each class is decided by both tables (a not-cors
//      request), which names the route each table gives it.
//   2. Each distinct pair (old route, new route) is compared field by
//      field: origins by coverage (does some pattern of one list match
//      everything a pattern of the other matches?), methods and headers as
//      sets, credentials and private_network as flags, max_age and
//      preflight_status as plain changes.
//   3. Each difference is a Change: a widening (the new table allows
//      something the old one did not), a narrowing, or another change.
//
// Coverage of a regex origin is not decidable from its text here: a regex
// counts as covered only by the identical regex or "*", so a new or edited
// regex is reported as a widening that is not proven (Change::proven).
// Review gates should treat it as a widening.
//
// Example:
//   Result<DiffResult> d = Diff(*old_table, *new_table);
//   if (!d.ok()) { ... d.status().message() ... }
//   if (d->widenings > 0) { ... a reviewer must look ... }

#ifndef CORSC_DIFF_H_
#define CORSC_DIFF_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corsc/status.h"
#include "corsc/table.h"
#include "corsc/table_spec.h"

namespace corsc {

// NOTE: the names appear in `corsc diff --json`; never rename them.
enum class ChangeKind : uint8_t {
  kWiden = 0,   // the new table allows something the old one did not
  kNarrow = 1,  // the old table allowed something the new one does not
  kChange = 2,  // a difference that grants or refuses nothing (max_age...)
};
std::string_view ChangeKindName(ChangeKind kind);  // "widen", "narrow", "change"

// What a change is about, named as the policy language names the field.
enum class DiffField : uint8_t {
  kRoute = 0,  // the paths gained or lost CORS altogether
  kOrigins = 1,
  kMethods = 2,
  kAllowHeaders = 3,
  kExposeHeaders = 4,
  kCredentials = 5,
  kPrivateNetwork = 6,
  kMaxAge = 7,
  kPreflightStatus = 8,
};
std::string_view DiffFieldName(DiffField field);  // "origins", "allow_headers", ...
// Whether a change of `field` is one value replaced by another (old_value,
// new_value: credentials, private_network, max_age, preflight_status)
// rather than an entry gained or lost (value).
constexpr bool IsScalar(DiffField field) {
  return field == DiffField::kCredentials || field == DiffField::kPrivateNetwork ||
         field == DiffField::kMaxAge || field == DiffField::kPreflightStatus;
}

struct Change {
  DiffField field = DiffField::kRoute;
  ChangeKind kind = ChangeKind::kChange;

  // origins, methods, allow_headers, expose_headers: the entry gained
  // (widen) or lost (narrow), as written in the table ("*" for any).
  // route: the route that now applies (widen) or no longer does (narrow).
  std::string value;
  // origins: `value` is the source of a regex pattern, not an origin.
  bool regex = false;
  // credentials, private_network, max_age, preflight_status: the values
  // before and after, as a policy writes them ("true", "600"; "none" for
  // an unset max_age).
  std::string old_value;
  std::string new_value;

  // origins: one origin that the change concerns, allowed by one table and
  // refused by the other ("https://b.example.com"); empty when none was
  // found (a regex, "*").
  std::string example;
  // False when the widening or narrowing could not be proven, only not
  // ruled out: a regex pattern (compared by its text), or a wildcard that a
  // regex of the other list may cover. Review gates count it all the same.
  bool proven = true;
  // A short explanation for people ("any origin", "unproven: a regex is
  // covered only by the same regex or \"*\""); may be empty.
  std::string note;

  // Where the entry is written: in the old policy for an entry that is
  // gone (an origin, method or header lost, a route that no longer
  // applies), in the new one otherwise. For fields that are not origins,
  // the route's place. `file` is empty and `line` 0 when unknown.
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

// The changes for one class of paths: the paths that the old table sends
// to `old_route` and the new one to `new_route`.
struct RouteDiff {
  // The route patterns as written ("/api/v1/users/{id}", "[defaults]");
  // empty: no route.
  std::string old_route;
  std::string new_route;
  // False when both tables route these paths to a route of the same shape
  // (the same pattern, up to parameter names); true when the paths moved
  // to another route, gained one or lost one.
  bool moved = false;
  // One path of the class, shortest first. A segment that no literal of
  // either table names is written "*"; "*" alone stands for the paths that
  // do not start with "/" (they reach only the catch-all route).
  std::string example_path;
  // Ordered by field, then narrowings before widenings, then as listed.
  std::vector<Change> changes;
};

struct DiffResult {
  // Only the classes with at least one change, ordered by route pattern
  // (the new one, or the old one when no new route applies).
  std::vector<RouteDiff> routes;
  size_t widenings = 0;
  size_t narrowings = 0;
  size_t other_changes = 0;

  // No widening and no narrowing (other changes may remain).
  bool same_access() const { return widenings == 0 && narrowings == 0; }
};

struct DiffOptions {
  // The most path classes examined. Real policies have a few per route;
  // adversarial overlapping patterns could have exponentially many, and
  // Diff() then fails with InvalidArgument rather than run without bound.
  size_t max_path_classes = 200000;
};

// Compares what `old_table` and `new_table` allow. Fails only when the
// path classes exceed options.max_path_classes.
Result<DiffResult> Diff(const CompiledTable& old_table, const CompiledTable& new_table,
                        const DiffOptions& options = {});

// The same for table contents: builds both tables first (InvalidArgument
// when BuildTable() refuses a spec).
Result<DiffResult> Diff(const TableSpec& old_spec, const TableSpec& new_spec,
                        const DiffOptions& options = {});

}  // namespace corsc

#endif  // CORSC_DIFF_H_

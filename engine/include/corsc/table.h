// Copyright corsc developers.
//
// CompiledTable: a loaded decision table, and Evaluate(), the hot path.
//
// A CompiledTable is the immutable, compiled form of one policy (one
// profile). It is safe for concurrent use by multiple threads without
// external synchronization. Share it through
// std::shared_ptr<const CompiledTable>; to replace it while requests are
// being decided, see corsc/engine.h.
//
// Example:
//   Result<std::shared_ptr<const CompiledTable>> table = CompiledTable::Open(bytes);
//   if (!table.ok()) { ... table.status().message() ... }
//   RequestBuilder b("GET", "/api/v1/users/42");
//   b.AddHeader("Origin", "https://app.example.com");
//   Decision d = (*table)->Evaluate(b.request());
//   for (const HeaderField& h : d.headers) response.Set(h.name, h.value);

#ifndef CORSC_TABLE_H_
#define CORSC_TABLE_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "corsc/decision.h"
#include "corsc/request.h"
#include "corsc/status.h"
#include "corsc/table_spec.h"

namespace corsc {

struct OpenOptions {
  // Memory budget for each compiled regex origin (RE2's max_mem). A regex
  // that does not fit is refused at load time, as the compiler refused it.
  int64_t regex_max_mem = 8 << 20;
};

// Counts for `corsc compile`'s summary line and for benchmarks.
struct TableStats {
  uint32_t routes = 0;            // including the catch-all route
  uint32_t origin_rules = 0;      // all kinds
  uint32_t exact_origins = 0;     // kExact
  uint32_t wildcard_origins = 0;  // kHostAnyPort and kSubdomain
  uint32_t regex_origins = 0;     // kRegex
  uint64_t bytes = 0;             // size of the encoded table
};

// Where a route or an origin rule was written.
struct RuleInfo {
  std::string_view text;  // "/api/v1/users/{id}", "https://*.example.com"
  std::string_view file;  // empty when unknown
  uint32_t line = 0;
  uint32_t column = 0;
};

class CompiledTable {
 public:
  // Verifies and loads an encoded table (docs/table_format.md). The table
  // keeps its own copy of `bytes`. Returns Corruption for any malformed,
  // truncated or checksum-failing input, and NotSupported for a format
  // version this build does not read (newer, or an older one: compile the
  // policy again); never crashes, whatever the bytes.
  static Result<std::shared_ptr<const CompiledTable>> Open(std::string_view bytes,
                                                           const OpenOptions& options = {});

  // Convenience: BuildTable(spec), then Open().
  static Result<std::shared_ptr<const CompiledTable>> FromSpec(const TableSpec& spec,
                                                               const OpenOptions& options = {});

  CompiledTable(const CompiledTable&) = delete;
  CompiledTable& operator=(const CompiledTable&) = delete;
  ~CompiledTable();

  // Decides one request, as the spec's "Decisions" section says. Never
  // fails and never logs. With the `table` strategy (the default) it never
  // allocates and takes no lock of its own, with one exception: a regex
  // origin that corsc's own matcher cannot decide (not of the simple shape,
  // e.g. one with an alternation) runs RE2, whose DFA is built lazily and
  // shared behind RE2's lock. While it meets new DFA states, mostly in the
  // first decisions after a table is loaded, such a decision allocates and
  // takes that lock exclusively; once warm, it takes it shared
  // (docs/design.md). The other strategies exist to be measured:
  // `re2set` and `naive` allocate per decision. The Decision points into
  // this table and into `request`.
  Decision Evaluate(const Request& request) const noexcept;

  // Text and source location of a route or an origin rule named by a
  // Decision. REQUIRES: id is a route (origin rule) id of this table.
  RuleInfo route_info(RuleId id) const;
  RuleInfo origin_rule_info(RuleId id) const;

  // The logical content, as the compiler gave it to BuildTable().
  TableSpec Describe() const;

  // The encoded table, byte for byte as loaded.
  std::string_view bytes() const;
  TableStats stats() const;
  Strategy strategy() const;
  std::string_view policy_name() const;
  std::string_view profile() const;

 private:
  struct Rep;
  explicit CompiledTable(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace corsc

#endif  // CORSC_TABLE_H_

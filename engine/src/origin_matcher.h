// Copyright corsc developers.
//
// OriginMatcher: the seam between Evaluate() and the ways of matching a
// request's Origin against one origin set (corsc::Strategy).
//
// Evaluate() handles what every strategy shares: no Origin, several Origin
// lines or an empty one (D3), and the sets that are "*" or empty. A matcher
// is asked only about one non-empty Origin value and a set that is neither,
// and answers with the rule that decides, the most specific one of
// docs/decisions.md D1, or kNoRule. Every strategy must give the same
// answer for every input; they differ in speed and memory only.
//
//   table   TableOriginMatcher, below: reads the structures of the table in
//           place (exact-origin hash table, wildcard-suffix hash table) and
//           runs the set's regexes in list order, behind their RegexPlans. Evaluate() calls it directly, not
//           through the vtable (the class is final).
//   re2set, linear, naive
//           list_matchers.cc: built at Open time from the rules of the
//           table (kind, canonical text, parts, list order), returned by
//           NewOriginMatcher() and called through the vtable. They exist
//           to be measured against `table` (bench/README.md); each tries
//           the set's rules sorted by D1, so it reports the same rule.

#ifndef CORSC_ENGINE_ORIGIN_MATCHER_H_
#define CORSC_ENGINE_ORIGIN_MATCHER_H_

#include <memory>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "corsc/decision.h"
#include "corsc/origin.h"
#include "corsc/status.h"
#include "corsc/table.h"
#include "regex_plan.h"
#include "table_view.h"

namespace corsc {

class OriginMatcher {
 public:
  virtual ~OriginMatcher() = default;

  // The rule of set `set` that decides for `origin`, or kNoRule.
  // REQUIRES: origin is not empty; the set has members and no "*" rule.
  // Never allocates once warmed up, never throws.
  virtual RuleId Match(uint32_t set, std::string_view origin) const noexcept = 0;
};

// Strategy::kTable. Tiers in D1 order: exact (the raw value, byte for byte
// against canonical patterns: no canonical check needed), then, only for a
// canonical origin, the wildcard suffixes and the regexes (origin_matcher.cc
// explains how the wildcard tier checks canonicity without a full parse).
class TableOriginMatcher final : public OriginMatcher {
 public:
  // Compiles the table's regexes (RE2, log_errors off, max_mem from
  // `options`). Corruption when one does not compile. REQUIRES: `view`
  // verified; it must outlive the matcher.
  static Result<std::unique_ptr<TableOriginMatcher>> Create(const TableView& view,
                                                            const OpenOptions& options);

  RuleId Match(uint32_t set, std::string_view origin) const noexcept override;

 private:
  TableOriginMatcher(const TableView& view, std::vector<std::unique_ptr<RE2>> regexes,
                     std::vector<RegexPlan> plans, std::vector<uint64_t> last_labels)
      : view_(view),
        regexes_(std::move(regexes)),
        plans_(std::move(plans)),
        last_labels_(std::move(last_labels)) {}

  // The bit of last_labels_ of a label with hash_index::LabelWord `word`
  // and `length` bytes.
  static uint64_t LastLabelBit(uint64_t word, size_t length) noexcept {
    return uint64_t{1} << (((word ^ (uint64_t{length} << 56)) * 0x9e3779b97f4a7c15ull) >> 58);
  }

  // An origin cut as the wildcard pass needs it (see Split).
  struct SplitOrigin {
    std::string_view scheme;  // starts the origin: scheme.data() is the origin's
    size_t host_begin;        // the host is origin[host_begin, host_end)
    size_t host_end;
    uint32_t port;            // kNoPort when absent
  };
  static bool Split(std::string_view origin, SplitOrigin* out) noexcept;

  // The most specific wildcard rule of set `set_id` for `origin`'s parts,
  // or kNoRule. When it finds a subdomain rule, sets *unmatched to the
  // end of the host left of the rule's suffix (the position of the dot);
  // for a host-any-port rule, to kAllMatched.
  static constexpr size_t kAllMatched = ~size_t{0};
  RuleId MatchWildcard(uint32_t set_id, const table_format::OriginSetRecord& set,
                       const SplitOrigin& origin, size_t* unmatched) const noexcept;

  const TableView& view_;
  std::vector<std::unique_ptr<RE2>> regexes_;  // by regex ordinal
  std::vector<RegexPlan> plans_;               // by regex ordinal
  // By set: a filter of the last labels of the set's wildcard keys (the
  // LastLabelBit of each). A host whose last label has no bit here can
  // meet no key of the set: the wildcard pass stops after one label.
  std::vector<uint64_t> last_labels_;
};

// The matcher of a strategy other than kTable (list_matchers.cc).
// Corruption when a rule does not compile for it. REQUIRES: `view`
// verified; it must outlive the matcher.
Result<std::unique_ptr<OriginMatcher>> NewOriginMatcher(Strategy strategy, const TableView& view,
                                                        const OpenOptions& options);

// Whether the `naive` strategy runs RE2 source `re2_source` as a
// std::regex (true) or keeps RE2 for it because the two engines might read
// it differently (false). Exposed for tests.
bool RegexReadsAlikeInEcmaScript(std::string_view re2_source);

}  // namespace corsc

#endif  // CORSC_ENGINE_ORIGIN_MATCHER_H_

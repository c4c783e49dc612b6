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
//           runs the set's regexes in list order, behind their RegexPlans. Evaluate() calls it
//           directly, not through the vtable (the class is final).
//   re2set, linear, naive
//           list_matchers.cc: built at Open time from the rules of the
//           table (kind, canonical text, parts, list order), returned by
//           NewOriginMatcher() and called through the vtable. They exist
//           to be measured against `table` (bench/README.md); each tries
//           the set's rules sorted by D1, so it reports the same rule.

#ifndef CORSC_ENGINE_ORIGIN_MATCHER_H_
#define CORSC_ENGINE_ORIGIN_MATCHER_H_

#include <re2/re2.h>

#include <memory>
#include <string_view>
#include <vector>

#include "corsc/decision.h"
#include "corsc/origin.h"
#include "corsc/status.h"
#include "corsc/table.h"
#include "origin_scan.h"
#include "regex_plan.h"
#include "table_view.h"

namespace corsc {

class OriginMatcher {
 public:
  virtual ~OriginMatcher() = default;

  // The rule of set `set` that decides for `origin`, or kNoRule.
  // REQUIRES: origin is not empty; the set has members and no "*" rule.
  // Never throws. TableOriginMatcher never allocates once RE2 has built
  // its DFA states; the list matchers may (table.h).
  virtual RuleId Match(uint32_t set, std::string_view origin) const noexcept = 0;
};

// Strategy::kTable. One pass over the Origin value (origin_scan.h) splits
// and hashes it for every table at once; then the tiers in D1 order: exact
// (one probe), wildcard (a probe per dot-aligned suffix whose length the
// set's keys have, the longest first), regexes (origin_matcher.cc).
class TableOriginMatcher final : public OriginMatcher {
 public:
  // Compiles the table's regexes (RE2, log_errors off, max_mem from
  // `options`). Corruption when one does not compile. REQUIRES: `view`
  // verified; it must outlive the matcher.
  static Result<std::unique_ptr<TableOriginMatcher>> Create(const TableView& view,
                                                            const OpenOptions& options);

  RuleId Match(uint32_t set, std::string_view origin) const noexcept override;

 private:
  // A set of suffix lengths, one bit per length in bytes (a host has at
  // most kMaxOriginLength bytes).
  struct Lengths {
    uint64_t bits[kMaxOriginLength / 64] = {};
    void Add(size_t n) {
      if (n < kMaxOriginLength) bits[n / 64] |= uint64_t{1} << (n % 64);
    }
    bool Has(size_t n) const { return (bits[n / 64] >> (n % 64) & 1) != 0; }
  };
  struct SetLengths {
    Lengths subdomain;  // the suffixes below "*." of its subdomain rules
    Lengths host;       // the hosts of its host-any-port rules
    uint64_t seed = 0;  // origin_scan::WildSeed of the set
    // The least length in `subdomain` (kMaxOriginLength when none): a host
    // shorter than it plus a label and a dot has no suffix to probe.
    size_t shortest_subdomain = kMaxOriginLength;
  };

  // The text of the exact rule in each slot of a group of an exact-origin
  // table (empty slots: zero), one cache line a group. Made at load time
  // from the slots and the rule records: a lookup reads a candidate's text
  // reference here, fetched together with the group's control bytes,
  // instead of from its rule record, one dependent cache miss later.
  struct ExactText {
    uint32_t offset;  // into the strings section
    uint32_t length;
  };
  struct alignas(64) ExactTextGroup {
    ExactText slot[table_format::kGroupWidth];
  };

  // The first test of a regex of a set against a value, made at load time
  // from its RegexPlan: the words of its literal prefix and suffix, and
  // the least length they need. Kept in one array in the order of
  // set_regexes, so that a set's regexes are refused from one or two
  // cache lines, without reaching their plans.
  struct RegexFilter {
    uint64_t head, head_mask;  // RegexPlan::head, head_mask
    uint64_t tail, tail_mask;  // RegexPlan::tail, tail_mask
    uint32_t min_length;       // max(|prefix|, |suffix|)
    uint32_t ordinal;          // the regex ordinal
  };

  TableOriginMatcher(const TableView& view, std::vector<std::unique_ptr<RE2>> regexes,
                     std::vector<RegexPlan> plans, std::vector<RegexFilter> regex_filters,
                     std::vector<SetLengths> lengths, std::vector<ExactTextGroup> exact_texts)
      : view_(view),
        regexes_(std::move(regexes)),
        plans_(std::move(plans)),
        regex_filters_(std::move(regex_filters)),
        lengths_(std::move(lengths)),
        exact_texts_(std::move(exact_texts)) {}

  // The first filter in [f, end) that the value passes (its length `n`,
  // its first and last 8 bytes `head` and `tail`), or `end`.
  static const RegexFilter* NextRegexCandidate(const RegexFilter* f, const RegexFilter* end,
                                               size_t n, uint64_t head, uint64_t tail) noexcept {
    for (; f != end; ++f) {
      if (n >= f->min_length && (head & f->head_mask) == f->head &&
          (tail & f->tail_mask) == f->tail) {
        break;
      }
    }
    return f;
  }

  // MatchPatterns, after a quick refusal of values no pattern can match.
  RuleId MatchPatternsIfAny(uint32_t set, const table_format::OriginSetRecord& record,
                            std::string_view origin,
                            const origin_scan::OriginScan& scan) const noexcept;
  // The wildcard and regex tiers, for a value the exact tier did not
  // match. `record` is the set's; `scan` is the value's, prepared.
  RuleId MatchPatterns(uint32_t set, const table_format::OriginSetRecord& record,
                       std::string_view origin, const origin_scan::OriginScan& scan) const noexcept;
  // The wildcard key of `set` whose suffix is the host's last n bytes, or
  // nullptr. `seed`: the set's origin_scan::WildSeed.
  const table_format::WildSuffix* FindWildKey(const origin_scan::OriginScan& scan, uint32_t set,
                                              uint64_t seed, size_t n) const noexcept;

  const TableView& view_;
  std::vector<std::unique_ptr<RE2>> regexes_;  // by regex ordinal
  std::vector<RegexPlan> plans_;               // by regex ordinal
  std::vector<RegexFilter> regex_filters_;     // by entry of set_regexes
  // By set: the lengths of its wildcard keys. A host is probed only at a
  // suffix of such a length that starts after a dot (or, for host-any-port
  // rules, when the whole host has such a length). Made at load time from
  // the wild_suffixes section.
  std::vector<SetLengths> lengths_;
  // By group of hash_slots (first_slot / kGroupWidth + group); only the
  // groups of exact-origin tables are filled.
  std::vector<ExactTextGroup> exact_texts_;
};

// The RE2 of regex origin rule `rule` (log_errors off, max_mem from
// `options`), and one per regex ordinal; Corruption naming the rule when
// one does not compile.
Result<std::unique_ptr<RE2>> CompileRe2(const TableView& t, uint32_t rule,
                                        const OpenOptions& options);
Result<std::vector<std::unique_ptr<RE2>>> CompileRegexes(const TableView& t,
                                                         const OpenOptions& options);

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

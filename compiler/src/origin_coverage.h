// Copyright corsc developers.
//
// OriginCoverage answers "does some pattern of this list match every origin
// that pattern p matches?" without comparing p with every pattern of the
// list: the list is indexed once (exact origins and hosts in hash maps,
// subdomain wildcards by scheme and suffix, regexes in one RE2::Set), and a
// question costs one lookup per label of p's host plus, for an exact
// origin, one RE2::Set match (or, for a list whose set is too large for
// RE2's memory budget, one match per regex). So the covered-origin rule is
// linear in the list, not quadratic, on lists of 100,000 origins.
//
// What counts as covering (decisions.md D38):
//   - "*" covers every pattern;
//   - an equal pattern (same canonical text, or the same regex) covers;
//   - "scheme://host:*" covers "scheme://host" and "scheme://host:port";
//   - "scheme://*.S[:port]" covers any exact, host or wildcard pattern of
//     the same scheme whose host is strictly below S, with a compatible
//     port (":*" covers every port, and no port; otherwise the same port);
//     and "scheme://*.S:*" covers "scheme://*.S:port";
//   - a regex covers an exact origin it matches in full. Whether a regex
//     covers a wildcard, or is covered by anything but "*" or itself, is
//     not decided.

#ifndef CORSC_COMPILER_ORIGIN_COVERAGE_H_
#define CORSC_COMPILER_ORIGIN_COVERAGE_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "corsc/policy.h"

namespace corsc {

class RegexSet;

class OriginCoverage {
 public:
  // Indexes `list`, which must outlive this object.
  explicit OriginCoverage(const std::vector<OriginPattern>& list);
  ~OriginCoverage();
  OriginCoverage(const OriginCoverage&) = delete;
  OriginCoverage& operator=(const OriginCoverage&) = delete;

  static constexpr size_t kNone = static_cast<size_t>(-1);

  // The index of a pattern of the list that covers `p`, or kNone.
  // `self` is p's own index when p is in the list: p does not cover
  // itself, and an equal pattern covers it only when it comes earlier (so
  // that of two equal patterns only the second is "covered"). A pattern
  // strictly wider than p is preferred to an equal one, the nearest
  // wildcard to a farther one.
  size_t Covering(const OriginPattern& p, size_t self = kNone) const;

  // Whether the list lets the origin `origin` (an Origin header value)
  // through, by the engine's rules: "*" or the same text; for a canonical
  // origin only (D2), also a host with any port, a subdomain wildcard it is
  // strictly below with a port that admits its own, or a regex that matches
  // it in full. nullopt when no pattern matches it but a regex of the
  // list could not be compiled: then it is not known.
  std::optional<bool> Matches(std::string_view origin) const;

  bool has_star() const { return star_ != kNone; }

 private:
  size_t Equal(const std::unordered_map<std::string, std::vector<size_t>>& map,
               const std::string& key, size_t self) const;
  size_t Wildcard(std::string_view scheme, std::string_view suffix, uint32_t port,
                  bool strictly_below) const;
  // The first regex of the list that matches `origin` in full, kNone when
  // none does, nullopt when none does but some could not be compiled.
  std::optional<size_t> RegexMatching(const std::string& origin) const;

  const std::vector<OriginPattern>& list_;
  size_t star_ = kNone;
  std::unordered_map<std::string, std::vector<size_t>> exact_;     // canonical text
  std::unordered_map<std::string, std::vector<size_t>> any_port_;  // "scheme://host"
  std::unordered_map<std::string, std::vector<size_t>> wildcard_;  // "scheme://suffix"
  std::unordered_map<std::string, std::vector<size_t>> regex_;     // regex text
  std::vector<size_t> regex_order_;                                // regex patterns, in list order
  // Built on the first exact origin asked about.
  mutable std::unique_ptr<RegexSet> set_;
};

// Whether pattern `p` matches the canonical origin `origin` (for the
// kinds with parts; "*" matches everything, regexes are not evaluated).
bool PlainPatternMatches(const OriginPattern& p, std::string_view origin);

}  // namespace corsc

#endif  // CORSC_COMPILER_ORIGIN_COVERAGE_H_

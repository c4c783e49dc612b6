// Copyright corsc developers.
//
// The comparison strategies: re2set, linear and naive (see
// origin_matcher.h). They exist to be measured against `table`
// (bench/README.md), and they must decide exactly as it does, so all three
// are built on one list per origin set: the set's rules sorted by
// docs/decisions.md D1,
//
//   (tier, -suffix length, port class, list position)
//   tier: 0 exact, 1 host-any-port, 2 subdomain, 3 regex
//   port class (subdomain rules): 0 an explicit port or none, 1 ":*"
//
// the key the reference evaluator ranks matches with. A strategy that
// tries this list in order and stops at the first rule that matches
// reports the most specific one (linear, naive); one that finds every
// matching rule at once picks the match with the smallest key (re2set).
//
// D2 is applied the same way everywhere: an exact rule compares the Origin
// value byte for byte (a canonical pattern can only equal a canonical
// value), and every other rule matches only a canonical origin, checked
// once per request with ParseCanonicalOrigin. Since exact rules sort
// first, a non-canonical value that no exact rule equals is refused
// without trying the rest of the list.
//
//   linear  per rule: exact compare; scheme, host and port compares for a
//           host-any-port rule; a suffix check for a subdomain rule;
//           RE2::FullMatch for a regex. How Envoy's CORS filter and
//           rs/cors check origins.
//   naive   per rule: one std::regex (ECMAScript), std::regex_match. What
//           hand-written middlewares do: every pattern, exact ones too,
//           turned into a regex. A regex origin is written in RE2 syntax;
//           one whose text is not in the subset that both engines read
//           alike (EcmaScriptSafe, below) keeps RE2 for that rule.
//   re2set  per set: one RE2::Set of all its patterns, anchored at both
//           ends; the hits are then ranked by the key above. Should the
//           DFA run out of memory on some input, that request falls back
//           to the linear scan (same answer, slower).
//
// These matchers allocate on the hot path (std::regex always, RE2::Set's
// hit vector): only `table` promises no allocation.

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

#include "origin_matcher.h"

namespace corsc {
namespace {

using table_format::kNone;

// One rule of a set, with what its matchers need.
struct ListRule {
  RuleId rule = kNoRule;
  OriginKind kind = OriginKind::kExact;
  std::string_view text;    // kExact: the canonical origin; kRegex: the RE2 source
  std::string_view scheme;  // kHostAnyPort, kSubdomain
  std::string_view host;    // kHostAnyPort: the host; kSubdomain: the suffix below "*."
  uint32_t port = kNoPort;  // kSubdomain: a port, kNoPort or kAnyPort
  uint32_t regex = kNone;   // kRegex: the regex ordinal
};

// The rules of every set in D1 order (sets with "*" or no members: empty;
// Evaluate() never asks about them).
std::vector<std::vector<ListRule>> SortedSets(const TableView& t) {
  std::vector<uint32_t> wildcard(t.rules.size(), kNone);
  for (uint32_t i = 0; i < t.wildcard_rules.size(); ++i) wildcard[t.wildcard_rules[i].rule] = i;
  std::vector<uint32_t> regex(t.rules.size(), kNone);
  for (uint32_t i = 0; i < t.regex_rules.size(); ++i) regex[t.regex_rules[i]] = i;

  std::vector<std::vector<ListRule>> sets(t.sets.size());
  for (size_t s = 0; s < t.sets.size(); ++s) {
    const table_format::OriginSetRecord& set = t.sets[s];
    if (set.any_rule != kNone) continue;
    using Key = std::tuple<int, long, int, uint32_t>;
    std::vector<std::pair<Key, ListRule>> keyed;
    for (uint32_t pos = 0; pos < set.members.count; ++pos) {
      const uint32_t id = t.set_members[set.members.begin + pos];
      ListRule r;
      r.rule = id;
      r.kind = static_cast<OriginKind>(t.rules[id].kind);
      r.text = t.RuleText(id);
      Key key{0, 0, 0, pos};
      switch (r.kind) {
        case OriginKind::kExact:
          break;
        case OriginKind::kHostAnyPort:
        case OriginKind::kSubdomain: {
          const table_format::WildcardRuleRecord& w = t.wildcard_rules[wildcard[id]];
          r.scheme = t.String(w.scheme);
          r.host = t.String(w.host);
          r.port = w.port;
          key = r.kind == OriginKind::kHostAnyPort
                    ? Key{1, 0, 0, pos}
                    : Key{2, -static_cast<long>(r.host.size()), r.port == kAnyPort ? 1 : 0, pos};
          break;
        }
        case OriginKind::kRegex:
          r.regex = regex[id];
          key = Key{3, 0, 0, pos};
          break;
        case OriginKind::kAny:
          continue;  // not reached: the set would have any_rule
      }
      keyed.emplace_back(key, r);
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    sets[s].reserve(keyed.size());
    for (const auto& [key, rule] : keyed) sets[s].push_back(rule);
  }
  return sets;
}

// Whether a canonical origin's parts match a host-any-port or subdomain
// rule (the reference evaluator's test, written out).
bool WildcardMatches(const ListRule& r, const OriginParts& o) {
  if (o.scheme != r.scheme) return false;
  if (r.kind == OriginKind::kHostAnyPort) return o.host == r.host;
  return o.host.size() > r.host.size() + 1 && o.host.ends_with(r.host) &&
         o.host[o.host.size() - r.host.size() - 1] == '.' &&
         (r.port == kAnyPort || r.port == o.port);
}

// ------------------------------------------------------------------ linear

// The linear scan, shared by LinearMatcher and Re2SetMatcher's fallback.
RuleId ScanLinear(const std::vector<ListRule>& rules,
                  const std::vector<std::unique_ptr<RE2>>& regexes, std::string_view origin) {
  std::optional<OriginParts> parts;
  bool parsed = false;
  for (const ListRule& r : rules) {
    if (r.kind == OriginKind::kExact) {
      if (r.text == origin) return r.rule;
      continue;
    }
    if (!parsed) {
      parts = ParseCanonicalOrigin(origin);
      parsed = true;
    }
    if (!parts) return kNoRule;  // D2: only exact rules match a non-canonical value
    if (r.kind == OriginKind::kRegex) {
      if (RE2::FullMatch(re2::StringPiece(origin.data(), origin.size()), *regexes[r.regex])) {
        return r.rule;
      }
    } else if (WildcardMatches(r, *parts)) {
      return r.rule;
    }
  }
  return kNoRule;
}

class LinearMatcher final : public OriginMatcher {
 public:
  LinearMatcher(std::vector<std::vector<ListRule>> sets, std::vector<std::unique_ptr<RE2>> regexes)
      : sets_(std::move(sets)), regexes_(std::move(regexes)) {}

  RuleId Match(uint32_t set, std::string_view origin) const noexcept override {
    return ScanLinear(sets_[set], regexes_, origin);
  }

 private:
  std::vector<std::vector<ListRule>> sets_;
  std::vector<std::unique_ptr<RE2>> regexes_;  // by regex ordinal
};

// ------------------------------------------------------------------ re2set

// The regex of a port field: kNoPort none, kAnyPort any port or none, else
// that port. The same text in RE2 and ECMAScript syntax.
std::string PortPart(uint32_t port) {
  if (port == kNoPort) return "";
  if (port == kAnyPort) return "(?::[0-9]+)?";
  std::string out = ":";
  out += std::to_string(port);
  return out;
}

// The RE2 pattern of a rule that is not a regex.
std::string PatternOf(const ListRule& r) {
  switch (r.kind) {
    case OriginKind::kExact:
      return RE2::QuoteMeta(re2::StringPiece(r.text.data(), r.text.size()));
    case OriginKind::kHostAnyPort:
      return RE2::QuoteMeta(std::string(r.scheme) + "://" + std::string(r.host)) +
             PortPart(kAnyPort);
    case OriginKind::kSubdomain:
      return RE2::QuoteMeta(std::string(r.scheme) + "://") + "[a-z0-9_.\\-]+\\." +
             RE2::QuoteMeta(std::string(r.host)) + PortPart(r.port);
    default:
      return std::string(r.text);
  }
}

class Re2SetMatcher final : public OriginMatcher {
 public:
  static Result<std::unique_ptr<OriginMatcher>> Create(const TableView& t,
                                                       const OpenOptions& options) {
    Result<std::vector<std::unique_ptr<RE2>>> regexes = CompileRegexes(t, options);
    if (!regexes.ok()) return regexes.status();
    std::unique_ptr<Re2SetMatcher> m(new Re2SetMatcher(SortedSets(t), std::move(regexes).value()));
    m->re2sets_.resize(m->sets_.size());
    for (size_t s = 0; s < m->sets_.size(); ++s) {
      const std::vector<ListRule>& rules = m->sets_[s];
      if (rules.empty()) continue;
      RE2::Options re_options;
      re_options.set_log_errors(false);
      // A set of many patterns needs more than one regex's budget.
      re_options.set_max_mem(options.regex_max_mem + static_cast<int64_t>(rules.size()) * 4096);
      auto set = std::make_unique<RE2::Set>(re_options, RE2::ANCHOR_BOTH);
      for (const ListRule& r : rules) {
        std::string error;
        // Index i of the set is position i of the D1-sorted list.
        if (set->Add(PatternOf(r), &error) < 0) {
          return Status::Corruption("table: origin rule " + std::to_string(r.rule) +
                                    " does not compile into an RE2::Set: " + error);
        }
      }
      if (!set->Compile()) {
        return Status::Corruption("table: the RE2::Set of origin set " + std::to_string(s) +
                                  " does not fit in memory");
      }
      m->re2sets_[s] = std::move(set);
    }
    return std::unique_ptr<OriginMatcher>(std::move(m));
  }

  RuleId Match(uint32_t set, std::string_view origin) const noexcept override {
    const std::vector<ListRule>& rules = sets_[set];
    std::vector<int> hits;
    RE2::Set::ErrorInfo info{RE2::Set::kNoError};
    if (!re2sets_[set]->Match(re2::StringPiece(origin.data(), origin.size()), &hits, &info)) {
      if (info.kind == RE2::Set::kOutOfMemory) return ScanLinear(rules, regexes_, origin);
      return kNoRule;
    }
    // The most specific hit: the smallest position in the sorted list.
    // An exact hit stands as it is; any other only for a canonical origin.
    std::sort(hits.begin(), hits.end());
    const bool canonical = rules[static_cast<size_t>(hits.front())].kind == OriginKind::kExact ||
                           ParseCanonicalOrigin(origin).has_value();
    for (int i : hits) {
      const ListRule& r = rules[static_cast<size_t>(i)];
      if (r.kind == OriginKind::kExact || canonical) return r.rule;
    }
    return kNoRule;
  }

 private:
  Re2SetMatcher(std::vector<std::vector<ListRule>> sets, std::vector<std::unique_ptr<RE2>> regexes)
      : sets_(std::move(sets)), regexes_(std::move(regexes)) {}

  std::vector<std::vector<ListRule>> sets_;
  std::vector<std::unique_ptr<RE2>> regexes_;       // for the out-of-memory fallback
  std::vector<std::unique_ptr<RE2::Set>> re2sets_;  // by set; null for "*" and empty sets
};

// ------------------------------------------------------------------ naive

// `s` with the ECMAScript syntax characters escaped.
std::string EscapeEcma(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\^$.|?*+()[]{}/").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// Whether RE2 source `re` is in a subset of the syntax that std::regex
// (ECMAScript) reads with the same meaning on canonical origins (ASCII,
// no line breaks): literal letters, digits and `-:/_,=@%&!~'"<>#;`;
// escaped punctuation and \d; `. * + ? | ^ $`; groups `(` and `(?:`;
// counted repetition {m}, {m,}, {m,n}; bracket classes of letters,
// digits, `-_.:/` and escaped punctuation, possibly negated. Anything
// else (flags such as (?i), named groups, \b, \pL, \Q...\E, POSIX
// classes, non-ASCII bytes) may read differently and keeps RE2.
bool EcmaScriptSafe(std::string_view re) {
  auto is_alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  constexpr std::string_view kPunct = ".-/\\^$*+?()[]{}|:";
  size_t i = 0;
  const size_t n = re.size();
  while (i < n) {
    const char c = re[i];
    if (is_alnum(c) || std::string_view("-:/_,=@%&!~'\"<>#;").find(c) != std::string_view::npos ||
        std::string_view(".*+?|^$)").find(c) != std::string_view::npos) {
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= n || (kPunct.find(re[i + 1]) == std::string_view::npos && re[i + 1] != 'd')) {
        return false;
      }
      i += 2;
    } else if (c == '(') {
      ++i;
      if (i < n && re[i] == '?') {
        if (i + 1 >= n || re[i + 1] != ':') return false;
        i += 2;
      }
    } else if (c == '{') {
      size_t j = i + 1;
      const size_t m_begin = j;
      while (j < n && is_digit(re[j])) ++j;
      if (j == m_begin) return false;
      if (j < n && re[j] == ',') {
        ++j;
        while (j < n && is_digit(re[j])) ++j;
      }
      if (j >= n || re[j] != '}') return false;
      i = j + 1;
    } else if (c == '[') {
      size_t j = i + 1;
      if (j < n && re[j] == '^') ++j;
      if (j < n && re[j] == ']') return false;  // "[]a]": RE2 and ECMAScript differ
      while (j < n && re[j] != ']') {
        if (re[j] == '\\') {
          if (j + 1 >= n || kPunct.find(re[j + 1]) == std::string_view::npos) return false;
          j += 2;
        } else if (is_alnum(re[j]) ||
                   std::string_view("-_.:/").find(re[j]) != std::string_view::npos) {
          ++j;
        } else {
          return false;
        }
      }
      if (j >= n) return false;
      i = j + 1;
    } else {
      return false;
    }
  }
  return true;
}

class NaiveMatcher final : public OriginMatcher {
 public:
  static Result<std::unique_ptr<OriginMatcher>> Create(const TableView& t,
                                                       const OpenOptions& options) {
    std::unique_ptr<NaiveMatcher> m(new NaiveMatcher(SortedSets(t)));
    m->compiled_.resize(m->sets_.size());
    for (size_t s = 0; s < m->sets_.size(); ++s) {
      for (const ListRule& r : m->sets_[s]) {
        Compiled c;
        std::string source;
        switch (r.kind) {
          case OriginKind::kExact:
            source = EscapeEcma(r.text);
            break;
          case OriginKind::kHostAnyPort:
            source = EscapeEcma(std::string(r.scheme) + "://" + std::string(r.host)) +
                     PortPart(kAnyPort);
            break;
          case OriginKind::kSubdomain:
            source = EscapeEcma(std::string(r.scheme) + "://") + "[a-z0-9_.\\-]+\\." +
                     EscapeEcma(r.host) + PortPart(r.port);
            break;
          default:
            if (EcmaScriptSafe(r.text)) source = std::string(r.text);
            break;
        }
        if (!source.empty() || r.kind != OriginKind::kRegex) {
          try {
            c.ecma = std::make_unique<std::regex>(source, std::regex::ECMAScript);
          } catch (const std::regex_error&) {
            c.ecma.reset();  // std::regex refuses it: RE2 below
          }
        }
        if (c.ecma == nullptr) {
          if (r.kind != OriginKind::kRegex) {
            return Status::Corruption("table: origin rule " + std::to_string(r.rule) +
                                      " does not compile as a std::regex");
          }
          Result<std::unique_ptr<RE2>> re = CompileRe2(t, r.rule, options);
          if (!re.ok()) return re.status();
          c.re2 = std::move(re).value();
        }
        m->compiled_[s].push_back(std::move(c));
      }
    }
    return std::unique_ptr<OriginMatcher>(std::move(m));
  }

  RuleId Match(uint32_t set, std::string_view origin) const noexcept override {
    // No pattern matches a longer value (exact patterns are canonical
    // origins, the others match canonical ones only: D2); std::regex is
    // not run on it at all.
    if (origin.size() > kMaxOriginLength) return kNoRule;
    const std::vector<ListRule>& rules = sets_[set];
    const std::vector<Compiled>& compiled = compiled_[set];
    std::optional<OriginParts> parts;
    bool parsed = false;
    for (size_t i = 0; i < rules.size(); ++i) {
      const ListRule& r = rules[i];
      if (r.kind != OriginKind::kExact && !parsed) {
        parts = ParseCanonicalOrigin(origin);
        parsed = true;
      }
      if (r.kind != OriginKind::kExact && !parts) return kNoRule;  // D2
      const Compiled& c = compiled[i];
      const bool hit = c.ecma != nullptr
                           ? std::regex_match(origin.begin(), origin.end(), *c.ecma)
                           : RE2::FullMatch(re2::StringPiece(origin.data(), origin.size()), *c.re2);
      if (hit) return r.rule;
    }
    return kNoRule;
  }

 private:
  struct Compiled {
    std::unique_ptr<std::regex> ecma;  // or, for some regex rules:
    std::unique_ptr<RE2> re2;
  };

  explicit NaiveMatcher(std::vector<std::vector<ListRule>> sets) : sets_(std::move(sets)) {}

  std::vector<std::vector<ListRule>> sets_;
  std::vector<std::vector<Compiled>> compiled_;  // parallel to sets_
};

}  // namespace

bool RegexReadsAlikeInEcmaScript(std::string_view re2_source) { return EcmaScriptSafe(re2_source); }

Result<std::unique_ptr<OriginMatcher>> NewOriginMatcher(Strategy strategy, const TableView& view,
                                                        const OpenOptions& options) {
  switch (strategy) {
    case Strategy::kRe2Set:
      return Re2SetMatcher::Create(view, options);
    case Strategy::kLinear: {
      Result<std::vector<std::unique_ptr<RE2>>> regexes = CompileRegexes(view, options);
      if (!regexes.ok()) return regexes.status();
      return std::unique_ptr<OriginMatcher>(
          new LinearMatcher(SortedSets(view), std::move(regexes).value()));
    }
    case Strategy::kNaive:
      return NaiveMatcher::Create(view, options);
    case Strategy::kTable:
      break;
  }
  return Status::InvalidArgument("NewOriginMatcher: strategy 'table' has its own matcher");
}

}  // namespace corsc

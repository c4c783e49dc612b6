// Copyright corsc developers.
//
// The `table` strategy's origin matcher (see origin_matcher.h).
//
// The pass (origin_scan.h) reads the Origin value once: it splits off the
// scheme and a port (a value whose scheme, port or length is not canonical
// is refused there and then: it can match nothing, D2) and hashes the host
// as a chain from its end, from which the key of the exact tier and of any
// suffix of the host follow. No tier reads the value again except to
// confirm a hit. The literal "null" can only be an exact pattern.
//
// Exact tier: one probe of the set's hash table with the pass's exact key;
// a hit is confirmed by one compare of the rule's text with the value (the
// patterns are canonical: no check of the value is needed). The text
// references come from exact_texts_, made at load time and fetched with
// the control bytes, so a hit waits for two cache misses, not three.
//
// Quick refusal (MatchPatternsIfAny): most values the exact tier does not
// match match nothing. When the host is too short for any suffix the set
// has a key for (a label, a dot and the shortest suffix), or for its
// host-any-port hosts, and no regex filter passes (below), the value is
// refused without entering the tiers.
//
// Wildcard tier (MatchPatterns): a key (set, scheme, host suffix) per
// wildcard rule, in one hash table. At load time the matcher notes, per
// set, the byte lengths of its keys; a host is probed only at a suffix of
// such a length that starts after a dot (the dots are found 8 bytes at a
// time, origin_scan::DotMask), the most specific first (D1): the
// whole host for a host-any-port rule ("http://localhost:*"), which beats
// every subdomain rule, then the suffixes below the first label, the
// longest first. At a key, the terminals are sorted so that the first one
// whose port matches (an explicit port, kNoPort for none, kAnyPort for
// ":*") is the right one; a key none of whose terminals matches lets the
// search go on to shorter suffixes. A subdomain hit is canonical exactly
// when the labels left of its suffix are (the scheme, suffix and port
// equal a canonical pattern's): only those few bytes are checked.
// Look-alikes ("https://evil-example.com", "https://example.com.evil.net")
// share no key and cost a probe or two, or none when the set has no key of
// the lengths of their dot-aligned suffixes.
//
// Regex tier: each regex of the set, in list order, first through its
// RegexPlan (regex_plan.h): a literal prefix and suffix every match has,
// one word of each compared first (the set's RegexFilters, made at load
// time, side by side in one array), which refuse most origins at once; for
// the common shape "prefix, a class repeated, suffix" the whole match
// without RE2. D2: the value's host is checked (once) before the first
// regex that could match it, unless the plan proves every match canonical
// (the pass has already checked the scheme and the port).
// NOTE: RE2 is the one place where Evaluate() can touch a lock: RE2's DFA
// cache is shared by the threads that use one RE2 object and guarded by a
// reader lock inside RE2 (taken for writing when a new DFA state is
// added). Tables without regex origins never get there; regexes of the
// simple shape neither.

#include "origin_matcher.h"

#include <algorithm>
#include <bit>

#include "bytes.h"
#include "hash_index.h"
#include "origin_scan.h"

namespace corsc {

using table_format::kNone;

Result<std::unique_ptr<RE2>> CompileRe2(const TableView& t, uint32_t rule,
                                        const OpenOptions& options) {
  RE2::Options re_options;
  re_options.set_log_errors(false);
  re_options.set_max_mem(options.regex_max_mem);
  const std::string_view text = t.RuleText(rule);
  auto re = std::make_unique<RE2>(re2::StringPiece(text.data(), text.size()), re_options);
  if (!re->ok()) {
    return Status::Corruption("table: regex origin rule " + std::to_string(rule) +
                              " does not compile: " + re->error());
  }
  return re;
}

// One RE2 per regex ordinal.
Result<std::vector<std::unique_ptr<RE2>>> CompileRegexes(const TableView& t,
                                                         const OpenOptions& options) {
  std::vector<std::unique_ptr<RE2>> out;
  out.reserve(t.regex_rules.size());
  for (uint32_t rule : t.regex_rules) {
    Result<std::unique_ptr<RE2>> re = CompileRe2(t, rule, options);
    if (!re.ok()) return re.status();
    out.push_back(std::move(re).value());
  }
  return out;
}

Result<std::unique_ptr<TableOriginMatcher>> TableOriginMatcher::Create(const TableView& view,
                                                                       const OpenOptions& options) {
  Result<std::vector<std::unique_ptr<RE2>>> regexes = CompileRegexes(view, options);
  if (!regexes.ok()) return regexes.status();
  std::vector<RegexPlan> plans;
  plans.reserve(view.regex_rules.size());
  for (uint32_t rule : view.regex_rules) plans.push_back(AnalyzeRegex(view.RuleText(rule)));
  std::vector<RegexFilter> regex_filters;
  regex_filters.reserve(view.set_regexes.size());
  for (uint32_t ordinal : view.set_regexes) {
    const RegexPlan& plan = plans[ordinal];
    regex_filters.push_back(RegexFilter{
        plan.head, plan.head_mask, plan.tail, plan.tail_mask,
        static_cast<uint32_t>(std::max(plan.prefix.size(), plan.suffix.size())), ordinal});
  }
  // The lengths of each set's wildcard keys, by the kinds of their rules.
  std::vector<SetLengths> lengths(view.sets.size());
  for (uint32_t set = 0; set < view.sets.size(); ++set) {
    lengths[set].seed = origin_scan::WildSeed(set);
  }
  const uint8_t* control = view.hash_control.data() + view.meta->wild_suffix_index.first_control;
  for (size_t i = 0; i < view.wild_suffixes.size(); ++i) {
    if (control[i] == table_format::kEmptyControl) continue;
    const table_format::WildSuffix& w = view.wild_suffixes[i];
    for (uint32_t k = 0; k < w.terminals.count; ++k) {
      const table_format::WildTerminal& term = view.wild_terminals[w.terminals.begin + k];
      if (term.kind == static_cast<uint8_t>(OriginKind::kHostAnyPort)) {
        lengths[w.set].host.Add(w.suffix.length);
      } else {
        lengths[w.set].subdomain.Add(w.suffix.length);
        lengths[w.set].shortest_subdomain =
            std::min<size_t>(lengths[w.set].shortest_subdomain, w.suffix.length);
      }
    }
  }
  // The text of each exact slot's rule, by slot group.
  std::vector<ExactTextGroup> exact_texts((view.hash_slots.size() + table_format::kGroupWidth - 1) /
                                          table_format::kGroupWidth);
  for (const table_format::OriginSetRecord& set : view.sets) {
    const uint8_t* set_control = view.hash_control.data() + set.exact.first_control;
    const size_t slots = size_t{set.exact.group_count} * table_format::kGroupWidth;
    for (size_t i = 0; i < slots; ++i) {
      if (set_control[i] == table_format::kEmptyControl) continue;
      const size_t slot = set.exact.first_slot + i;
      const table_format::OriginRuleRecord& rule = view.rules[view.hash_slots[slot]];
      exact_texts[slot / table_format::kGroupWidth].slot[slot % table_format::kGroupWidth] =
          ExactText{rule.text_offset, rule.text_length};
    }
  }
  return std::unique_ptr<TableOriginMatcher>(
      new TableOriginMatcher(view, std::move(regexes).value(), std::move(plans),
                             std::move(regex_filters), std::move(lengths), std::move(exact_texts)));
}

RuleId TableOriginMatcher::Match(uint32_t set_id, std::string_view origin) const noexcept {
  const TableView& t = view_;
  const table_format::OriginSetRecord& set = t.sets[set_id];
  origin_scan::OriginScan o;
  const origin_scan::ScanResult prepared = origin_scan::Prepare(origin, &o);
  if (prepared == origin_scan::ScanResult::kNotCanonical) return kNoRule;
  const uint8_t* const control = t.hash_control.data();

  // Exact tier: the value need not be checked, the pattern it must equal
  // is canonical.
  if (set.exact.group_count != 0) {
    const uint64_t key =
        prepared == origin_scan::ScanResult::kNull ? origin_scan::kNullKey : o.exact_key;
    // The text references of the first group probed live apart from its
    // control bytes: fetch both at once rather than one after the other (a
    // large table misses the cache on each). The slot's rule id is read
    // only once the text has matched, and nothing waits for it.
    const ExactTextGroup* const texts =
        exact_texts_.data() + set.exact.first_slot / table_format::kGroupWidth;
    __builtin_prefetch(texts + (static_cast<uint32_t>(key >> 7) & (set.exact.group_count - 1)));
    const uint32_t i = hash_index::Probe(set.exact, control, key, [&](uint32_t j) {
      const ExactText& e = texts[j / table_format::kGroupWidth].slot[j % table_format::kGroupWidth];
      return e.length == origin.size() &&
             hash_index::KeyEquals(std::string_view(t.strings.data() + e.offset, e.length), origin);
    });
    if (i != kNone) return t.hash_slots[set.exact.first_slot + i];
  }
  if (prepared == origin_scan::ScanResult::kNull) return kNoRule;
  return MatchPatternsIfAny(set_id, set, origin, o);
}

// Most values that get here match no pattern: refuse them when no wildcard
// key can fit the host and no regex filter passes, and leave the rest to
// MatchPatterns. Out of line, like it: the exact tier stays small. When a
// filter passed, MatchPatterns tries the filters again from the first:
// telling it where to start took a seventh argument, which cost every
// wildcard and regex hit about 12 instructions (measured) to save a few in
// this rare case.
[[gnu::noinline]] RuleId TableOriginMatcher::MatchPatternsIfAny(
    uint32_t set_id, const table_format::OriginSetRecord& set, std::string_view origin,
    const origin_scan::OriginScan& o) const noexcept {
  const SetLengths& lengths = lengths_[set_id];
  const size_t host_size = o.host_end - o.host_begin;
  if (host_size < lengths.shortest_subdomain + 2 && !lengths.host.Has(host_size)) {
    const RegexFilter* const filters = regex_filters_.data() + set.regexes.begin;
    const RegexFilter* const end = filters + set.regexes.count;
    if (NextRegexCandidate(filters, end, origin.size(), bytes::Load64(o.s),
                           bytes::Load64(o.s + origin.size() - 8)) == end) {
      return kNoRule;
    }
  }
  return MatchPatterns(set_id, set, origin, o);
}

// The key of set `set_id` whose suffix is the last n bytes of the host,
// or nullptr. Out of line: the loop over suffixes stays small.
[[gnu::noinline]] const table_format::WildSuffix* TableOriginMatcher::FindWildKey(
    const origin_scan::OriginScan& o, uint32_t set_id, uint64_t seed, size_t n) const noexcept {
  const TableView& t = view_;
  const size_t begin = o.host_end - n;
  const uint64_t key = origin_scan::WildKeyAt(o, begin, seed);
  const char* const suffix = o.s + begin;
  const uint32_t scheme_size = o.host_begin - 3;
  const uint32_t slot =
      hash_index::Probe(t.meta->wild_suffix_index, t.hash_control.data(), key, [&](uint32_t i) {
        const table_format::WildSuffix& w = t.wild_suffixes[i];
        return w.set == set_id && w.suffix.length == n && w.scheme.length == scheme_size &&
               hash_index::KeyEquals(t.String(w.suffix), std::string_view(suffix, n)) &&
               hash_index::KeyEquals(t.String(w.scheme), std::string_view(o.s, scheme_size));
      });
  return slot == kNone ? nullptr : &t.wild_suffixes[slot];
}

[[gnu::noinline]] RuleId TableOriginMatcher::MatchPatterns(
    uint32_t set_id, const table_format::OriginSetRecord& set, std::string_view origin,
    const origin_scan::OriginScan& o) const noexcept {
  const TableView& t = view_;

  // Wildcard tier.
  if ((set.subdomain_labels | set.host_labels) != 0) {
    const SetLengths& lengths = lengths_[set_id];
    const uint64_t seed = lengths.seed;
    const size_t host_end = o.host_end;
    const size_t size = host_end - o.host_begin;
    auto probe = [&](size_t n) __attribute__((always_inline)) {
      return FindWildKey(o, set_id, seed, n);
    };
    // The whole host: only a host-any-port rule applies there, and it
    // beats every subdomain rule. The host then equals a canonical one:
    // the value is canonical.
    if (lengths.host.Has(size)) {
      if (const table_format::WildSuffix* w = probe(size)) {
        if (w->terminals.count != 0) {
          const table_format::WildTerminal& first = t.wild_terminals[w->terminals.begin];
          if (first.kind == static_cast<uint8_t>(OriginKind::kHostAnyPort)) return first.rule;
        }
      }
    }
    // Suffixes that start after a dot, the longest first (D1), of the
    // lengths the set has: the host's dots from the left, each with a
    // label left of it, up to the dot of the shortest suffix the set has.
    // At the first key with a terminal whose port matches, the scheme,
    // suffix and port equal a canonical pattern's: the value is canonical
    // if the labels left of the suffix are (D2); if they are not, nothing
    // can match it.
    if (size >= lengths.shortest_subdomain + 2) {
      const size_t last = host_end - 1 - lengths.shortest_subdomain;
      for (size_t base = o.host_begin + 1; base <= last; base += 8) {
        uint64_t dots = origin_scan::DotMask(o.s, base, origin.size());
        // Dots past `last` could only start suffixes shorter than any the
        // set has; dropping them costs less than testing their lengths.
        if (last - base < 7) dots &= (uint64_t{2} << (8 * (last - base) + 7)) - 1;
        for (; dots != 0; dots &= dots - 1) {
          const size_t dot = base + (static_cast<size_t>(std::countr_zero(dots)) >> 3);
          const size_t n = host_end - dot - 1;
          if (!lengths.subdomain.Has(n)) continue;
          const table_format::WildSuffix* w = probe(n);
          if (w == nullptr) continue;
          const table_format::WildTerminal* p = t.wild_terminals.data() + w->terminals.begin;
          const table_format::WildTerminal* const stop = p + w->terminals.count;
          for (; p != stop; ++p) {
            if (p->kind == static_cast<uint8_t>(OriginKind::kSubdomain) &&
                (p->port == o.port || p->port == kAnyPort)) {
              return origin_scan::AreCanonicalLabels(o.s, o.host_begin, dot) ? p->rule : kNoRule;
            }
          }
        }
      }
    }
  }

  // Regex tier. Each regex's filter first: one word of its prefix and one
  // of its suffix (`o.s` is a prepared value: the 8 bytes from it and the
  // 8 that end at its end are readable), then the whole prefix and suffix.
  // D2, the value must be canonical: a plan whose every match is
  // canonical needs no check (RegexPlan::canonical_matches); the others
  // get one full parse, the first time a regex's prefix and suffix allow
  // a match.
  bool canonical_checked = false;
  const size_t n = origin.size();
  const uint64_t head = bytes::Load64(o.s);
  const uint64_t tail = bytes::Load64(o.s + n - 8);
  const RegexFilter* const end = regex_filters_.data() + set.regexes.begin + set.regexes.count;
  for (const RegexFilter* f = regex_filters_.data() + set.regexes.begin;
       (f = NextRegexCandidate(f, end, n, head, tail)) != end; ++f) {
    const uint32_t ordinal = f->ordinal;
    const RegexPlan& plan = plans_[ordinal];
    if (!hash_index::KeyEquals(plan.prefix, std::string_view(o.s, plan.prefix.size())) ||
        !hash_index::KeyEquals(
            plan.suffix, std::string_view(o.s + n - plan.suffix.size(), plan.suffix.size()))) {
      continue;
    }
    if (plan.canonical_matches) {
      if (plan.Match(origin)) return t.regex_rules[ordinal];
      continue;
    }
    if (!canonical_checked) {
      // The pass has checked the scheme and the port: the host is left.
      if (!IsCanonicalHost(std::string_view(o.s + o.host_begin, o.host_end - o.host_begin))) {
        return kNoRule;
      }
      canonical_checked = true;
    }
    const bool hit = plan.simple ? plan.Match(origin)
                                 : RE2::FullMatch(re2::StringPiece(origin.data(), origin.size()),
                                                  *regexes_[ordinal]);
    if (hit) return t.regex_rules[ordinal];
  }
  return kNoRule;
}

}  // namespace corsc

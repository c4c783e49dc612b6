// Copyright corsc developers.
//
// The `table` strategy's origin matcher (see origin_matcher.h).
//
// Exact tier: one probe of the set's hash table, keyed by the Origin value
// as received. Patterns are canonical, so a value that is not can never
// equal one, and no parse is needed on this, the most common, path.
//
// Wildcard tier: one pass over the host from the right, probing a hash
// table of (set, scheme, host suffix) keys only at the label counts the
// set has keys for. The pass keeps a running hash of the suffix read so
// far (hash_index::SuffixHash: one multiply per label), so each probe is
// independent of the others and costs one group of control bytes; most
// hosts are probed once or twice, and a host longer or shorter than every
// key of the set not at all. For "https://a.b.example.com" and a set whose
// subdomain suffixes have 2 labels: the pass reads "com", "example" (probe
// "example.com": a hit for "https://*.example.com"), "b", "a" (no more
// probes: no key has 3 or 4 labels). At a hit, a subdomain rule matches
// if its port does (an explicit port, kNoPort for none, kAnyPort for
// ":*"): the longest suffix wins (D1), so the pass goes on while longer
// keys exist, and within a key the terminals are sorted so that the first
// one whose port matches is the right one. A host-any-port rule
// ("http://localhost:*") is a key whose suffix is the whole host: it beats
// every subdomain rule and ends the pass. The pass needs only the scheme,
// host and port, split without checking the characters (SplitOrigin); a
// rule it finds is then confirmed as canonical (D2) by checking the labels
// left of its suffix (see Match), so that neither hits nor misses pay for
// a full parse. Look-alikes ("https://evil-example.com",
// "https://example.com.evil.net") share no key and cost a probe or two.
//
// Regex tier: each regex of the set, in list order, first through its
// RegexPlan (regex_plan.h): a literal prefix and suffix every match has,
// which refuse most origins with two compares, and for the common shape
// "prefix, a class repeated, suffix" the whole match without RE2. Only an
// origin that passes the plan is parsed in full (D2) and, unless the plan
// decides, given to RE2::FullMatch.
// NOTE: RE2 is the one place where Evaluate() can touch a lock: RE2's DFA
// cache is shared by the threads that use one RE2 object and guarded by a
// reader lock inside RE2 (taken for writing when a new DFA state is
// added). Tables without regex origins never get there; regexes of the
// simple shape neither.

#include "origin_matcher.h"

#include <array>
#include <bit>
#include <cstring>

#include "hash_index.h"

namespace corsc {

using table_format::kNone;

Result<std::unique_ptr<TableOriginMatcher>> TableOriginMatcher::Create(
    const TableView& view, const OpenOptions& options) {
  std::vector<std::unique_ptr<RE2>> regexes;
  regexes.reserve(view.regex_rules.size());
  for (uint32_t rule : view.regex_rules) {
    RE2::Options re_options;
    re_options.set_log_errors(false);
    re_options.set_max_mem(options.regex_max_mem);
    std::string_view text = view.RuleText(rule);
    auto re = std::make_unique<RE2>(re2::StringPiece(text.data(), text.size()), re_options);
    if (!re->ok()) {
      return Status::Corruption("table: regex origin rule " + std::to_string(rule) +
                                " does not compile: " + re->error());
    }
    regexes.push_back(std::move(re));
  }
  std::vector<RegexPlan> plans;
  plans.reserve(view.regex_rules.size());
  for (uint32_t rule : view.regex_rules) plans.push_back(AnalyzeRegex(view.RuleText(rule)));
  // The last labels of each set's wildcard keys, as a 64-bit filter.
  std::vector<uint64_t> last_labels(view.sets.size(), 0);
  const uint8_t* control = view.hash_control.data() + view.meta->wild_suffix_index.first_control;
  for (size_t i = 0; i < view.wild_suffixes.size(); ++i) {
    if (control[i] == table_format::kEmptyControl) continue;
    const table_format::WildSuffix& w = view.wild_suffixes[i];
    const std::string_view suffix = view.String(w.suffix);
    const size_t dot = suffix.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? suffix : suffix.substr(dot + 1);
    last_labels[w.set] |= LastLabelBit(hash_index::LabelWord(last.data(), last.size()), last.size());
  }
  return std::unique_ptr<TableOriginMatcher>(new TableOriginMatcher(
      view, std::move(regexes), std::move(plans), std::move(last_labels)));
}

namespace {

inline uint64_t Load64(const char* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// The high bit of each byte of `w` that equals the byte repeated in
// `pattern`, and no other bit: exact, unlike the borrow-based "has zero
// byte" test, so that the highest bit set is the last match.
inline uint64_t BytesEqual(uint64_t w, uint64_t pattern) noexcept {
  constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7full;
  const uint64_t t = w ^ pattern;
  return ~(((t & kLow7) + kLow7) | t | kLow7);
}

constexpr uint64_t kDots = 0x2e2e2e2e2e2e2e2eull;  // "........"

// Where the label ending at s[hi - 1] begins: one past the last '.' of
// s[lo, hi), or lo when there is none. Reads 8 bytes at a time from the
// right; never reads before s (it reads s[hi - 8, hi) only when hi >= 8).
inline size_t LabelBegin(const char* s, size_t lo, size_t hi) noexcept {
  while (hi >= lo + 8) {
    const uint64_t m = BytesEqual(Load64(s + hi - 8), kDots);
    if (m != 0) return hi - 8 + (static_cast<size_t>(63 - std::countl_zero(m)) >> 3) + 1;
    hi -= 8;
  }
  if (hi == lo) return lo;
  if (hi >= 8) {
    // One word ending at hi; its bytes before lo are not the host's.
    const size_t outside = 8 - (hi - lo);  // 1 to 7
    const uint64_t m = BytesEqual(Load64(s + hi - 8), kDots) & (~uint64_t{0} << (8 * outside));
    if (m != 0) return hi - 8 + (static_cast<size_t>(63 - std::countl_zero(m)) >> 3) + 1;
    return lo;
  }
  while (hi > lo && s[hi - 1] != '.') --hi;
  return hi;
}

// The label that ends at s[hi - 1]: where it begins (one past the last
// '.' of s[lo, hi), or lo), and its hash_index::LabelWord. A label of at
// most 7 bytes is found in one 8-byte load, and its word is that load
// shifted: no second read of its bytes.
struct Label {
  size_t begin;
  uint64_t word;
};
inline Label PrevLabel(const char* s, size_t lo, size_t hi) noexcept {
  if (hi - lo >= 8) {
    const uint64_t w = Load64(s + hi - 8);
    const uint64_t m = BytesEqual(w, kDots);
    if (m != 0) {
      const size_t dot = static_cast<size_t>(63 - std::countl_zero(m)) >> 3;  // its byte in w
      // The label is the bytes of w above the dot (none when the dot is
      // the last byte): its first bytes, zero-padded, as LabelWord says.
      return {hi - 7 + dot, dot == 7 ? 0 : w >> (8 * (dot + 1))};
    }
    const size_t begin = LabelBegin(s, lo, hi - 8);
    return {begin, hash_index::LabelWord(s + begin, hi - begin)};
  }
  const size_t begin = LabelBegin(s, lo, hi);
  return {begin, hash_index::LabelWord(s + begin, hi - begin)};
}

// The bytes of a host label: [a-z0-9_-].
constexpr std::array<bool, 256> kLabelByte = [] {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  t['-'] = t['_'] = true;
  return t;
}();

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// Splits `origin` into scheme, host and port as the wildcard pass needs
// them, without checking the characters of the scheme and host: the
// scheme ends at the first ':', which "//" must follow; a port is a run
// of digits at the very end after a ':' (checked as a canonical port:
// 1 to 5 digits, no leading zero, at most 65535, not the scheme's
// default); the host is what lies between. For a canonical origin these
// are its parts (its host holds no ':' outside an IPv6 literal, which
// ends in ']'). For any other origin, a rule the pass finds is refused by
// the check of Match() (the host labels left of the rule's suffix), so
// the split need not be exact there. No forward scan of the host.
bool TableOriginMatcher::Split(std::string_view origin, SplitOrigin* out) noexcept {
  const char* s = origin.data();
  const size_t n = origin.size();
  if (n > kMaxOriginLength) return false;
  size_t i = 0;
  if (n >= 8) {
    // Most schemes ("https", "http", "wss") end within the first word.
    const uint64_t colon = BytesEqual(Load64(s), 0x3a3a3a3a3a3a3a3aull);
    i = colon != 0 ? static_cast<size_t>(std::countr_zero(colon)) >> 3 : 8;
  }
  while (i < n && s[i] != ':') ++i;
  if (i == 0 || n - i < 3 || s[i + 1] != '/' || s[i + 2] != '/') return false;
  out->scheme = std::string_view(s, i);
  out->host_begin = i + 3;
  out->host_end = n;
  out->port = kNoPort;
  if (n > out->host_begin && IsDigit(s[n - 1])) {
    size_t j = n - 1;  // the first digit of the run at the end
    while (j > out->host_begin && IsDigit(s[j - 1])) --j;
    if (j > out->host_begin && s[j - 1] == ':') {
      const size_t digits = n - j;
      if (digits > 5 || (digits > 1 && s[j] == '0')) return false;
      uint32_t port = 0;
      for (size_t k = j; k < n; ++k) port = port * 10 + static_cast<uint32_t>(s[k] - '0');
      if (port > 65535 || port == DefaultPort(out->scheme)) return false;
      out->port = port;
      out->host_end = j - 1;
    }
  }
  return true;
}

namespace {

// Whether `labels` is one or more labels of [a-z0-9_-], joined by single
// dots: the part of a host name left of a wildcard suffix.
bool AreCanonicalLabels(std::string_view labels) noexcept {
  bool label_start = true;  // no byte of the current label yet
  for (char c : labels) {
    if (kLabelByte[static_cast<uint8_t>(c)]) {
      label_start = false;
    } else if (c != '.' || label_start) {
      return false;
    } else {
      label_start = true;
    }
  }
  return !label_start;
}

}  // namespace

RuleId TableOriginMatcher::MatchWildcard(uint32_t set_id,
                                         const table_format::OriginSetRecord& set,
                                         const SplitOrigin& origin,
                                         size_t* unmatched) const noexcept {
  const TableView& t = view_;
  const table_format::HashIndex& index = t.meta->wild_suffix_index;
  const uint8_t* const control = t.hash_control.data();
  const std::string_view scheme = origin.scheme;
  const char* const s = origin.scheme.data();  // the whole origin
  const size_t host_begin = origin.host_begin;
  const size_t host_end = origin.host_end;
  // Label counts still worth reading: every key of the set has at most
  // as many labels as the highest bit of `wanted`.
  const uint64_t wanted = set.subdomain_labels | set.host_labels;
  const int last = 63 - std::countl_zero(wanted);

  // The key at label count `labels`, the suffix s[begin, host_end).
  auto probe = [&](uint64_t h, size_t begin, uint32_t labels)
      __attribute__((always_inline)) -> const table_format::WildSuffix* {
    const std::string_view suffix(s + begin, host_end - begin);
    const uint32_t slot = hash_index::Probe(index, control, hash_index::Fmix64(h), [&](uint32_t i) {
      const table_format::WildSuffix& w = t.wild_suffixes[i];
      return w.set == set_id && w.labels == labels && w.suffix.length == suffix.size() &&
             w.scheme.length == scheme.size() && hash_index::KeyEquals(t.String(w.suffix), suffix) &&
             hash_index::KeyEquals(t.String(w.scheme), scheme);
    });
    return slot == table_format::kNone ? nullptr : &t.wild_suffixes[slot];
  };

  uint64_t h = hash_index::SuffixSeed(set_id, scheme);
  RuleId best = kNoRule;
  size_t end = host_end;  // the current label is [begin, end)
  for (uint32_t labels = 1;; ++labels) {
    const Label label = PrevLabel(s, host_begin, end);
    const size_t begin = label.begin;
    if (labels == 1 && (last_labels_[set_id] & LastLabelBit(label.word, end - begin)) == 0) {
      return kNoRule;  // no key of the set ends with this label
    }
    h = hash_index::SuffixStep(h, label.word, end - begin);
    const uint64_t bit = table_format::LabelBit(labels);
    if (begin == host_begin) {
      // The whole host: only a host-any-port rule applies, and it beats
      // every subdomain rule found on the way.
      if ((set.host_labels & bit) != 0) {
        if (const table_format::WildSuffix* w = probe(h, begin, labels)) {
          const table_format::WildTerminal& first = t.wild_terminals[w->terminals.begin];
          if (w->terminals.count != 0 &&
              first.kind == static_cast<uint8_t>(OriginKind::kHostAnyPort)) {
            *unmatched = kAllMatched;
            return first.rule;
          }
        }
      }
      break;
    }
    if ((set.subdomain_labels & bit) != 0) {
      if (const table_format::WildSuffix* w = probe(h, begin, labels)) {
        const table_format::WildTerminal* p = t.wild_terminals.data() + w->terminals.begin;
        const table_format::WildTerminal* const stop = p + w->terminals.count;
        for (; p != stop; ++p) {
          if (p->kind == static_cast<uint8_t>(OriginKind::kSubdomain) &&
              (p->port == origin.port || p->port == kAnyPort)) {
            best = p->rule;  // longer suffixes come later and override
            *unmatched = begin - 1;  // the end of the labels left of the suffix, before the dot
            break;
          }
        }
      }
    }
    if (static_cast<int>(labels) >= last) break;  // no longer key in this set
    end = begin - 1;  // skip the dot
  }
  return best;
}

RuleId TableOriginMatcher::Match(uint32_t set_id, std::string_view origin) const noexcept {
  const TableView& t = view_;
  const table_format::OriginSetRecord& set = t.sets[set_id];
  if (set.exact.group_count != 0) {
    const uint64_t hash = hash_index::Hash(origin);
    // The slot values of the first group probed live apart from its
    // control bytes: fetch both at once rather than one after the other
    // (a large table misses the cache on each).
    const uint32_t group = static_cast<uint32_t>(hash >> 7) & (set.exact.group_count - 1);
    __builtin_prefetch(t.hash_slots.data() + set.exact.first_slot +
                       size_t{group} * table_format::kGroupWidth);
    const uint32_t rule = hash_index::Find(
        set.exact, t.hash_control.data(), t.hash_slots.data(), hash,
        [&](uint32_t r) { return hash_index::KeyEquals(t.RuleText(r), origin); });
    if (rule != kNone) return rule;
  }
  // D2: wildcards and regexes match canonical origins only. The pass runs
  // on the split parts; a rule it finds stands only if the origin is
  // canonical. Most of that is already known then: the scheme equals a
  // rule's scheme, the suffix equals a rule's (canonical, as the builder
  // checked), the host's last label is the rule's own (so it is not an
  // IPv4 address unless the rule's host is one), and Split checked the
  // port. What is left is the part of the host left of the suffix,
  // [host_begin, unmatched), which must be well-formed labels (and so
  // not empty).
  if ((set.subdomain_labels | set.host_labels) != 0) {
    SplitOrigin parts;
    if (Split(origin, &parts)) {
      size_t unmatched = kAllMatched;
      const RuleId rule = MatchWildcard(set_id, set, parts, &unmatched);
      if (rule != kNoRule) {
        return unmatched == kAllMatched ||
                       AreCanonicalLabels(std::string_view(origin.data() + parts.host_begin,
                                                           unmatched - parts.host_begin))
                   ? rule
                   : kNoRule;
      }
    }
  }
  bool canonical_checked = false;
  for (uint32_t i = 0; i < set.regexes.count; ++i) {
    const uint32_t ordinal = t.set_regexes[set.regexes.begin + i];
    const RegexPlan& plan = plans_[ordinal];
    if (!plan.Possible(origin)) continue;
    if (plan.canonical_matches) {
      // A match is a canonical origin: no parse (see RegexPlan).
      if (origin.size() <= kMaxOriginLength && plan.Match(origin)) return t.regex_rules[ordinal];
      continue;
    }
    if (!canonical_checked) {
      if (!ParseCanonicalOrigin(origin).has_value()) return kNoRule;
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

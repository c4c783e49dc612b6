// Copyright corsc developers.
//
// The `table` strategy's origin matcher (see origin_matcher.h).
//
// Exact tier: one probe of the set's hash table, keyed by the Origin value
// as received. Patterns are canonical, so a value that is not can never
// equal one, and no parse is needed on this, the most common, path.
//
// Wildcard tier: one walk down the set's host-label trie. From the set's
// root, the edge labelled with the scheme, then one edge per host label
// from the right: for "https://a.b.example.com", "https", "com",
// "example", "b", "a". Each step is one hash probe keyed by (node, label).
// The walk needs only the scheme, host and port, split without checking
// the characters (SplitOrigin); a rule it finds is then confirmed as
// canonical (D2) by checking the little the walk did not (see Match), so
// that neither hits nor misses pay for a full parse. At the node reached with the whole host
// consumed, a host-any-port rule ("http://localhost:*") matches whatever
// the port: it is the most specific wildcard and ends the walk. At a node reached with labels left
// over, a subdomain rule ("https://*.example.com") matches if its port
// does (an explicit port, kNoPort for none, kAnyPort for ":*"); the
// deepest such node wins (the longest suffix, D1), and within a node the
// terminals are sorted so that the first one whose port matches is the
// right one. The walk stops at the first missing edge, so look-alikes
// ("https://evil-example.com": no edge "evil-example" under "com") and
// suffix tricks ("https://example.com.evil.net": no edge "net") cost a
// probe or two.
//
// Regex tier: RE2::FullMatch of each regex of the set, in list order.
// NOTE: this is the one place where Evaluate() can touch a lock: RE2's DFA
// cache is shared by the threads that use one RE2 object and guarded by a
// reader lock inside RE2 (taken for writing when a new DFA state is
// added). Tables without regex origins never get here; prefer wildcards.

#include "origin_matcher.h"

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
  return std::unique_ptr<TableOriginMatcher>(new TableOriginMatcher(view, std::move(regexes)));
}

RuleId TableOriginMatcher::MatchWildcard(uint32_t root, const OriginParts& origin,
                                         size_t* unmatched) const noexcept {
  const TableView& t = view_;
  auto child = [&](uint32_t parent, std::string_view label) {
    return t.Child(t.meta->wild_edge_index, t.wild_edges, parent, label);
  };

  uint32_t node = child(root, origin.scheme);
  if (node == kNone) return kNoRule;
  RuleId best = kNoRule;
  const char* const host = origin.host.data();
  size_t end = origin.host.size();  // the current label is [begin, end)
  while (true) {
    size_t begin = end;
    while (begin > 0 && host[begin - 1] != '.') --begin;
    node = child(node, std::string_view(host + begin, end - begin));
    if (node == kNone) {
      *unmatched = end;  // this label and those left of it (maybe empty)
      break;
    }
    const table_format::ListRef terms = t.wild_nodes[node].terminals;
    const table_format::WildTerminal* first = t.wild_terminals.data() + terms.begin;
    const table_format::WildTerminal* last = first + terms.count;
    if (begin == 0) {
      // The whole host is consumed: only a host-any-port rule applies, and
      // it beats every subdomain rule found on the way.
      if (first != last && first->kind == static_cast<uint8_t>(OriginKind::kHostAnyPort)) {
        return first->rule;
      }
      break;
    }
    for (const table_format::WildTerminal* p = first; p != last; ++p) {
      if (p->kind == static_cast<uint8_t>(OriginKind::kSubdomain) &&
          (p->port == origin.port || p->port == kAnyPort)) {
        best = p->rule;  // deeper nodes come later and override
        break;
      }
    }
    end = begin - 1;  // skip the dot
  }
  return best;
}

namespace {

// Splits `origin` into scheme, host and port the way ParseCanonicalOrigin
// would, checking the port but not the characters of the scheme and host:
// the parts the trie walk needs. Accepts every canonical origin, with the
// same parts, and more; see TableOriginMatcher::Match for how a rule found
// with them is confirmed.
std::optional<OriginParts> SplitOrigin(std::string_view origin) noexcept {
  const char* s = origin.data();
  const size_t n = origin.size();
  if (n > kMaxOriginLength) return std::nullopt;
  size_t i = 0;
  while (i < n && s[i] != ':') ++i;
  if (i == 0 || n - i < 3 || s[i + 1] != '/' || s[i + 2] != '/') return std::nullopt;
  OriginParts parts;
  parts.scheme = std::string_view(s, i);
  const size_t host_begin = i + 3;
  i = host_begin;
  if (i < n && s[i] == '[') {
    while (i < n && s[i] != ']') ++i;
    if (i == n) return std::nullopt;
    ++i;
  } else {
    while (i < n && s[i] != ':') ++i;
  }
  parts.host = std::string_view(s + host_begin, i - host_begin);
  if (i < n) {
    // ":" and 1 to 5 digits without a leading zero, at most 65535, not the
    // scheme's default: the port of a canonical origin.
    const size_t digits = n - i - 1;
    if (s[i] != ':' || digits == 0 || digits > 5 || (digits > 1 && s[i + 1] == '0')) {
      return std::nullopt;
    }
    uint32_t port = 0;
    for (size_t j = i + 1; j < n; ++j) {
      if (s[j] < '0' || s[j] > '9') return std::nullopt;
      port = port * 10 + static_cast<uint32_t>(s[j] - '0');
    }
    if (port > 65535 || port == DefaultPort(parts.scheme)) return std::nullopt;
    parts.port = port;
  }
  return parts;
}

// Whether `labels` is one or more labels of [a-z0-9_-], joined by single
// dots: the part of a host name a trie walk did not match.
bool AreCanonicalLabels(std::string_view labels) noexcept {
  if (labels.empty() || labels.front() == '.' || labels.back() == '.') return false;
  char prev = '.';
  for (char c : labels) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    (c == '.' && prev != '.');
    if (!ok) return false;
    prev = c;
  }
  return true;
}

}  // namespace

RuleId TableOriginMatcher::Match(uint32_t set_id, std::string_view origin) const noexcept {
  const TableView& t = view_;
  const table_format::OriginSetRecord& set = t.sets[set_id];
  if (set.exact.group_count != 0) {
    const uint32_t rule = hash_index::Find(
        set.exact, t.hash_control.data(), t.hash_slots.data(), hash_index::Hash(origin),
        [&](uint32_t r) { return hash_index::KeyEquals(t.RuleText(r), origin); });
    if (rule != kNone) return rule;
  }
  // D2: wildcards and regexes match canonical origins only. The walk runs
  // on the split parts; a rule it finds stands only if the origin is
  // canonical. Most of that is already known then: the scheme equals a
  // rule's scheme and every host label the walk consumed equals a rule's
  // label (canonical, as the builder checked), the host's last label is
  // the rule's own (so it is not an IPv4 address unless the rule's host
  // is one), and SplitOrigin checked the port. What is left is the part of
  // the host the walk did not consume, host[0, unmatched), which must be
  // well-formed labels (and so not empty: the walk stopped on a label).
  if (set.wild_root != kNone) {
    if (const std::optional<OriginParts> parts = SplitOrigin(origin)) {
      size_t unmatched = kAllMatched;
      const RuleId rule = MatchWildcard(set.wild_root, *parts, &unmatched);
      if (rule != kNoRule) {
        // An empty unmatched part is an empty leftmost label: not canonical.
        return unmatched == kAllMatched ||
                       AreCanonicalLabels(parts->host.substr(0, unmatched))
                   ? rule
                   : kNoRule;
      }
    }
  }
  if (set.regexes.count == 0 || !ParseCanonicalOrigin(origin).has_value()) return kNoRule;
  const re2::StringPiece text(origin.data(), origin.size());
  for (uint32_t i = 0; i < set.regexes.count; ++i) {
    const uint32_t ordinal = t.set_regexes[set.regexes.begin + i];
    if (RE2::FullMatch(text, *regexes_[ordinal])) return t.regex_rules[ordinal];
  }
  return kNoRule;
}

}  // namespace corsc

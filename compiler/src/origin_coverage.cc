// Copyright corsc developers.

#include "origin_coverage.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

#include "corsc/origin.h"
#include "origin_pattern.h"

namespace corsc {

// The list's regexes as one RE2::Set, so that an exact origin is checked
// against all of them in one pass.
class RegexSet {
 public:
  RegexSet(const std::vector<OriginPattern>& list, const std::vector<size_t>& order)
      : set_(Options(), RE2::ANCHOR_BOTH) {
    for (size_t i : order) {
      if (set_.Add(list[i].canonical, nullptr) < 0) return;  // cannot happen: RE2 parsed it
      index_.push_back(i);
    }
    ok_ = set_.Compile();
  }

  // The first regex of the list that matches `origin`, or kNone.
  size_t First(const std::string& origin) const {
    std::vector<int> hits;
    if (!ok_ || !set_.Match(origin, &hits) || hits.empty()) return OriginCoverage::kNone;
    return index_[static_cast<size_t>(*std::min_element(hits.begin(), hits.end()))];
  }

 private:
  static RE2::Options Options() {
    RE2::Options o;
    o.set_log_errors(false);
    // One budget for the whole set, like the engine's (origin_pattern.h).
    o.set_max_mem(kRegexMaxMem);
    return o;
  }

  RE2::Set set_;
  std::vector<size_t> index_;
  bool ok_ = false;
};

OriginCoverage::OriginCoverage(const std::vector<OriginPattern>& list) : list_(list) {
  for (size_t i = 0; i < list.size(); ++i) {
    const OriginPattern& p = list[i];
    switch (p.kind) {
      case OriginKind::kAny:
        if (star_ == kNone) star_ = i;
        break;
      case OriginKind::kExact:
        exact_[p.canonical].push_back(i);
        break;
      case OriginKind::kHostAnyPort:
        any_port_[p.scheme + "://" + p.host].push_back(i);
        break;
      case OriginKind::kSubdomain:
        wildcard_[p.scheme + "://" + p.host].push_back(i);
        break;
      case OriginKind::kRegex:
        regex_[p.canonical].push_back(i);
        regex_order_.push_back(i);
        break;
    }
  }
}

OriginCoverage::~OriginCoverage() = default;

size_t OriginCoverage::Equal(const std::unordered_map<std::string, std::vector<size_t>>& map,
                             const std::string& key, size_t self) const {
  auto it = map.find(key);
  if (it == map.end()) return kNone;
  for (size_t i : it->second) {
    if (self == kNone || i < self) return i;
  }
  return kNone;
}

// A subdomain wildcard of `scheme` on `suffix` or, walking up the labels,
// on one of its parents, whose port admits `port`. With `strictly_below`,
// `suffix` itself is skipped (the host is not below a wildcard on itself).
size_t OriginCoverage::Wildcard(const std::string& scheme, std::string_view suffix, uint32_t port,
                                bool strictly_below) const {
  if (wildcard_.empty()) return kNone;
  std::string key = scheme + "://";
  const size_t prefix = key.size();
  bool first = true;
  while (!suffix.empty()) {
    if (!(first && strictly_below)) {
      key.resize(prefix);
      key += suffix;
      auto it = wildcard_.find(key);
      if (it != wildcard_.end()) {
        for (size_t i : it->second) {
          uint32_t p = list_[i].port;
          // Same suffix (not strictly below): only ":*" over another port.
          if (first && (p != kAnyPort || port == kAnyPort)) continue;
          if (p == kAnyPort || p == port) return i;
        }
      }
    }
    first = false;
    size_t dot = suffix.find('.');
    if (dot == std::string_view::npos) break;
    suffix.remove_prefix(dot + 1);
  }
  return kNone;
}

size_t OriginCoverage::RegexMatching(const std::string& origin) const {
  if (regex_order_.empty()) return kNone;
  if (set_ == nullptr) set_ = std::make_unique<RegexSet>(list_, regex_order_);
  return set_->First(origin);
}

size_t OriginCoverage::Covering(const OriginPattern& p, size_t self) const {
  // "*" covers everything; another "*" only when it comes first.
  if (p.kind == OriginKind::kAny) return star_ < self ? star_ : kNone;
  if (star_ != kNone) return star_;
  size_t found = kNone;
  switch (p.kind) {
    case OriginKind::kAny:
      return kNone;  // handled above
    case OriginKind::kRegex:
      return Equal(regex_, p.canonical, self);
    case OriginKind::kExact:
      if (p.canonical == "null" || p.host.empty()) return Equal(exact_, p.canonical, self);
      if (auto it = any_port_.find(p.scheme + "://" + p.host); it != any_port_.end()) {
        return it->second.front();
      }
      found = Wildcard(p.scheme, p.host, p.port, /*strictly_below=*/true);
      if (found == kNone) found = RegexMatching(p.canonical);
      if (found == kNone) found = Equal(exact_, p.canonical, self);
      return found;
    case OriginKind::kHostAnyPort:
      found = Wildcard(p.scheme, p.host, kAnyPort, /*strictly_below=*/true);
      if (found == kNone) found = Equal(any_port_, p.scheme + "://" + p.host, self);
      return found;
    case OriginKind::kSubdomain:
      found = Wildcard(p.scheme, p.host, p.port, /*strictly_below=*/false);
      if (found == kNone) {
        // An equal wildcard: same suffix and same port.
        auto it = wildcard_.find(p.scheme + "://" + p.host);
        if (it != wildcard_.end()) {
          for (size_t i : it->second) {
            if (list_[i].port == p.port && (self == kNone || i < self)) return i;
          }
        }
      }
      return found;
  }
  return kNone;
}

bool PlainPatternMatches(const OriginPattern& p, std::string_view origin) {
  if (p.kind == OriginKind::kAny) return true;
  if (p.kind == OriginKind::kExact) return origin == p.canonical;
  std::optional<OriginParts> o = ParseCanonicalOrigin(origin);
  if (!o || o->scheme != p.scheme) return false;
  if (p.kind == OriginKind::kHostAnyPort) return o->host == p.host;
  if (p.kind != OriginKind::kSubdomain) return false;
  return o->host.size() > p.host.size() + 1 && o->host.ends_with(p.host) &&
         o->host[o->host.size() - p.host.size() - 1] == '.' &&
         (p.port == kAnyPort || p.port == o->port);
}

}  // namespace corsc

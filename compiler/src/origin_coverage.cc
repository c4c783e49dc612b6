// Copyright corsc developers.

#include "origin_coverage.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "corsc/origin.h"
#include "origin_pattern.h"

namespace corsc {

// The list's regexes as one RE2::Set, so that an exact origin is checked
// against all of them in one pass. A set can need more memory than its
// regexes one by one (each fits in kRegexMaxMem, or the policy refused it),
// and its DFA can run out of memory on one origin: then the regexes are run
// one at a time, as RE2::FullMatch would (the engine allows what they
// match).
class RegexSet {
 public:
  RegexSet(const std::vector<OriginPattern>& list, const std::vector<size_t>& order)
      : list_(list), index_(order), set_(Options(), RE2::ANCHOR_BOTH) {
    for (size_t i : order) {
      if (set_.Add(list[i].canonical, nullptr) < 0) return;  // cannot happen: RE2 parsed it
    }
    ok_ = set_.Compile();
  }

  // The first regex of the list that matches `origin` in full, kNone when
  // none does; nullopt when none does but some regex could not be compiled.
  std::optional<size_t> First(const std::string& origin) const {
    if (ok_) {
      std::vector<int> hits;
      RE2::Set::ErrorInfo error{RE2::Set::kNoError};
      if (set_.Match(origin, &hits, &error) && !hits.empty()) {
        return index_[static_cast<size_t>(*std::min_element(hits.begin(), hits.end()))];
      }
      if (error.kind == RE2::Set::kNoError) return OriginCoverage::kNone;
    }
    return OneByOne(origin);
  }

 private:
  static RE2::Options Options() {
    RE2::Options o;
    o.set_log_errors(false);
    // One budget for the whole set, like the engine's (origin_pattern.h).
    o.set_max_mem(kRegexMaxMem);
    return o;
  }

  std::optional<size_t> OneByOne(const std::string& origin) const {
    if (single_.empty()) {
      for (size_t i : index_)
        single_.push_back(std::make_unique<RE2>(list_[i].canonical, Options()));
    }
    bool unknown = false;
    for (size_t k = 0; k < single_.size(); ++k) {
      if (!single_[k]->ok()) {
        unknown = true;
      } else if (RE2::FullMatch(origin, *single_[k])) {
        return index_[k];
      }
    }
    if (unknown) return std::nullopt;
    return OriginCoverage::kNone;
  }

  const std::vector<OriginPattern>& list_;
  std::vector<size_t> index_;  // list index of the set's regex k
  RE2::Set set_;
  bool ok_ = false;
  // Built the first time the set cannot answer.
  mutable std::vector<std::unique_ptr<RE2>> single_;
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
size_t OriginCoverage::Wildcard(std::string_view scheme, std::string_view suffix, uint32_t port,
                                bool strictly_below) const {
  if (wildcard_.empty()) return kNone;
  std::string key(scheme);
  key += "://";
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

std::optional<size_t> OriginCoverage::RegexMatching(const std::string& origin) const {
  if (regex_order_.empty()) return kNone;
  if (set_ == nullptr) set_ = std::make_unique<RegexSet>(list_, regex_order_);
  return set_->First(origin);
}

std::optional<bool> OriginCoverage::Matches(std::string_view origin) const {
  if (star_ != kNone || exact_.contains(std::string(origin))) return true;
  // Wildcards and regexes see canonical origins only (D2).
  std::optional<OriginParts> o = ParseCanonicalOrigin(origin);
  if (!o) return false;
  std::string key(o->scheme);
  key += "://";
  key += o->host;
  if (any_port_.contains(key)) return true;
  if (Wildcard(o->scheme, o->host, o->port, /*strictly_below=*/true) != kNone) return true;
  std::optional<size_t> regex = RegexMatching(std::string(origin));
  if (!regex) return std::nullopt;
  return *regex != kNone;
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
      // A regex that could not be compiled covers nothing (never claimed).
      if (found == kNone) found = RegexMatching(p.canonical).value_or(kNone);
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

// Copyright corsc developers.
//
// BuildTable(): TableSpec -> the bytes of docs/table_format.md.
//
// The builder works in three passes:
//
//  1. Validate. The spec comes from the compiler, which has checked the
//     policy, but the table must never hold something the engine would
//     refuse or misread: every index is range-checked, path patterns are
//     parsed again, origin parts must agree with the canonical text,
//     regexes must compile, and the limits of table_format.h hold.
//     Failures are InvalidArgument naming the offending element.
//
//  2. Lower. Each origin set becomes an exact-origin hash table (first rule
//     in list order per distinct origin), keys (set, scheme, host suffix)
//     for its wildcard rules in one hash table shared by all sets, with
//     label-count masks (terminals sorted by docs/decisions.md D1), and a
//     list of its regexes. The routes become a
//     path-segment trie (literal edges in a hash table keyed by parent node
//     and segment, one param child, an "ends here" and a "**" route per
//     node). Everything Evaluate() sends that is constant per route (the
//     Allow-Methods, Expose-Headers, Max-Age and Vary values) is rendered
//     here once. Nodes are numbered in creation order, so every trie edge
//     points from a smaller to a larger node id.
//
//  3. Encode. Sections are written in their fixed order, each padded to 8
//     bytes, then the header with the file size and the XXH3-64 checksum.
//
// The output depends only on the spec: containers are walked in spec
// order, strings are pooled in first-use order, and hash tables are filled
// in a fixed order.

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ascii.h"
#include "corsc/origin.h"
#include "corsc/path_pattern.h"
#include "corsc/table_spec.h"
#include "hash_index.h"
#include "method.h"
#include "origin_scan.h"
#include "table_format.h"

namespace corsc {
namespace {

using table_format::HashIndex;
using table_format::kNone;
using table_format::ListRef;
using table_format::StringRef;

// The request headers a Vary value may name, in the order the spec lists
// them.
constexpr std::string_view kVaryOrigin = "Origin";
constexpr std::string_view kVaryPreflight =
    "Access-Control-Request-Method, Access-Control-Request-Headers";
constexpr std::string_view kVaryPrivateNetwork = "Access-Control-Request-Private-Network";

// s in double quotes, cut after 80 bytes (a rule may be a 64 KiB regex).
std::string Quote(std::string_view s) {
  std::string out = "\"";
  out += s.substr(0, 80);
  if (s.size() > 80) out += "...";
  out += '"';
  return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

// The string pool: each distinct string once, in first-use order.
class StringPool {
 public:
  StringRef Add(std::string_view s) {
    auto it = index_.find(std::string(s));
    if (it != index_.end()) return it->second;
    StringRef ref{static_cast<uint32_t>(bytes_.size()), static_cast<uint32_t>(s.size())};
    bytes_.append(s);
    index_.emplace(std::string(s), ref);
    return ref;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
  std::unordered_map<std::string, StringRef> index_;
};

// Everything a table holds, as vectors in section order.
struct Sections {
  table_format::MetaRecord meta{};
  StringPool strings;
  std::vector<StringRef> string_refs;
  std::vector<table_format::OriginRuleRecord> rules;
  std::vector<table_format::RuleFileRun> rule_files;
  std::vector<table_format::WildcardRuleRecord> wildcard_rules;
  std::vector<uint32_t> regex_rules;
  std::vector<table_format::OriginSetRecord> sets;
  std::vector<uint32_t> set_members;
  std::vector<uint32_t> set_regexes;
  std::vector<uint8_t> hash_control;
  std::vector<uint32_t> hash_slots;
  std::vector<table_format::WildSuffix> wild_suffixes;  // in slot order
  std::vector<table_format::WildTerminal> wild_terminals;
  std::vector<table_format::RouteRecord> routes;
  std::vector<table_format::RouteNode> route_nodes;
  std::vector<table_format::EdgeRecord> route_edges;  // in slot order
};

class Builder {
 public:
  explicit Builder(const TableSpec& spec) : spec_(spec) {}

  Result<std::string> Build();

 private:
  Status CheckLocation(const SourceLocation& where, const std::string& what) const;
  Status CheckRule(size_t i) const;
  Status CheckRoute(size_t i) const;

  ListRef AddStringList(const std::vector<std::string>& items);
  void LowerRules();
  void LowerSets();
  void AddWildcard(uint32_t set, const OriginRuleSpec& r, RuleId id, size_t position,
                   table_format::OriginSetRecord* rec);
  void PlaceWildSuffixes();
  Status LowerRoutes();
  uint32_t RouteChild(uint32_t parent, std::string_view segment);
  void BuildHashTables();
  std::string Encode() const;

  const TableSpec& spec_;
  Sections s_;
  std::vector<bool> set_has_any_;        // set id -> its list holds "*"
  std::vector<uint32_t> regex_ordinal_;  // rule id -> ordinal, or kNone

  // Pending hash-table entries, built into tables in the tiling order.
  std::vector<std::vector<hash_index::Entry>> set_exact_entries_;
  std::vector<std::vector<hash_index::Entry>> route_header_entries_;
  // Trie edges in creation order, placed into their tables at the end.
  struct PendingEdge {
    uint64_t hash;
    table_format::EdgeRecord record;
  };
  std::vector<PendingEdge> route_edges_;
  table_format::EdgeRecord Edge(uint32_t parent, uint32_t child, std::string_view label) {
    return {parent, child, s_.strings.Add(label), hash_index::KeyPrefix(label)};
  }
  table_format::HashIndex PlaceEdges(const std::vector<PendingEdge>& edges,
                                     std::vector<table_format::EdgeRecord>* slots);

  // Route trie construction index: (parent, segment) -> child node.
  std::map<std::pair<uint32_t, std::string>, uint32_t> route_children_;

  // Wildcard keys (set, scheme, suffix) in creation order, with their
  // terminals before sorting: (precedence class, list position, terminal).
  struct PendingTerminal {
    int rank;
    size_t position;
    table_format::WildTerminal terminal;
  };
  struct PendingSuffix {
    uint32_t set;
    std::string scheme;
    std::string suffix;
    uint32_t labels;
    std::vector<PendingTerminal> terminals;
  };
  std::vector<PendingSuffix> wild_pending_;
  std::map<std::tuple<uint32_t, std::string, std::string>, size_t> wild_keys_;
};

Status Builder::CheckLocation(const SourceLocation& where, const std::string& what) const {
  // An unknown file is index 0 of an empty file list.
  const size_t limit = std::max<size_t>(spec_.files.size(), 1);
  if (where.file >= limit) {
    return Status::InvalidArgument(what + ": file index " + std::to_string(where.file) +
                                   " is out of range (" + std::to_string(spec_.files.size()) +
                                   " files)");
  }
  return Status::Ok();
}

Status Builder::CheckRule(size_t i) const {
  const OriginRuleSpec& r = spec_.origin_rules[i];
  const std::string what = "origin rule " + std::to_string(i) + " (" + Quote(r.text) + ")";
  if (static_cast<uint8_t>(r.kind) > static_cast<uint8_t>(OriginKind::kRegex)) {
    return Status::InvalidArgument(what + ": unknown kind " +
                                   std::to_string(static_cast<int>(r.kind)));
  }
  if (r.text.size() > table_format::kMaxRuleTextLength) {
    return Status::InvalidArgument(what + ": text longer than 65535 bytes");
  }
  if (Status st = CheckLocation(r.where, what); !st.ok()) return st;
  const bool no_parts = r.scheme.empty() && r.host.empty() && r.port == kNoPort;
  switch (r.kind) {
    case OriginKind::kAny:
    case OriginKind::kRegex:
      if (!no_parts) {
        return Status::InvalidArgument(what +
                                       ": scheme, host and port must be empty for this kind");
      }
      if (r.kind == OriginKind::kRegex) {
        RE2::Options options;
        options.set_log_errors(false);
        RE2 re(r.text, options);
        if (!re.ok()) {
          return Status::InvalidArgument(what + ": regex does not compile: " + re.error());
        }
      }
      return Status::Ok();
    case OriginKind::kExact: {
      if (r.text == "null") {
        if (!no_parts) {
          return Status::InvalidArgument(what + ": \"null\" has no scheme, host or port");
        }
        return Status::Ok();
      }
      std::optional<OriginParts> parts = ParseCanonicalOrigin(r.text);
      if (!parts) return Status::InvalidArgument(what + ": not a canonical origin");
      if (parts->scheme != r.scheme || parts->host != r.host || parts->port != r.port) {
        return Status::InvalidArgument(what + ": scheme, host and port disagree with the text");
      }
      return Status::Ok();
    }
    case OriginKind::kHostAnyPort:
    case OriginKind::kSubdomain: {
      // The scheme and host must form a canonical origin without a port;
      // a subdomain suffix must moreover be a host name (a label can be
      // put in front of it), not an IP address.
      std::string origin = r.scheme + "://";
      if (r.kind == OriginKind::kSubdomain) origin += "x.";
      origin += r.host;
      std::optional<OriginParts> parts = ParseCanonicalOrigin(origin);
      if (!parts || parts->port != kNoPort || parts->scheme != r.scheme ||
          parts->host.substr(r.kind == OriginKind::kSubdomain ? 2 : 0) != r.host) {
        return Status::InvalidArgument(
            what + ": scheme and host do not form a canonical " +
            (r.kind == OriginKind::kSubdomain ? "subdomain wildcard" : "origin"));
      }
      if (r.kind == OriginKind::kHostAnyPort && r.port != kAnyPort) {
        return Status::InvalidArgument(what + ": a host-any-port rule has port kAnyPort");
      }
      if (r.port != kNoPort && r.port != kAnyPort &&
          (r.port > 65535 || r.port == DefaultPort(r.scheme))) {
        return Status::InvalidArgument(what + ": port " + std::to_string(r.port) +
                                       " is not canonical");
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

Status Builder::CheckRoute(size_t i) const {
  const RouteSpec& r = spec_.routes[i];
  const std::string what = "route " + std::to_string(i) + " (" + Quote(r.pattern) + ")";
  if (Status st = CheckLocation(r.where, what); !st.ok()) return st;
  if (r.origin_set >= spec_.origin_sets.size()) {
    return Status::InvalidArgument(what + ": origin set " + std::to_string(r.origin_set) +
                                   " is out of range (" + std::to_string(spec_.origin_sets.size()) +
                                   " sets)");
  }
  if (r.pattern.size() > 0xffffffu) return Status::InvalidArgument(what + ": pattern too long");
  if (!r.catch_all) {
    auto parsed = ParsePathPattern(r.pattern);
    if (const auto* err = std::get_if<PathPatternError>(&parsed)) {
      return Status::InvalidArgument(what + ": bad path pattern at offset " +
                                     std::to_string(err->offset) + ": " + err->message);
    }
    const auto& segments = std::get<std::vector<PathSegment>>(parsed);
    size_t depth = segments.size();
    if (segments.back().kind == SegmentKind::kGlobstar) --depth;
    if (depth > table_format::kMaxRouteDepth) {
      return Status::InvalidArgument(what + ": more than " +
                                     std::to_string(table_format::kMaxRouteDepth) + " segments");
    }
  }
  for (const std::string& m : r.methods) {
    if (m != "*" && !ascii::IsToken(m)) {
      return Status::InvalidArgument(what + ": method " + Quote(m) + " is not a token");
    }
  }
  for (const std::string& h : r.allow_headers) {
    if (h == "*") continue;
    if (!ascii::IsToken(h)) {
      return Status::InvalidArgument(what + ": allow_headers name " + Quote(h) + " is not a token");
    }
    for (char c : h) {
      if (c >= 'A' && c <= 'Z') {
        return Status::InvalidArgument(what + ": allow_headers name " + Quote(h) +
                                       " is not lower case");
      }
    }
    if (h.size() > table_format::kMaxHeaderNameLength) {
      return Status::InvalidArgument(what + ": allow_headers name longer than " +
                                     std::to_string(table_format::kMaxHeaderNameLength) + " bytes");
    }
  }
  for (const std::string& h : r.expose_headers) {
    if (h != "*" && !ascii::IsToken(h)) {
      return Status::InvalidArgument(what + ": expose_headers name " + Quote(h) +
                                     " is not a token");
    }
  }
  if (r.max_age && *r.max_age > 2147483647u) {
    return Status::InvalidArgument(what + ": max_age above 2147483647 (D18)");
  }
  if (r.preflight_status != 200 && r.preflight_status != 204) {
    return Status::InvalidArgument(what + ": preflight_status must be 200 or 204");
  }
  if (r.credentials && set_has_any_[r.origin_set]) {
    return Status::InvalidArgument(what + ": origins \"*\" with credentials");
  }
  return Status::Ok();
}

ListRef Builder::AddStringList(const std::vector<std::string>& items) {
  ListRef list{static_cast<uint32_t>(s_.string_refs.size()), static_cast<uint32_t>(items.size())};
  for (const std::string& item : items) s_.string_refs.push_back(s_.strings.Add(item));
  return list;
}

void Builder::LowerRules() {
  regex_ordinal_.assign(spec_.origin_rules.size(), kNone);
  for (size_t i = 0; i < spec_.origin_rules.size(); ++i) {
    const OriginRuleSpec& r = spec_.origin_rules[i];
    const StringRef text = s_.strings.Add(r.text);
    table_format::OriginRuleRecord rec{};
    rec.text_offset = text.offset;
    rec.text_length = static_cast<uint16_t>(text.length);
    rec.kind = static_cast<uint8_t>(r.kind);
    rec.line = r.where.line;
    rec.column = r.where.column;
    s_.rules.push_back(rec);
    if (s_.rule_files.empty() || s_.rule_files.back().file != r.where.file) {
      s_.rule_files.push_back({static_cast<uint32_t>(i), r.where.file});
    }
    if (r.kind == OriginKind::kHostAnyPort || r.kind == OriginKind::kSubdomain) {
      s_.wildcard_rules.push_back(
          {static_cast<uint32_t>(i), r.port, s_.strings.Add(r.scheme), s_.strings.Add(r.host)});
    } else if (r.kind == OriginKind::kRegex) {
      regex_ordinal_[i] = static_cast<uint32_t>(s_.regex_rules.size());
      s_.regex_rules.push_back(static_cast<uint32_t>(i));
    }
  }
}

void Builder::AddWildcard(uint32_t set, const OriginRuleSpec& r, RuleId id, size_t position,
                          table_format::OriginSetRecord* rec) {
  auto [it, inserted] = wild_keys_.try_emplace({set, r.scheme, r.host}, wild_pending_.size());
  if (inserted) {
    const uint32_t labels =
        1 + static_cast<uint32_t>(std::count(r.host.begin(), r.host.end(), '.'));
    wild_pending_.push_back({set, r.scheme, r.host, labels, {}});
  }
  PendingSuffix& key = wild_pending_[it->second];
  if (r.kind == OriginKind::kHostAnyPort) {
    rec->host_labels |= table_format::LabelBit(key.labels);
  } else {
    rec->subdomain_labels |= table_format::LabelBit(key.labels);
  }
  // D1: host-any-port, then subdomain with an explicit port (or none),
  // then subdomain with ":*"; list order within each.
  const int rank = r.kind == OriginKind::kHostAnyPort ? 0 : r.port == kAnyPort ? 2 : 1;
  table_format::WildTerminal t{};
  t.rule = id;
  t.port = r.port;
  t.kind = static_cast<uint8_t>(r.kind);
  key.terminals.push_back({rank, position, t});
}

void Builder::LowerSets() {
  for (const OriginSetSpec& set : spec_.origin_sets) {
    table_format::OriginSetRecord rec{};
    rec.members = {static_cast<uint32_t>(s_.set_members.size()),
                   static_cast<uint32_t>(set.rules.size())};
    rec.any_rule = kNone;
    rec.regexes = {static_cast<uint32_t>(s_.set_regexes.size()), 0};
    for (RuleId id : set.rules) {
      s_.set_members.push_back(id);
      if (rec.any_rule == kNone && spec_.origin_rules[id].kind == OriginKind::kAny) {
        rec.any_rule = id;
      }
    }
    std::vector<hash_index::Entry> exact;
    // A set with "*" means "*": the matching tiers are never consulted.
    if (rec.any_rule == kNone) {
      std::unordered_set<std::string_view> seen;
      for (size_t pos = 0; pos < set.rules.size(); ++pos) {
        const RuleId id = set.rules[pos];
        const OriginRuleSpec& r = spec_.origin_rules[id];
        switch (r.kind) {
          case OriginKind::kExact:
            // The first rule of each distinct origin decides (D1).
            if (seen.insert(r.text).second) {
              exact.push_back({r.text == "null" ? origin_scan::kNullKey
                                                : origin_scan::ExactKey(r.scheme, r.host, r.port),
                               id});
            }
            break;
          case OriginKind::kHostAnyPort:
          case OriginKind::kSubdomain:
            AddWildcard(static_cast<uint32_t>(s_.sets.size()), r, id, pos, &rec);
            break;
          case OriginKind::kRegex:
            s_.set_regexes.push_back(regex_ordinal_[id]);
            ++rec.regexes.count;
            break;
          case OriginKind::kAny:
            break;
        }
      }
    }
    set_exact_entries_.push_back(std::move(exact));
    s_.sets.push_back(rec);
  }
}

void Builder::PlaceWildSuffixes() {
  std::vector<uint64_t> hashes;
  std::vector<table_format::WildSuffix> records;
  for (PendingSuffix& key : wild_pending_) {
    std::stable_sort(key.terminals.begin(), key.terminals.end(),
                     [](const PendingTerminal& a, const PendingTerminal& b) {
                       return a.rank != b.rank ? a.rank < b.rank : a.position < b.position;
                     });
    table_format::WildSuffix w{};
    w.set = key.set;
    w.labels = key.labels;
    w.terminals = {static_cast<uint32_t>(s_.wild_terminals.size()),
                   static_cast<uint32_t>(key.terminals.size())};
    for (const PendingTerminal& p : key.terminals) s_.wild_terminals.push_back(p.terminal);
    w.scheme = s_.strings.Add(key.scheme);
    w.suffix = s_.strings.Add(key.suffix);
    records.push_back(w);
    hashes.push_back(origin_scan::WildKey(key.set, key.scheme, key.suffix));
  }
  std::vector<uint32_t> positions;
  s_.meta.wild_suffix_index = hash_index::Place(hashes, &s_.hash_control, &positions);
  s_.wild_suffixes.assign(size_t{s_.meta.wild_suffix_index.group_count} * table_format::kGroupWidth,
                          {});
  for (size_t k = 0; k < records.size(); ++k) s_.wild_suffixes[positions[k]] = records[k];
}

uint32_t Builder::RouteChild(uint32_t parent, std::string_view segment) {
  auto [it, inserted] = route_children_.try_emplace({parent, std::string(segment)}, 0);
  if (!inserted) return it->second;
  const uint32_t child = static_cast<uint32_t>(s_.route_nodes.size());
  it->second = child;
  s_.route_nodes.push_back({kNone, kNone, kNone, 0});
  s_.route_nodes[parent].literal_lengths |= table_format::LengthBit(segment.size());
  route_edges_.push_back({hash_index::EdgeHash(parent, segment, hash_index::KeyPrefix(segment)),
                          Edge(parent, child, segment)});
  return child;
}

Status Builder::LowerRoutes() {
  s_.route_nodes.push_back({kNone, kNone, kNone, 0});  // the root
  s_.meta.catch_all_route = kNone;
  for (size_t i = 0; i < spec_.routes.size(); ++i) {
    const RouteSpec& r = spec_.routes[i];
    const uint32_t id = static_cast<uint32_t>(i);
    const std::string what = "route " + std::to_string(i) + " (" + Quote(r.pattern) + ")";
    table_format::RouteRecord rec{};
    rec.pattern = s_.strings.Add(r.pattern);
    rec.file = r.where.file;
    rec.line = r.where.line;
    rec.column = r.where.column;
    rec.origin_set = r.origin_set;
    rec.preflight_status = r.preflight_status;

    if (r.catch_all) {
      if (s_.meta.catch_all_route != kNone) {
        return Status::InvalidArgument(what + ": a second catch-all route (the first is route " +
                                       std::to_string(s_.meta.catch_all_route) + ")");
      }
      s_.meta.catch_all_route = id;
      rec.flags |= table_format::kRouteCatchAll;
    } else {
      auto segments = std::get<std::vector<PathSegment>>(ParsePathPattern(r.pattern));
      uint32_t node = 0;
      for (const PathSegment& seg : segments) {
        if (seg.kind == SegmentKind::kGlobstar) break;  // always the last one
        if (seg.kind == SegmentKind::kLiteral) {
          node = RouteChild(node, seg.text);
        } else if (s_.route_nodes[node].param_child != kNone) {
          node = s_.route_nodes[node].param_child;
        } else {
          const uint32_t child = static_cast<uint32_t>(s_.route_nodes.size());
          s_.route_nodes[node].param_child = child;
          s_.route_nodes.push_back({kNone, kNone, kNone, 0});
          node = child;
        }
      }
      uint32_t& slot = segments.back().kind == SegmentKind::kGlobstar
                           ? s_.route_nodes[node].globstar_route
                           : s_.route_nodes[node].end_route;
      if (slot != kNone) {
        return Status::InvalidArgument(what + ": same shape " + Quote(PathShape(segments)) +
                                       " as route " + std::to_string(slot) + " (" +
                                       Quote(spec_.routes[slot].pattern) + ")");
      }
      slot = id;
    }

    const bool any_origin = set_has_any_[r.origin_set];
    const bool no_origin = spec_.origin_sets[r.origin_set].rules.empty();

    if (r.credentials) rec.flags |= table_format::kRouteCredentials;
    if (r.private_network) rec.flags |= table_format::kRoutePrivateNetwork;
    if (r.max_age) {
      rec.flags |= table_format::kRouteHasMaxAge;
      rec.max_age = *r.max_age;
      rec.max_age_value = s_.strings.Add(std::to_string(*r.max_age));
    }

    rec.methods = AddStringList(r.methods);
    for (const std::string& m : r.methods) {
      if (m == "*") rec.flags |= table_format::kRouteAnyMethod;
      rec.standard_methods |= method::StandardMethodBit(m);
    }
    rec.allow_methods_value = s_.strings.Add(Join(r.methods, ", "));

    rec.allow_headers = AddStringList(r.allow_headers);
    std::vector<hash_index::Entry> header_entries;
    std::unordered_set<std::string_view> seen;
    for (uint32_t k = 0; k < r.allow_headers.size(); ++k) {
      const std::string& h = r.allow_headers[k];
      if (h == "*") {
        rec.flags |= table_format::kRouteAnyHeader;
        continue;
      }
      if (!seen.insert(h).second) continue;
      header_entries.push_back({hash_index::Hash(h), rec.allow_headers.begin + k});
      rec.max_header_name_length =
          std::max(rec.max_header_name_length, static_cast<uint32_t>(h.size()));
    }
    route_header_entries_.push_back(std::move(header_entries));

    rec.expose_headers = AddStringList(r.expose_headers);
    if (!r.expose_headers.empty()) {
      rec.expose_headers_value = s_.strings.Add(Join(r.expose_headers, ", "));
    }

    // Vary: Origin unless the origins are "*" or []; preflights add the
    // request-method and request-headers names, and the private-network
    // one when the route answers such preflights; [] gets nothing.
    if (!no_origin) {
      std::string actual = any_origin ? "" : std::string(kVaryOrigin);
      std::string preflight = any_origin ? "" : std::string(kVaryOrigin) + ", ";
      preflight += kVaryPreflight;
      if (r.private_network) {
        preflight += ", ";
        preflight += kVaryPrivateNetwork;
      }
      if (!actual.empty()) rec.vary_actual = s_.strings.Add(actual);
      rec.vary_preflight = s_.strings.Add(preflight);
    }
    s_.routes.push_back(rec);
  }
  return Status::Ok();
}

table_format::HashIndex Builder::PlaceEdges(const std::vector<PendingEdge>& edges,
                                            std::vector<table_format::EdgeRecord>* slots) {
  std::vector<uint64_t> hashes;
  hashes.reserve(edges.size());
  for (const PendingEdge& e : edges) hashes.push_back(e.hash);
  std::vector<uint32_t> positions;
  const table_format::HashIndex index = hash_index::Place(hashes, &s_.hash_control, &positions);
  slots->assign(size_t{index.group_count} * table_format::kGroupWidth, {});
  for (size_t k = 0; k < edges.size(); ++k) (*slots)[positions[k]] = edges[k].record;
  return index;
}

void Builder::BuildHashTables() {
  // The tiling order of docs/table_format.md: the wildcard-key and
  // route-edge tables (whose slots are their sections), then each set's
  // exact origins,
  // then each route's header names.
  PlaceWildSuffixes();
  s_.meta.route_edge_index = PlaceEdges(route_edges_, &s_.route_edges);
  for (size_t i = 0; i < s_.sets.size(); ++i) {
    s_.sets[i].exact = hash_index::Build(set_exact_entries_[i], &s_.hash_control, &s_.hash_slots);
  }
  for (size_t i = 0; i < s_.routes.size(); ++i) {
    s_.routes[i].header_index =
        hash_index::Build(route_header_entries_[i], &s_.hash_control, &s_.hash_slots);
  }
}

// Appends the raw bytes of a vector of POD records.
template <typename T>
void AppendRecords(std::string* out, const std::vector<T>& v) {
  out->append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

void PadTo8(std::string* out) {
  out->resize((out->size() + table_format::kAlignment - 1) & ~(table_format::kAlignment - 1), '\0');
}

std::string Builder::Encode() const {
  using table_format::SectionEntry;
  using table_format::SectionId;
  std::string out(
      sizeof(table_format::FileHeader) + table_format::kSectionCount * sizeof(SectionEntry), '\0');
  std::vector<SectionEntry> directory;
  auto section = [&](SectionId id, const auto& records) {
    PadTo8(&out);
    SectionEntry e{};
    e.id = static_cast<uint32_t>(id);
    e.record_size = table_format::SectionRecordSize(id);
    e.offset = out.size();
    e.count = records.size();
    AppendRecords(&out, records);
    directory.push_back(e);
  };
  const std::vector<table_format::MetaRecord> meta{s_.meta};
  const std::vector<char> strings(s_.strings.bytes().begin(), s_.strings.bytes().end());
  section(SectionId::kMeta, meta);
  section(SectionId::kStrings, strings);
  section(SectionId::kStringRefs, s_.string_refs);
  section(SectionId::kOriginRules, s_.rules);
  section(SectionId::kRuleFiles, s_.rule_files);
  section(SectionId::kWildcardRules, s_.wildcard_rules);
  section(SectionId::kRegexRules, s_.regex_rules);
  section(SectionId::kOriginSets, s_.sets);
  section(SectionId::kSetMembers, s_.set_members);
  section(SectionId::kSetRegexes, s_.set_regexes);
  section(SectionId::kHashControl, s_.hash_control);
  section(SectionId::kHashSlots, s_.hash_slots);
  section(SectionId::kWildSuffixes, s_.wild_suffixes);
  section(SectionId::kWildTerminals, s_.wild_terminals);
  section(SectionId::kRoutes, s_.routes);
  section(SectionId::kRouteNodes, s_.route_nodes);
  section(SectionId::kRouteEdges, s_.route_edges);
  PadTo8(&out);

  table_format::FileHeader header{};
  header.magic = table_format::kMagic;
  header.format_version = table_format::kFormatVersion;
  header.header_size = sizeof(table_format::FileHeader);
  header.file_size = out.size();
  header.section_count = table_format::kSectionCount;
  std::memcpy(out.data(), &header, sizeof(header));
  std::memcpy(out.data() + sizeof(header), directory.data(),
              directory.size() * sizeof(SectionEntry));
  header.checksum = table_format::FileChecksum(out);
  std::memcpy(out.data(), &header, sizeof(header));
  return out;
}

Result<std::string> Builder::Build() {
  if (static_cast<uint8_t>(spec_.strategy) > static_cast<uint8_t>(Strategy::kNaive)) {
    return Status::InvalidArgument("unknown strategy " +
                                   std::to_string(static_cast<int>(spec_.strategy)));
  }
  // 32-bit ids and offsets everywhere; refuse what would not fit long
  // before it could happen (a policy of 2^28 things is not a policy).
  constexpr size_t kMaxItems = size_t{1} << 28;
  if (spec_.origin_rules.size() >= kMaxItems || spec_.origin_sets.size() >= kMaxItems ||
      spec_.routes.size() >= kMaxItems || spec_.files.size() >= kMaxItems) {
    return Status::InvalidArgument("table spec too large");
  }
  for (size_t i = 0; i < spec_.origin_rules.size(); ++i) {
    if (Status st = CheckRule(i); !st.ok()) return st;
  }
  set_has_any_.assign(spec_.origin_sets.size(), false);
  for (size_t i = 0; i < spec_.origin_sets.size(); ++i) {
    for (RuleId id : spec_.origin_sets[i].rules) {
      if (id >= spec_.origin_rules.size()) {
        return Status::InvalidArgument("origin set " + std::to_string(i) + ": rule " +
                                       std::to_string(id) + " is out of range (" +
                                       std::to_string(spec_.origin_rules.size()) + " rules)");
      }
      if (spec_.origin_rules[id].kind == OriginKind::kAny) set_has_any_[i] = true;
    }
  }
  for (size_t i = 0; i < spec_.routes.size(); ++i) {
    if (Status st = CheckRoute(i); !st.ok()) return st;
  }

  s_.meta.policy_name = s_.strings.Add(spec_.policy_name);
  s_.meta.profile = s_.strings.Add(spec_.profile);
  s_.meta.strategy = static_cast<uint32_t>(spec_.strategy);
  s_.meta.files = AddStringList(spec_.files);
  LowerRules();
  LowerSets();
  if (Status st = LowerRoutes(); !st.ok()) return st;
  BuildHashTables();

  if (s_.strings.bytes().size() > 0xffffffffu || s_.string_refs.size() >= kMaxItems ||
      s_.set_members.size() >= kMaxItems || s_.hash_slots.size() >= kMaxItems) {
    return Status::InvalidArgument("table spec too large");
  }
  return Encode();
}

}  // namespace

Result<std::string> BuildTable(const TableSpec& spec) { return Builder(spec).Build(); }

}  // namespace corsc

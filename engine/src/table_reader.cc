// Copyright corsc developers.
//
// VerifyTable(): decides whether a byte string is a table this build can
// use, and if so, makes the typed TableView over it.
//
// The rule it enforces: any byte string it accepts is safe to evaluate (no
// out-of-bounds read, no unbounded loop), and every single-byte change or
// truncation of a valid table is refused. The checks run cheapest first and
// each failure says what failed, in the order of docs/table_format.md
// ("Verification"):
//
//   1. size: at least a header;
//   2. magic number;
//   3. format version (a newer or an older one is NotSupported, naming both
//      versions);
//   4. header size and file-size field against the real size (truncation);
//   5. the XXH3-64 checksum of the whole file (every byte, padding
//      included, is covered: a changed byte anywhere fails here);
//   6. header fields that must be zero, the directory: section ids, record
//      sizes, bounds, placement (each section exactly where the layout puts
//      it, so nothing overlaps and no byte is unaccounted for) and zero
//      padding;
//   7. the content: every string reference inside the pool, every id and
//      offset read from section data in range, enum values known, hash
//      tables tiling their sections with power-of-two sizes, valid control
//      bytes and an empty slot each, trie edges pointing strictly forward,
//      the route trie a tree of bounded depth.
//
// Step 5 alone catches accidents; steps 6 and 7 make a table with a
// recomputed checksum (a crafted one) safe as well. Verification is linear
// in the size of the table and allocates only the per-node scratch arrays
// of the route-trie check.

#include <algorithm>
#include <string>
#include <vector>

#include "corsc/table_spec.h"
#include "hash_index.h"
#include "origin_scan.h"
#include "table_format.h"
#include "table_view.h"

namespace corsc {
namespace {

using namespace table_format;  // NOLINT: the records of this file's subject

std::string Num(uint64_t v) { return std::to_string(v); }

Status Corrupt(std::string_view what) {
  std::string msg = "table: ";
  msg += what;
  return Status::Corruption(msg);
}

class Verifier {
 public:
  Verifier(std::string_view bytes, TableView* view) : bytes_(bytes), v_(*view) {}

  Status Run();

 private:
  Status CheckHeader();
  Status CheckDirectory();
  Status CheckString(StringRef ref, std::string_view what) const;
  Status CheckList(ListRef list, size_t limit, std::string_view what) const;
  Status CheckFile(uint32_t file, std::string_view what) const;
  Status CheckMeta();
  Status CheckRules();
  // Where the next hash table must start.
  struct Tiling {
    uint64_t control = 0;
    uint64_t slots = 0;
  };
  Status CheckHashTables();
  template <typename Valid>
  Status CheckHashIndex(const HashIndex& index, Tiling* tiling, std::string_view what,
                        bool has_values, Valid&& valid) const;
  Status CheckEdges(const HashIndex& index, std::span<const EdgeRecord> edges, size_t nodes,
                    Tiling* tiling, std::string_view what) const;
  Status CheckWildSuffixes(const HashIndex& index, Tiling* tiling) const;
  Status CheckSets();
  Status CheckWildcardTerminals();
  Status CheckRoutes();
  Status CheckRouteTrie();
  Status CheckKeyPlacement() const;

  template <typename T>
  std::span<const T> Section(SectionId id) const {
    const SectionEntry& e = entries_[static_cast<uint32_t>(id) - 1];
    return std::span<const T>(reinterpret_cast<const T*>(bytes_.data() + e.offset),
                              static_cast<size_t>(e.count));
  }

  std::string_view bytes_;
  TableView& v_;
  const SectionEntry* entries_ = nullptr;
};

Status Verifier::CheckHeader() {
  if (bytes_.size() < sizeof(FileHeader)) {
    return Corrupt("too short to be a corsc table (" + Num(bytes_.size()) + " bytes)");
  }
  const auto* h = reinterpret_cast<const FileHeader*>(bytes_.data());
  if (h->magic != kMagic) return Corrupt("bad magic number (not a corsc table)");
  if (h->format_version == 0) return Corrupt("format version 0 does not exist");
  if (h->format_version > kFormatVersion) {
    return Status::NotSupported("table: format version " + Num(h->format_version) +
                                " is newer than this build of corsc reads (version " +
                                Num(kFormatVersion) + ")");
  }
  if (h->format_version < kFormatVersion) {
    return Status::NotSupported("table: format version " + Num(h->format_version) +
                                " is older than this build of corsc reads (version " +
                                Num(kFormatVersion) + "): compile the policy again");
  }
  if (h->header_size != sizeof(FileHeader)) {
    return Corrupt("header size is " + Num(h->header_size) + ", expected " +
                   Num(sizeof(FileHeader)));
  }
  if (h->file_size != bytes_.size()) {
    return Corrupt("the header says " + Num(h->file_size) + " bytes but there are " +
                   Num(bytes_.size()) + (h->file_size > bytes_.size() ? " (truncated)" : ""));
  }
  if (h->checksum != FileChecksum(bytes_)) return Corrupt("checksum mismatch");
  if (h->flags != 0 || h->reserved[0] != 0 || h->reserved[1] != 0 || h->reserved[2] != 0) {
    return Corrupt("reserved header fields are not zero");
  }
  if (h->section_count != kSectionCount) {
    return Corrupt("the header lists " + Num(h->section_count) + " sections, version " +
                   Num(kFormatVersion) + " has " + Num(kSectionCount));
  }
  return Status::Ok();
}

Status Verifier::CheckDirectory() {
  const uint64_t directory_end =
      sizeof(FileHeader) + uint64_t{kSectionCount} * sizeof(SectionEntry);
  if (directory_end > bytes_.size()) return Corrupt("the section directory is truncated");
  entries_ = reinterpret_cast<const SectionEntry*>(bytes_.data() + sizeof(FileHeader));
  uint64_t expected = directory_end;
  const uint64_t size = bytes_.size();
  for (uint32_t i = 0; i < kSectionCount; ++i) {
    const SectionEntry& e = entries_[i];
    const SectionId id = static_cast<SectionId>(i + 1);
    const std::string name = "section '" + std::string(SectionName(id)) + "'";
    if (e.id != i + 1) {
      return Corrupt("directory entry " + Num(i) + " has id " + Num(e.id) + ", expected " +
                     Num(i + 1) + " ('" + std::string(SectionName(id)) + "')");
    }
    if (e.record_size != SectionRecordSize(id)) {
      return Corrupt(name + " has records of " + Num(e.record_size) + " bytes, expected " +
                     Num(SectionRecordSize(id)));
    }
    // count <= size keeps count * record_size (record_size <= 128) far
    // from overflowing.
    if (e.count > size || e.offset > size || e.count * e.record_size > size - e.offset) {
      return Corrupt(name + " extends past the end of the file");
    }
    const uint64_t aligned = (expected + kAlignment - 1) & ~uint64_t{kAlignment - 1};
    if (e.offset != aligned) {
      return Corrupt(name + " starts at offset " + Num(e.offset) + ", expected " + Num(aligned));
    }
    for (uint64_t p = expected; p < aligned; ++p) {
      if (bytes_[p] != 0) return Corrupt("nonzero padding before " + name);
    }
    expected = e.offset + e.count * e.record_size;
  }
  const uint64_t end = (expected + kAlignment - 1) & ~uint64_t{kAlignment - 1};
  if (end != size) {
    return Corrupt("the file is " + Num(size) + " bytes, its sections end at " + Num(end));
  }
  for (uint64_t p = expected; p < end; ++p) {
    if (bytes_[p] != 0) return Corrupt("nonzero padding at the end of the file");
  }

  if (entries_[static_cast<uint32_t>(SectionId::kMeta) - 1].count != 1) {
    return Corrupt("section 'meta' must hold exactly one record");
  }
  v_.meta = Section<MetaRecord>(SectionId::kMeta).data();
  auto strings = Section<char>(SectionId::kStrings);
  v_.strings = std::string_view(strings.data(), strings.size());
  v_.string_refs = Section<StringRef>(SectionId::kStringRefs);
  v_.rules = Section<OriginRuleRecord>(SectionId::kOriginRules);
  v_.rule_files = Section<RuleFileRun>(SectionId::kRuleFiles);
  v_.wildcard_rules = Section<WildcardRuleRecord>(SectionId::kWildcardRules);
  v_.regex_rules = Section<uint32_t>(SectionId::kRegexRules);
  v_.sets = Section<OriginSetRecord>(SectionId::kOriginSets);
  v_.set_members = Section<uint32_t>(SectionId::kSetMembers);
  v_.set_regexes = Section<uint32_t>(SectionId::kSetRegexes);
  v_.hash_control = Section<uint8_t>(SectionId::kHashControl);
  v_.hash_slots = Section<uint32_t>(SectionId::kHashSlots);
  v_.wild_suffixes = Section<WildSuffix>(SectionId::kWildSuffixes);
  v_.wild_terminals = Section<WildTerminal>(SectionId::kWildTerminals);
  v_.routes = Section<RouteRecord>(SectionId::kRoutes);
  v_.route_nodes = Section<RouteNode>(SectionId::kRouteNodes);
  v_.route_edges = Section<EdgeRecord>(SectionId::kRouteEdges);
  return Status::Ok();
}

Status Verifier::CheckString(StringRef ref, std::string_view what) const {
  if (ref.offset > v_.strings.size() || ref.length > v_.strings.size() - ref.offset) {
    return Corrupt(std::string(what) + " points outside the string pool");
  }
  return Status::Ok();
}

Status Verifier::CheckList(ListRef list, size_t limit, std::string_view what) const {
  if (list.begin > limit || list.count > limit - list.begin) {
    return Corrupt(std::string(what) + " extends past the end of its section");
  }
  return Status::Ok();
}

Status Verifier::CheckFile(uint32_t file, std::string_view what) const {
  // Index 0 of an empty file list means "unknown".
  if (file >= std::max<uint32_t>(v_.meta->files.count, 1)) {
    return Corrupt(std::string(what) + " names file " + Num(file) + " of " +
                   Num(v_.meta->files.count));
  }
  return Status::Ok();
}

Status Verifier::CheckMeta() {
  for (size_t i = 0; i < v_.string_refs.size(); ++i) {
    if (Status st = CheckString(v_.string_refs[i], "string_refs[" + Num(i) + "]"); !st.ok()) {
      return st;
    }
  }
  const MetaRecord& m = *v_.meta;
  if (Status st = CheckString(m.policy_name, "the policy name"); !st.ok()) return st;
  if (Status st = CheckString(m.profile, "the profile name"); !st.ok()) return st;
  if (Status st = CheckList(m.files, v_.string_refs.size(), "the file list"); !st.ok()) {
    return st;
  }
  if (m.strategy > static_cast<uint32_t>(Strategy::kNaive)) {
    return Corrupt("unknown strategy " + Num(m.strategy));
  }
  if (m.catch_all_route != kNone) {
    if (m.catch_all_route >= v_.routes.size()) {
      return Corrupt("the catch-all route " + Num(m.catch_all_route) + " is out of range");
    }
  }
  return Status::Ok();
}

Status Verifier::CheckRules() {
  size_t wildcard_count = 0, regex_count = 0;
  for (size_t i = 0; i < v_.rules.size(); ++i) {
    const OriginRuleRecord& r = v_.rules[i];
    const std::string what = "origin rule " + Num(i);
    if (Status st = CheckString({r.text_offset, r.text_length}, what); !st.ok()) return st;
    if (r.kind > static_cast<uint8_t>(OriginKind::kRegex) || r.reserved != 0) {
      return Corrupt(what + " has unknown kind " + Num(r.kind));
    }
    const auto kind = static_cast<OriginKind>(r.kind);
    wildcard_count += kind == OriginKind::kHostAnyPort || kind == OriginKind::kSubdomain;
    regex_count += kind == OriginKind::kRegex;
  }

  if (v_.rules.empty() != v_.rule_files.empty()) {
    return Corrupt("section 'rule_files' does not cover the origin rules");
  }
  for (size_t i = 0; i < v_.rule_files.size(); ++i) {
    const RuleFileRun& run = v_.rule_files[i];
    if ((i == 0 && run.first_rule != 0) ||
        (i > 0 && run.first_rule <= v_.rule_files[i - 1].first_rule) ||
        run.first_rule >= v_.rules.size()) {
      return Corrupt("rule_files[" + Num(i) + "] starts at rule " + Num(run.first_rule) +
                     ", out of order or range");
    }
    if (Status st = CheckFile(run.file, "rule_files[" + Num(i) + "]"); !st.ok()) return st;
  }

  if (v_.wildcard_rules.size() != wildcard_count) {
    return Corrupt("section 'wildcard_rules' has " + Num(v_.wildcard_rules.size()) +
                   " records for " + Num(wildcard_count) + " wildcard rules");
  }
  for (size_t i = 0; i < v_.wildcard_rules.size(); ++i) {
    const WildcardRuleRecord& w = v_.wildcard_rules[i];
    const std::string what = "wildcard_rules[" + Num(i) + "]";
    if (w.rule >= v_.rules.size() || (i > 0 && w.rule <= v_.wildcard_rules[i - 1].rule)) {
      return Corrupt(what + " names rule " + Num(w.rule) + ", out of order or range");
    }
    const auto kind = static_cast<OriginKind>(v_.rules[w.rule].kind);
    if (kind != OriginKind::kHostAnyPort && kind != OriginKind::kSubdomain) {
      return Corrupt(what + " names rule " + Num(w.rule) + ", which is no wildcard");
    }
    if (w.port > kAnyPort) return Corrupt(what + " has port " + Num(w.port));
    if (Status st = CheckString(w.scheme, what); !st.ok()) return st;
    if (Status st = CheckString(w.host, what); !st.ok()) return st;
  }

  if (v_.regex_rules.size() != regex_count) {
    return Corrupt("section 'regex_rules' has " + Num(v_.regex_rules.size()) + " records for " +
                   Num(regex_count) + " regex rules");
  }
  for (size_t i = 0; i < v_.regex_rules.size(); ++i) {
    const uint32_t rule = v_.regex_rules[i];
    if (rule >= v_.rules.size() || (i > 0 && rule <= v_.regex_rules[i - 1]) ||
        v_.rules[rule].kind != static_cast<uint8_t>(OriginKind::kRegex)) {
      return Corrupt("regex_rules[" + Num(i) + "] names rule " + Num(rule) +
                     ", out of order or range or not a regex");
    }
  }
  return Status::Ok();
}

template <typename Valid>
Status Verifier::CheckHashIndex(const HashIndex& index, Tiling* tiling, std::string_view what,
                                bool has_values, Valid&& valid) const {
  const std::string name = "the hash table of " + std::string(what);
  if (index.first_control != tiling->control) {
    return Corrupt(name + " starts at control byte " + Num(index.first_control) + ", expected " +
                   Num(tiling->control));
  }
  if (index.first_slot != (has_values ? tiling->slots : 0)) {
    return Corrupt(name + " starts at slot " + Num(index.first_slot) + ", expected " +
                   Num(has_values ? tiling->slots : 0));
  }
  if (index.group_count > kMaxHashGroups || (index.group_count & (index.group_count - 1)) != 0) {
    return Corrupt(name + " has " + Num(index.group_count) + " groups, not zero or a power of two");
  }
  const uint64_t n = uint64_t{index.group_count} * kGroupWidth;
  if (n > v_.hash_control.size() - tiling->control) {
    return Corrupt(name + " extends past the end of section 'hash_control'");
  }
  if (has_values && n > v_.hash_slots.size() - tiling->slots) {
    return Corrupt(name + " extends past the end of section 'hash_slots'");
  }
  uint64_t occupied = 0;
  for (uint64_t i = 0; i < n; ++i) {
    const uint8_t c = v_.hash_control[index.first_control + i];
    if (c > kEmptyControl) return Corrupt(name + " has control byte " + Num(c));
    // valid(i, occupied?) checks slot i's value or record.
    if (c != kEmptyControl) ++occupied;
    if (!valid(static_cast<uint32_t>(i), c != kEmptyControl)) {
      return Corrupt(name + " has an invalid " + (c == kEmptyControl ? "empty" : "occupied") +
                     " slot " + Num(i));
    }
  }
  if (occupied != index.size) {
    return Corrupt(name + " holds " + Num(occupied) + " entries, its size says " + Num(index.size));
  }
  if (n != 0 && occupied == n) return Corrupt(name + " has no empty slot");
  tiling->control += n;
  if (has_values) tiling->slots += n;
  return Status::Ok();
}

Status Verifier::CheckEdges(const HashIndex& index, std::span<const EdgeRecord> edges, size_t nodes,
                            Tiling* tiling, std::string_view what) const {
  if (edges.size() != uint64_t{index.group_count} * kGroupWidth) {
    return Corrupt("section '" + std::string(what) + "' has " + Num(edges.size()) +
                   " records for a table of " + Num(uint64_t{index.group_count} * kGroupWidth) +
                   " slots");
  }
  return CheckHashIndex(index, tiling, what, /*has_values=*/false, [&](uint32_t i, bool occupied) {
    const EdgeRecord& e = edges[i];
    if (!occupied) {
      return e.parent == 0 && e.child == 0 && e.label.offset == 0 && e.label.length == 0 &&
             e.prefix == 0;
    }
    return e.parent < e.child && e.child < nodes && CheckString(e.label, "").ok() &&
           e.prefix == hash_index::KeyPrefix(v_.String(e.label));
  });
}

Status Verifier::CheckWildSuffixes(const HashIndex& index, Tiling* tiling) const {
  const std::span<const WildSuffix> records = v_.wild_suffixes;
  if (records.size() != uint64_t{index.group_count} * kGroupWidth) {
    return Corrupt("section 'wild_suffixes' has " + Num(records.size()) +
                   " records for a table of " + Num(uint64_t{index.group_count} * kGroupWidth) +
                   " slots");
  }
  return CheckHashIndex(
      index, tiling, "wild_suffixes", /*has_values=*/false, [&](uint32_t i, bool occupied) {
        const WildSuffix& w = records[i];
        if (!occupied) {
          return w.set == 0 && w.labels == 0 && w.terminals.begin == 0 && w.terminals.count == 0 &&
                 w.scheme.offset == 0 && w.scheme.length == 0 && w.suffix.offset == 0 &&
                 w.suffix.length == 0;
        }
        if (!(w.set < v_.sets.size() && CheckString(w.scheme, "").ok() &&
              CheckString(w.suffix, "").ok() &&
              CheckList(w.terminals, v_.wild_terminals.size(), "").ok() && w.suffix.length >= 1 &&
              w.suffix.length <= kMaxOriginLength)) {
          return false;
        }
        const std::string_view suffix = v_.String(w.suffix);
        return w.labels == 1 + static_cast<size_t>(std::count(suffix.begin(), suffix.end(), '.'));
      });
}

Status Verifier::CheckHashTables() {
  Tiling tiling;
  const MetaRecord& m = *v_.meta;
  if (Status st = CheckWildSuffixes(m.wild_suffix_index, &tiling); !st.ok()) return st;
  if (Status st = CheckEdges(m.route_edge_index, v_.route_edges, v_.route_nodes.size(), &tiling,
                             "route_edges");
      !st.ok()) {
    return st;
  }
  for (size_t i = 0; i < v_.sets.size(); ++i) {
    const HashIndex& index = v_.sets[i].exact;
    if (Status st = CheckHashIndex(index, &tiling, "origin set " + Num(i), /*has_values=*/true,
                                   [&](uint32_t slot, bool occupied) {
                                     const uint32_t rule = v_.hash_slots[index.first_slot + slot];
                                     if (!occupied) return rule == 0;
                                     return rule < v_.rules.size() &&
                                            v_.rules[rule].kind ==
                                                static_cast<uint8_t>(OriginKind::kExact);
                                   });
        !st.ok()) {
      return st;
    }
  }
  const size_t refs = v_.string_refs.size();
  for (size_t i = 0; i < v_.routes.size(); ++i) {
    const HashIndex& index = v_.routes[i].header_index;
    if (Status st = CheckHashIndex(index, &tiling, "route " + Num(i), /*has_values=*/true,
                                   [&](uint32_t slot, bool occupied) {
                                     const uint32_t ref = v_.hash_slots[index.first_slot + slot];
                                     return occupied ? ref < refs : ref == 0;
                                   });
        !st.ok()) {
      return st;
    }
  }
  if (tiling.control != v_.hash_control.size() || tiling.slots != v_.hash_slots.size()) {
    return Corrupt(
        "sections 'hash_control' and 'hash_slots' hold bytes that belong to no "
        "hash table");
  }
  return Status::Ok();
}

Status Verifier::CheckSets() {
  for (size_t i = 0; i < v_.set_members.size(); ++i) {
    if (v_.set_members[i] >= v_.rules.size()) {
      return Corrupt("set_members[" + Num(i) + "] names rule " + Num(v_.set_members[i]) +
                     ", out of range");
    }
  }
  for (size_t i = 0; i < v_.set_regexes.size(); ++i) {
    if (v_.set_regexes[i] >= v_.regex_rules.size()) {
      return Corrupt("set_regexes[" + Num(i) + "] names regex " + Num(v_.set_regexes[i]) +
                     ", out of range");
    }
  }
  for (size_t i = 0; i < v_.sets.size(); ++i) {
    const OriginSetRecord& s = v_.sets[i];
    const std::string what = "origin set " + Num(i);
    if (Status st = CheckList(s.members, v_.set_members.size(), what + " member list"); !st.ok()) {
      return st;
    }
    if (Status st = CheckList(s.regexes, v_.set_regexes.size(), what + " regex list"); !st.ok()) {
      return st;
    }
    if (s.any_rule != kNone &&
        (s.any_rule >= v_.rules.size() ||
         v_.rules[s.any_rule].kind != static_cast<uint8_t>(OriginKind::kAny))) {
      return Corrupt(what + " names " + Num(s.any_rule) + " as its \"*\" rule");
    }
    if (s.reserved != 0 || s.reserved2 != 0) return Corrupt(what + " has reserved bits set");
    if (((s.subdomain_labels | s.host_labels) & 1) != 0) {
      return Corrupt(what + " has a wildcard label mask with bit 0 (no label) set");
    }
  }
  return Status::Ok();
}

Status Verifier::CheckWildcardTerminals() {
  for (size_t i = 0; i < v_.wild_terminals.size(); ++i) {
    const WildTerminal& t = v_.wild_terminals[i];
    const std::string what = "wild_terminals[" + Num(i) + "]";
    const bool kind_ok = t.kind == static_cast<uint8_t>(OriginKind::kHostAnyPort) ||
                         t.kind == static_cast<uint8_t>(OriginKind::kSubdomain);
    if (!kind_ok || t.rule >= v_.rules.size() || v_.rules[t.rule].kind != t.kind ||
        t.port > kAnyPort || t.reserved[0] != 0 || t.reserved[1] != 0 || t.reserved[2] != 0) {
      return Corrupt(what + " is inconsistent (rule " + Num(t.rule) + ", kind " + Num(t.kind) +
                     ", port " + Num(t.port) + ")");
    }
  }
  return Status::Ok();
}

Status Verifier::CheckRoutes() {
  uint32_t catch_all = kNone;
  for (size_t i = 0; i < v_.routes.size(); ++i) {
    const RouteRecord& r = v_.routes[i];
    const std::string what = "route " + Num(i);
    for (StringRef ref : {r.pattern, r.allow_methods_value, r.expose_headers_value, r.max_age_value,
                          r.vary_actual, r.vary_preflight}) {
      if (Status st = CheckString(ref, what); !st.ok()) return st;
    }
    if (Status st = CheckFile(r.file, what); !st.ok()) return st;
    if (r.origin_set >= v_.sets.size()) {
      return Corrupt(what + " uses origin set " + Num(r.origin_set) + ", out of range");
    }
    for (ListRef list : {r.methods, r.allow_headers, r.expose_headers}) {
      if (Status st = CheckList(list, v_.string_refs.size(), what + " list"); !st.ok()) {
        return st;
      }
    }
    if (r.max_header_name_length > kMaxHeaderNameLength) {
      return Corrupt(what + " allows header names of " + Num(r.max_header_name_length) +
                     " bytes, above the limit of " + Num(kMaxHeaderNameLength));
    }
    if ((r.flags & ~kRouteKnownFlags) != 0 || (r.standard_methods & ~kKnownMethods) != 0 ||
        r.reserved[0] != 0 || r.reserved[1] != 0 || r.reserved[2] != 0) {
      return Corrupt(what + " has unknown flags");
    }
    if ((r.flags & kRouteCatchAll) != 0) {
      if (catch_all != kNone) return Corrupt("two routes are marked catch-all");
      catch_all = static_cast<uint32_t>(i);
    }
  }
  if (catch_all != v_.meta->catch_all_route) {
    return Corrupt("the catch-all route of the header and of the routes disagree");
  }
  return Status::Ok();
}

Status Verifier::CheckRouteTrie() {
  const size_t n = v_.route_nodes.size();
  if (n == 0) return Corrupt("the route trie has no root");
  // parent[c]: the one node linking to c. Links go strictly forward, so
  // depth[c] = depth[parent[c]] + 1 can be computed in node order.
  std::vector<uint32_t> parent(n, kNone);
  auto link = [&](uint32_t from, uint32_t to, const std::string& what) -> Status {
    if (to <= from || to >= n) {
      return Corrupt(what + " links node " + Num(from) + " to " + Num(to) +
                     ", not forward within range");
    }
    if (parent[to] != kNone) return Corrupt("route node " + Num(to) + " has two parents");
    parent[to] = from;
    return Status::Ok();
  };
  for (size_t i = 0; i < n; ++i) {
    const RouteNode& node = v_.route_nodes[i];
    const std::string what = "route_nodes[" + Num(i) + "]";
    if (node.param_child != kNone) {
      if (Status st = link(static_cast<uint32_t>(i), node.param_child, what); !st.ok()) {
        return st;
      }
    }
    if ((node.end_route != kNone && node.end_route >= v_.routes.size()) ||
        (node.globstar_route != kNone && node.globstar_route >= v_.routes.size())) {
      return Corrupt(what + " names a route out of range");
    }
  }
  // Edges were checked with their table (forward, in range); an empty
  // slot holds no edge.
  const uint8_t* control = v_.hash_control.data() + v_.meta->route_edge_index.first_control;
  for (size_t i = 0; i < v_.route_edges.size(); ++i) {
    if (control[i] == kEmptyControl) continue;
    const EdgeRecord& e = v_.route_edges[i];
    if (Status st = link(e.parent, e.child, "route_edges[" + Num(i) + "]"); !st.ok()) return st;
  }
  // Each node's literal_lengths is exactly the lengths of its edges.
  std::vector<uint32_t> lengths(n, 0);
  for (size_t i = 0; i < v_.route_edges.size(); ++i) {
    if (control[i] == kEmptyControl) continue;
    const EdgeRecord& e = v_.route_edges[i];
    lengths[e.parent] |= LengthBit(e.label.length);
  }
  for (size_t i = 0; i < n; ++i) {
    if (lengths[i] != v_.route_nodes[i].literal_lengths) {
      return Corrupt("route_nodes[" + Num(i) + "] has wrong literal lengths");
    }
  }
  std::vector<uint32_t> depth(n, 0);
  for (size_t i = 1; i < n; ++i) {
    if (parent[i] == kNone) return Corrupt("route node " + Num(i) + " has no parent");
    depth[i] = depth[parent[i]] + 1;
    if (depth[i] > kMaxRouteDepth) {
      return Corrupt("the route trie is deeper than " + Num(kMaxRouteDepth));
    }
  }
  return Status::Ok();
}

// Every key of the exact-origin and wildcard tables lies where a lookup of
// its hash (origin_scan.h) finds it: its control byte is the hash's H2, and
// its group is on the hash's probe sequence before any group with an empty
// slot. A table written with other hash functions would otherwise load and
// then match nothing. An exact rule's key is computed from its text by the
// origin pass itself.
Status Verifier::CheckKeyPlacement() const {
  const uint8_t* const control = v_.hash_control.data();
  // Whether a lookup of `hash` reaches `slot`: its tag is the hash's (the
  // probe's tag match may report false positives, which a lookup's key
  // compare would catch), and the engine's own probe gets there.
  auto found = [&](const HashIndex& index, uint64_t hash, uint32_t slot) {
    return control[index.first_control + slot] == hash_index::H2(hash) &&
           hash_index::Probe(index, control, hash, [&](uint32_t i) { return i == slot; }) == slot;
  };
  const HashIndex& wild = v_.meta->wild_suffix_index;
  for (uint32_t i = 0; i < v_.wild_suffixes.size(); ++i) {
    if (control[wild.first_control + i] == kEmptyControl) continue;
    const WildSuffix& w = v_.wild_suffixes[i];
    const uint64_t hash = origin_scan::WildKey(w.set, v_.String(w.scheme), v_.String(w.suffix));
    if (!found(wild, hash, i)) {
      return Corrupt("wild_suffixes[" + Num(i) + "] is not where the hash of its key puts it");
    }
  }
  for (size_t set = 0; set < v_.sets.size(); ++set) {
    const HashIndex& index = v_.sets[set].exact;
    for (uint32_t i = 0; i < uint64_t{index.group_count} * kGroupWidth; ++i) {
      if (control[index.first_control + i] == kEmptyControl) continue;
      const std::string_view text = v_.RuleText(v_.hash_slots[index.first_slot + i]);
      origin_scan::OriginScan o;
      const origin_scan::ScanResult r = origin_scan::Prepare(text, &o);
      const bool ok = r == origin_scan::ScanResult::kNull ? found(index, origin_scan::kNullKey, i)
                      : r == origin_scan::ScanResult::kReady ? found(index, o.exact_key, i)
                                                             : false;
      if (!ok) {
        return Corrupt("origin set " + Num(set) + ": exact origin in slot " + Num(i) +
                       " is not where the hash of its text puts it");
      }
    }
  }
  return Status::Ok();
}

Status Verifier::Run() {
  if (Status st = CheckHeader(); !st.ok()) return st;
  if (Status st = CheckDirectory(); !st.ok()) return st;
  if (Status st = CheckMeta(); !st.ok()) return st;
  if (Status st = CheckRules(); !st.ok()) return st;
  if (Status st = CheckHashTables(); !st.ok()) return st;
  if (Status st = CheckSets(); !st.ok()) return st;
  if (Status st = CheckWildcardTerminals(); !st.ok()) return st;
  if (Status st = CheckRoutes(); !st.ok()) return st;
  if (Status st = CheckRouteTrie(); !st.ok()) return st;
  if (Status st = CheckKeyPlacement(); !st.ok()) return st;
  // Derived: a root with no way out (a policy of [defaults] only).
  const RouteNode& root = v_.route_nodes[0];
  v_.only_catch_all = root.param_child == kNone && root.end_route == kNone &&
                      root.globstar_route == kNone && root.literal_lengths == 0;
  return Status::Ok();
}

}  // namespace

Status VerifyTable(std::string_view bytes, TableView* view) {
  *view = TableView{};
  return Verifier(bytes, view).Run();
}

}  // namespace corsc

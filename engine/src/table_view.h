// Copyright corsc developers.
//
// TableView: typed, read-only spans over the sections of a verified table.
//
// VerifyTable() checks every rule of docs/table_format.md ("Verification")
// and only then fills a TableView; from there on, every index and offset
// the view holds is known to be in range, so the hot path reads records
// without bounds checks. A TableView does not own the bytes.

#ifndef CORSC_ENGINE_TABLE_VIEW_H_
#define CORSC_ENGINE_TABLE_VIEW_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "corsc/status.h"
#include "hash_index.h"
#include "table_format.h"

namespace corsc {

struct TableView {
  const table_format::MetaRecord* meta = nullptr;
  std::string_view strings;
  std::span<const table_format::StringRef> string_refs;
  std::span<const table_format::OriginRuleRecord> rules;
  std::span<const table_format::RuleFileRun> rule_files;
  std::span<const table_format::WildcardRuleRecord> wildcard_rules;
  std::span<const uint32_t> regex_rules;
  std::span<const table_format::OriginSetRecord> sets;
  std::span<const uint32_t> set_members;
  std::span<const uint32_t> set_regexes;
  std::span<const uint8_t> hash_control;
  std::span<const uint32_t> hash_slots;
  std::span<const table_format::WildSuffix> wild_suffixes;  // slots of meta->wild_suffix_index
  std::span<const table_format::WildTerminal> wild_terminals;
  std::span<const table_format::RouteRecord> routes;
  std::span<const table_format::RouteNode> route_nodes;
  std::span<const table_format::EdgeRecord> route_edges;  // slots of meta->route_edge_index
  // Derived at verification: the route trie's root leads nowhere, so every
  // path goes to the catch-all route (a policy of [defaults] only).
  bool only_catch_all = false;

  // REQUIRES: `ref` was verified against `strings` (every ref in a
  // verified table was).
  std::string_view String(table_format::StringRef ref) const {
    return std::string_view(strings.data() + ref.offset, ref.length);
  }
  std::string_view RuleText(uint32_t rule) const {
    const table_format::OriginRuleRecord& r = rules[rule];
    return std::string_view(strings.data() + r.text_offset, r.text_length);
  }
  // The n-th string of a list of string_refs.
  std::string_view ListString(table_format::ListRef list, uint32_t n) const {
    return String(string_refs[list.begin + n]);
  }
  // The child of `parent` along the edge labelled `label` in the trie
  // whose edge table is `index` with slots `edges`, or kNone. The label's
  // hash and prefix do not depend on the walk, so the CPU computes them
  // while the previous step's loads are in flight; most labels then
  // compare in one word against the edge's inline prefix.
  uint32_t Child(const table_format::HashIndex& index,
                 std::span<const table_format::EdgeRecord> edges, uint32_t parent,
                 std::string_view label) const noexcept {
    const uint64_t prefix = hash_index::KeyPrefix(label);
    const uint32_t slot = hash_index::Probe(
        index, hash_control.data(), hash_index::EdgeHash(parent, label, prefix), [&](uint32_t i) {
          const table_format::EdgeRecord& e = edges[i];
          return e.parent == parent && e.label.length == label.size() && e.prefix == prefix &&
                 (label.size() <= 8 || hash_index::KeyEquals(String(e.label), label));
        });
    return slot == table_format::kNone ? table_format::kNone : edges[slot].child;
  }

  // The name of a file index as stored (empty when the table has none).
  std::string_view FileName(uint32_t file) const {
    if (file >= meta->files.count) return {};
    return ListString(meta->files, file);
  }
};

// Verifies `bytes` as a table of format version kFormatVersion and fills
// *view. Returns Corruption (or NotSupported for any other format version,
// newer or older) saying what failed, and leaves *view unspecified then.
// REQUIRES: bytes.data() is 8-byte aligned and outlives *view.
Status VerifyTable(std::string_view bytes, TableView* view);

}  // namespace corsc

#endif  // CORSC_ENGINE_TABLE_VIEW_H_

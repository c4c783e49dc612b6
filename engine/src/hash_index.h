// Copyright corsc developers.
//
// The open-addressing hash tables of a decision table: exact origins (one
// table per origin set), allowed request-header names (one per route), and
// the edges of the two tries (one table each, keyed by parent node and
// label). They are built once by the table builder and read in place.
//
// Layout (a simplified "Swiss table", the design of absl::flat_hash_map):
// slots come in groups of 8, each with 8 control bytes. An empty slot's
// control byte is 0x80; an occupied one holds H2, the low 7 bits of its
// key's 64-bit hash. A slot holds a uint32_t value, the id of the record
// that has the key (a rule, a string ref, an edge); the key itself lives in
// that record, and a lookup compares it byte for byte.
//
// Probing: H1 = hash >> 7 picks the first group, g0 = H1 & (groups - 1).
// The k-th group probed is (g0 + k(k+1)/2) & (groups - 1): triangular
// steps, which visit every group of a power-of-two table exactly once in
// `groups` steps. In each group, one 64-bit load of the control bytes finds
// the slots whose H2 matches (SWAR, no SIMD needed) and whether the group
// has an empty slot. The lookup stops at the first group with an empty
// slot: the builder put every key in the first group of its sequence that
// had room, and the table never loses entries, so no key lies beyond it.
//
// The builder fills at most 7/8 of the slots, so every table has an empty
// slot and every miss stops; the loader verifies that too, and lookups
// also stop after `groups` steps whatever the bytes say.
//
// Hashes are XXH3-64 (xxHash 0.8, whose output is fixed across versions),
// with the parent node id as seed for trie edges. They are part of the
// format: a table records where each key was put.

#ifndef CORSC_ENGINE_HASH_INDEX_H_
#define CORSC_ENGINE_HASH_INDEX_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "table_format.h"

namespace corsc::hash_index {

inline uint64_t Hash(std::string_view key) noexcept {
  return XXH3_64bits(key.data(), key.size());
}

inline uint64_t HashWithParent(uint32_t parent, std::string_view key) noexcept {
  return XXH3_64bits_withSeed(key.data(), key.size(), parent);
}

// Key comparison for the short keys of these tables (labels, segments,
// header names, origins): word loads inline instead of a call to memcmp,
// whose call overhead dominates at these sizes.
inline bool KeyEquals(std::string_view a, std::string_view b) noexcept {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  auto load64 = [](const char* x) {
    uint64_t v;
    std::memcpy(&v, x, 8);
    return v;
  };
  auto load32 = [](const char* x) {
    uint32_t v;
    std::memcpy(&v, x, 4);
    return v;
  };
  if (n >= 8) {
    // 8-byte words, the last one overlapping the one before.
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (load64(p + i) != load64(q + i)) return false;
    }
    return load64(p + n - 8) == load64(q + n - 8);
  }
  if (n >= 4) return load32(p) == load32(q) && load32(p + n - 4) == load32(q + n - 4);
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

inline constexpr uint64_t kLsbs = 0x0101010101010101ull;
inline constexpr uint64_t kMsbs = 0x8080808080808080ull;

inline uint8_t H2(uint64_t hash) { return static_cast<uint8_t>(hash & 0x7f); }

// Bits 8i+7 set for the bytes of `group` that may equal `tag` (tag < 0x80).
// This is the classic "has zero byte" test on group ^ tag: it has no false
// negatives, and its rare false positives (a byte just above a true match)
// are weeded out by the key comparison. Empty bytes (0x80) never match.
inline uint64_t MatchTag(uint64_t group, uint8_t tag) {
  uint64_t x = group ^ (kLsbs * tag);
  return (x - kLsbs) & ~x & kMsbs;
}

inline uint64_t MatchEmpty(uint64_t group) { return group & kMsbs; }

inline uint64_t LoadGroup(const uint8_t* control) {
  uint64_t g;
  std::memcpy(&g, control, sizeof(g));
  return g;
}

// Looks `hash` up in the table `index`; for each candidate slot calls
// eq(value) and returns the first value for which it is true, or
// table_format::kNone. `control` and `slots` are the whole hash_control
// and hash_slots sections. REQUIRES: `index` was verified against them.
template <typename Eq>
inline uint32_t Find(const table_format::HashIndex& index, const uint8_t* control,
                     const uint32_t* slots, uint64_t hash, Eq&& eq) noexcept {
  const uint32_t groups = index.group_count;
  if (groups == 0) return table_format::kNone;
  const uint32_t mask = groups - 1;
  const uint8_t tag = H2(hash);
  uint32_t g = static_cast<uint32_t>(hash >> 7) & mask;
  for (uint32_t step = 1; step <= groups; ++step) {
    const uint32_t base = index.first_slot + g * table_format::kGroupWidth;
    const uint64_t group = LoadGroup(control + base);
    for (uint64_t m = MatchTag(group, tag); m != 0; m &= m - 1) {
      const uint32_t value = slots[base + (std::countr_zero(m) >> 3)];
      if (eq(value)) return value;
    }
    if (MatchEmpty(group) != 0) break;
    g = (g + step) & mask;
  }
  return table_format::kNone;
}

// Builds one table: appends its control bytes and slots to `control` and
// `slots` and returns its descriptor. `entries` are (hash, value) pairs
// with distinct keys, in a deterministic order (the order decides which
// slot each gets). Returns a table with group_count 0 when entries is
// empty.
struct Entry {
  uint64_t hash;
  uint32_t value;
};

// Groups needed for `n` entries at a load of at most 7/8.
inline uint32_t GroupsFor(size_t n) {
  if (n == 0) return 0;
  size_t groups = (n + 6) / 7;
  return static_cast<uint32_t>(std::bit_ceil(groups));
}

inline table_format::HashIndex Build(const std::vector<Entry>& entries,
                                     std::vector<uint8_t>* control,
                                     std::vector<uint32_t>* slots) {
  table_format::HashIndex index{};
  index.first_slot = static_cast<uint32_t>(control->size());
  index.group_count = GroupsFor(entries.size());
  index.size = static_cast<uint32_t>(entries.size());
  const size_t n_slots = size_t{index.group_count} * table_format::kGroupWidth;
  control->resize(control->size() + n_slots, table_format::kEmptyControl);
  slots->resize(slots->size() + n_slots, 0);
  if (index.group_count == 0) return index;
  uint8_t* ctrl = control->data() + index.first_slot;
  uint32_t* slot = slots->data() + index.first_slot;
  const uint32_t mask = index.group_count - 1;
  for (const Entry& e : entries) {
    uint32_t g = static_cast<uint32_t>(e.hash >> 7) & mask;
    for (uint32_t step = 1;; ++step) {
      const uint32_t base = g * table_format::kGroupWidth;
      const uint64_t empty = MatchEmpty(LoadGroup(ctrl + base));
      if (empty != 0) {
        const uint32_t i = base + (std::countr_zero(empty) >> 3);
        ctrl[i] = H2(e.hash);
        slot[i] = e.value;
        break;
      }
      g = (g + step) & mask;
    }
  }
  return index;
}

}  // namespace corsc::hash_index

#endif  // CORSC_ENGINE_HASH_INDEX_H_

// Copyright corsc developers.
//
// The open-addressing hash tables of a decision table: exact origins (one
// table per origin set), allowed request-header names (one per route), the
// wildcard keys (one table, keyed by set, scheme and host suffix) and the
// edges of the route trie (one table, keyed by parent node and segment).
// They are built once by the table builder and read in place.
//
// Layout (a simplified "Swiss table", the design of absl::flat_hash_map):
// slots come in groups of 8, each with 8 control bytes. An empty slot's
// control byte is 0x80; an occupied one holds H2, the low 7 bits of its
// key's 64-bit hash. In the exact-origin and header-name tables a slot is
// a uint32_t, the id of the record that has the key (a rule, a string
// ref); in the wildcard-key and route-edge tables the slots are the
// records themselves, which saves a dependent load per probe. Either
// way a lookup compares the key byte for byte.
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
// Header names hash with XXH3-64 (xxHash 0.8, whose output is fixed across
// versions), route edges with EdgeHash below, exact origins and wildcard
// keys with the origin pass's keys (origin_scan.h). They are part of the
// format: a table records where each key was put.

#ifndef CORSC_ENGINE_HASH_INDEX_H_
#define CORSC_ENGINE_HASH_INDEX_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "bytes.h"
#include "table_format.h"

namespace corsc::hash_index {

inline uint64_t Hash(std::string_view key) noexcept { return XXH3_64bits(key.data(), key.size()); }

// Key comparison for the short keys of these tables (labels, segments,
// header names, origins): word loads inline instead of a call to memcmp,
// whose call overhead dominates at these sizes.
inline bool KeyEquals(std::string_view a, std::string_view b) noexcept {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  using bytes::Load32;
  using bytes::Load64;
#if defined(__SSE2__)
  if (n >= 16) {
    // 16-byte blocks, the last one overlapping the one before.
    auto equal16 = [](const char* x, const char* y) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(y));
      return _mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) == 0xffff;
    };
    for (size_t i = 0; i + 16 < n; i += 16) {
      if (!equal16(p + i, q + i)) return false;
    }
    return equal16(p + n - 16, q + n - 16);
  }
#endif
  if (n >= 8) {
    // 8-byte words, the last one overlapping the one before.
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (Load64(p + i) != Load64(q + i)) return false;
    }
    return Load64(p + n - 8) == Load64(q + n - 8);
  }
  if (n >= 4) return Load32(p) == Load32(q) && Load32(p + n - 4) == Load32(q + n - 4);
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

// The first 8 bytes of `key`, zero-padded: trie edges keep their label's
// prefix inline, so most labels ("com", "example", "api", "v1") compare in
// one word without reading the string pool. Reads only key's bytes.
inline uint64_t KeyPrefix(std::string_view key) noexcept {
  const char* p = key.data();
  const size_t n = key.size();
  if (n >= 8) return bytes::Load64(p);
  if (n >= 4) {
    // The last 4 bytes overlap the first 4: shifted into place.
    return uint64_t{bytes::Load32(p)} | (uint64_t{bytes::Load32(p + n - 4)} << ((n - 4) * 8));
  }
  if (n == 0) return 0;
  // 1 to 3 bytes: first, middle and last cover them all.
  return uint64_t{static_cast<uint8_t>(p[0])} |
         (uint64_t{static_cast<uint8_t>(p[n / 2])} << (n / 2 * 8)) |
         (uint64_t{static_cast<uint8_t>(p[n - 1])} << ((n - 1) * 8));
}

// The hash of a trie edge from `parent` labelled `key`, whose KeyPrefix is
// `prefix`. Most labels and segments are at most 8 bytes long; for those
// the prefix and the length identify the key, and MurmurHash3's 64-bit
// finalizer (fmix64) of them and the parent is enough, no XXH3 call. A
// longer key contributes its XXH3-64 instead. Neither part depends on the
// parent until the final mix, so a walk computes the next label's while
// the current edge is still being loaded.
inline uint64_t EdgeHash(uint32_t parent, std::string_view key, uint64_t prefix) noexcept {
  uint64_t h =
      key.size() <= 8 ? prefix ^ (uint64_t{key.size()} << 60) : XXH3_64bits(key.data(), key.size());
  h ^= (uint64_t{parent} + 1) * 0x9e3779b97f4a7c15ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
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
  return bytes::Load64(reinterpret_cast<const char*>(control));
}

// Probes the table `index` for `hash`: calls eq(i) for each candidate
// slot i (relative to the table) until it returns true, and returns that
// i, or table_format::kNone. `control` is the whole hash_control section.
// REQUIRES: `index` was verified against it.
template <typename Eq>
[[gnu::always_inline]] inline uint32_t Probe(const table_format::HashIndex& index,
                                             const uint8_t* control, uint64_t hash,
                                             Eq&& eq) noexcept {
  const uint32_t groups = index.group_count;
  if (groups == 0) return table_format::kNone;
  const uint32_t mask = groups - 1;
  const uint8_t tag = H2(hash);
  const uint8_t* ctrl = control + index.first_control;
  uint32_t g = static_cast<uint32_t>(hash >> 7) & mask;
  for (uint32_t step = 1; step <= groups; ++step) {
    const uint32_t base = g * table_format::kGroupWidth;
    const uint64_t group = LoadGroup(ctrl + base);
    for (uint64_t m = MatchTag(group, tag); m != 0; m &= m - 1) {
      const uint32_t i = base + (static_cast<uint32_t>(std::countr_zero(m)) >> 3);
      if (eq(i)) return i;
    }
    if (MatchEmpty(group) != 0) break;
    g = (g + step) & mask;
  }
  return table_format::kNone;
}

// A table whose slots hold record ids (exact origins, header names): the
// first id for which eq(id) is true, or table_format::kNone. `slots` is the
// whole hash_slots section.
template <typename Eq>
inline uint32_t Find(const table_format::HashIndex& index, const uint8_t* control,
                     const uint32_t* slots, uint64_t hash, Eq&& eq) noexcept {
  const uint32_t* values = slots + index.first_slot;
  const uint32_t i = Probe(index, control, hash, [&](uint32_t j) { return eq(values[j]); });
  return i == table_format::kNone ? table_format::kNone : values[i];
}

// Groups needed for `n` entries at a load of at most 7/8.
inline uint32_t GroupsFor(size_t n) {
  if (n == 0) return 0;
  size_t groups = (n + 6) / 7;
  return static_cast<uint32_t>(std::bit_ceil(groups));
}

// Lays out one table for keys with the given hashes (distinct keys, in a
// deterministic order: the order decides which slot each gets): appends
// its control bytes to `control`, stores in (*positions)[k] the slot
// (relative to the table) of key k, and returns the descriptor, whose
// first_slot the caller sets. group_count is 0 when there are no keys.
inline table_format::HashIndex Place(const std::vector<uint64_t>& hashes,
                                     std::vector<uint8_t>* control,
                                     std::vector<uint32_t>* positions) {
  table_format::HashIndex index{};
  index.first_control = static_cast<uint32_t>(control->size());
  index.group_count = GroupsFor(hashes.size());
  index.size = static_cast<uint32_t>(hashes.size());
  control->resize(control->size() + size_t{index.group_count} * table_format::kGroupWidth,
                  table_format::kEmptyControl);
  positions->assign(hashes.size(), 0);
  if (index.group_count == 0) return index;
  uint8_t* ctrl = control->data() + index.first_control;
  const uint32_t mask = index.group_count - 1;
  for (size_t k = 0; k < hashes.size(); ++k) {
    uint32_t g = static_cast<uint32_t>(hashes[k] >> 7) & mask;
    for (uint32_t step = 1;; ++step) {
      const uint32_t base = g * table_format::kGroupWidth;
      const uint64_t empty = MatchEmpty(LoadGroup(ctrl + base));
      if (empty != 0) {
        const uint32_t i = base + (static_cast<uint32_t>(std::countr_zero(empty)) >> 3);
        ctrl[i] = H2(hashes[k]);
        (*positions)[k] = i;
        break;
      }
      g = (g + step) & mask;
    }
  }
  return index;
}

// A table whose slots hold record ids: Place(), then the ids go to `slots`.
struct Entry {
  uint64_t hash;
  uint32_t value;
};

inline table_format::HashIndex Build(const std::vector<Entry>& entries,
                                     std::vector<uint8_t>* control, std::vector<uint32_t>* slots) {
  std::vector<uint64_t> hashes;
  hashes.reserve(entries.size());
  for (const Entry& e : entries) hashes.push_back(e.hash);
  std::vector<uint32_t> positions;
  table_format::HashIndex index = Place(hashes, control, &positions);
  index.first_slot = static_cast<uint32_t>(slots->size());
  slots->resize(slots->size() + size_t{index.group_count} * table_format::kGroupWidth, 0);
  for (size_t k = 0; k < entries.size(); ++k) {
    (*slots)[index.first_slot + positions[k]] = entries[k].value;
  }
  return index;
}

}  // namespace corsc::hash_index

#endif  // CORSC_ENGINE_HASH_INDEX_H_

// Copyright corsc developers.
//
// The binary layout of a decision table, format version 1: the code form of
// docs/table_format.md (read that first; this header must agree with it).
//
// A table is one little-endian byte string:
//
//   [FileHeader]            64 bytes at offset 0
//   [section directory]     kSectionCount SectionEntry records, at offset 64
//   [section 1] ... [section kSectionCount]
//
// Every section is an array of fixed-size POD records (the types below) and
// starts at the first 8-byte-aligned offset after the end of the previous
// one (the first after the directory); the file ends at the first 8-byte
// boundary after the last section. Padding bytes are zero. So no byte of a
// valid table is unaccounted for, and a table has exactly one encoding.
//
// The loader copies the bytes into an 8-byte-aligned buffer, verifies them
// (table_reader.cc) and then reads the records in place through typed
// spans: the verified buffer is the in-memory table. The records therefore
// use natural alignment, explicit padding fields and no pointers.
//
// NOTE: everything in this file is part of the persistent format. Changing
// the meaning of a field, a record size or a section means a new
// kFormatVersion.

#ifndef CORSC_ENGINE_TABLE_FORMAT_H_
#define CORSC_ENGINE_TABLE_FORMAT_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "corsc/table_spec.h"

namespace corsc::table_format {

// Records are read in place, so the host must lay out integers the way the
// file does.
static_assert(std::endian::native == std::endian::little,
              "corsc tables are little-endian and read in place");

// kMagic was picked by running
//     printf 'corsc decision table' | sha1sum
// and taking the leading 64 bits (c6021fe6 52fafbf2). Stored little-endian,
// a table file therefore begins with the bytes f2 fb fa 52 e6 1f 02 c6.
inline constexpr uint64_t kMagic = 0xc6021fe652fafbf2ull;

// The version this build writes and reads. Readers refuse any other:
// 0 as Corruption, a larger or a smaller one with NotSupported.
// 2: exact and wildcard keys hashed by the origin pass (origin_scan.h).
inline constexpr uint32_t kFormatVersion = 2;

// Sections start at multiples of kAlignment: the largest alignment of any
// record field (uint64_t in FileHeader and SectionEntry).
inline constexpr size_t kAlignment = 8;

// "No such thing" in every uint32_t index field (rule, route, node, edge).
inline constexpr uint32_t kNone = 0xffffffffu;

// ---------------------------------------------------------------------------
// Limits. Each one bounds something the hot path does on a stack buffer or a
// loop; BuildTable() refuses a TableSpec beyond them (InvalidArgument) and
// Open() refuses a table beyond them (Corruption).

// Rule text (an origin, a regex source) is at most this long: the length is
// a uint16_t in OriginRuleRecord. An origin is at most 512 bytes
// (kMaxOriginLength); 64 KiB of regex is far beyond any sensible policy.
inline constexpr size_t kMaxRuleTextLength = 0xffff;

// A route pattern has at most this many segments before an optional final
// "**". The route trie is that deep at most, and Evaluate() walks it with a
// fixed stack of kMaxRouteDepth + 1 frames (24 bytes each, 1.5 KiB).
inline constexpr uint32_t kMaxRouteDepth = 64;

// An allow_headers name is at most this long. Evaluate() lower-cases each
// requested name into a stack buffer of this size before the hash lookup;
// longer requested names cannot be allowed and are not looked up.
inline constexpr size_t kMaxHeaderNameLength = 256;

// The compiler reports a policy beyond these limits by the public names.
static_assert(kMaxRuleTextLength == kMaxOriginRuleTextLength);
static_assert(kMaxRouteDepth == kMaxRouteSegments);
static_assert(kMaxHeaderNameLength == kMaxAllowHeaderNameLength);

// A hash table has at most 2^24 groups (2^27 slots, room for 7 * 2^24
// entries at the maximum load of 7/8): more than any policy needs, and
// small enough that slot arithmetic stays well inside uint32_t.
inline constexpr uint32_t kMaxHashGroups = 1u << 24;

// ---------------------------------------------------------------------------
// File header and section directory.

struct FileHeader {
  uint64_t magic;           // == kMagic
  uint32_t format_version;  // == kFormatVersion
  uint32_t header_size;     // == sizeof(FileHeader)
  uint64_t file_size;       // == the table's length in bytes
  // XXH3-64 (seed 0) of the whole file, with these 8 bytes read as zero.
  uint64_t checksum;
  uint32_t section_count;  // == kSectionCount
  uint32_t flags;          // == 0 in version 1
  uint64_t reserved[3];    // == 0
};
static_assert(sizeof(FileHeader) == 64);
inline constexpr size_t kChecksumOffset = offsetof(FileHeader, checksum);

struct SectionEntry {
  uint32_t id;           // SectionId; entry i has id i + 1
  uint32_t record_size;  // == the record size of that section, below
  uint64_t offset;       // byte offset of the first record
  uint64_t count;        // number of records
};
static_assert(sizeof(SectionEntry) == 24);

// NOTE: ids and order are fixed in version 1; every section is present,
// possibly with zero records.
enum class SectionId : uint32_t {
  kMeta = 1,            // MetaRecord, exactly one
  kStrings = 2,         // char: the string pool
  kStringRefs = 3,      // StringRef: string lists (files, methods, headers)
  kOriginRules = 4,     // OriginRuleRecord, indexed by RuleId
  kRuleFiles = 5,       // RuleFileRun: file of each origin rule, run-length
  kWildcardRules = 6,   // WildcardRuleRecord: parts of wildcard rules
  kRegexRules = 7,      // uint32_t rule id, indexed by regex ordinal
  kOriginSets = 8,      // OriginSetRecord
  kSetMembers = 9,      // uint32_t rule ids of the sets, in list order
  kSetRegexes = 10,     // uint32_t regex ordinals of the sets, in list order
  kHashControl = 11,    // uint8_t control bytes of every hash table
  kHashSlots = 12,      // uint32_t slots of every hash table
  kWildSuffixes = 13,   // WildSuffix: (set, scheme, host suffix) keys, in hash slots
  kWildTerminals = 14,  // WildTerminal: wildcard rules of a key
  kRoutes = 15,         // RouteRecord, indexed by route id
  kRouteNodes = 16,     // RouteNode: path-segment trie nodes
  kRouteEdges = 17,     // EdgeRecord: literal path-segment edges, in hash slots
};
inline constexpr uint32_t kSectionCount = 17;

// XXH3-64 (seed 0) of `bytes` with the checksum field (bytes 24 to 31)
// read as zero: the value of FileHeader::checksum.
// REQUIRES: bytes.size() >= sizeof(FileHeader).
uint64_t FileChecksum(std::string_view bytes);

// "meta", "strings", ...: used in Corruption messages and the docs.
std::string_view SectionName(SectionId id);
// The record size of a section in version 1.
uint32_t SectionRecordSize(SectionId id);

// ---------------------------------------------------------------------------
// Building blocks.

// A byte range of the string pool. Strings are not NUL-terminated.
struct StringRef {
  uint32_t offset;
  uint32_t length;
};
static_assert(sizeof(StringRef) == 8);

// A range of records of some section: [begin, begin + count).
struct ListRef {
  uint32_t begin;
  uint32_t count;
};
static_assert(sizeof(ListRef) == 8);

// An open-addressing hash table (see hash_index.h for the algorithm) of
// 8 * group_count slots; group_count is 0 (an empty table: every lookup
// misses) or a power of two. Slot i's control byte is
// hash_control[first_control + i]. In the exact-origin and header-name
// tables, slot i's value is hash_slots[first_slot + i], a record id; the
// route-edge and wildcard-suffix tables have no values there (first_slot
// is 0): their slot i is record i of their section. Tables tile hash_control in a
// fixed order (MetaRecord's two, then each set's, then each route's), and
// the tables with values tile hash_slots in the same order.
struct HashIndex {
  uint32_t first_control;
  uint32_t first_slot;
  uint32_t group_count;
  uint32_t size;  // occupied slots
};
static_assert(sizeof(HashIndex) == 16);

// Control byte of an empty slot. An occupied slot's control byte is the low
// 7 bits of its key's hash, so it is below kEmptyControl.
inline constexpr uint8_t kEmptyControl = 0x80;
inline constexpr uint32_t kGroupWidth = 8;

// ---------------------------------------------------------------------------
// Records.

struct MetaRecord {
  StringRef policy_name;
  StringRef profile;
  ListRef files;                // into string_refs
  uint32_t strategy;            // corsc::Strategy
  uint32_t catch_all_route;     // route id, or kNone
  HashIndex wild_suffix_index;  // (set, scheme, suffix): slots are wild_suffixes
  HashIndex route_edge_index;   // (parent node, segment): slots are route_edges
};
static_assert(sizeof(MetaRecord) == 64);

// One origin pattern. kExact: text is the canonical origin (or "null") and
// the scheme, host and port are parsed back from it. kHostAnyPort and
// kSubdomain: the parts are in a WildcardRuleRecord. kRegex: text is the RE2
// source; regex_rules gives its ordinal.
struct OriginRuleRecord {
  uint32_t text_offset;  // into strings
  uint16_t text_length;  // <= kMaxRuleTextLength
  uint8_t kind;          // corsc::OriginKind
  uint8_t reserved;      // == 0
  uint32_t line;
  uint32_t column;
};
static_assert(sizeof(OriginRuleRecord) == 16);

// The file of rules [first_rule, next run's first_rule) (or to the end).
// Runs are sorted by first_rule, the first starts at rule 0, and two
// consecutive runs have different files.
struct RuleFileRun {
  uint32_t first_rule;
  uint32_t file;  // index into MetaRecord::files (0 when files is empty)
};
static_assert(sizeof(RuleFileRun) == 8);

// The parts of a kHostAnyPort or kSubdomain rule, for Describe(). One per
// such rule, sorted by rule id.
struct WildcardRuleRecord {
  uint32_t rule;
  uint32_t port;  // 0..65535, corsc::kNoPort or corsc::kAnyPort
  StringRef scheme;
  StringRef host;  // kSubdomain: the suffix below "*."
};
static_assert(sizeof(WildcardRuleRecord) == 24);

// Bit min(labels, 63) of a label mask: a host suffix of that many labels.
inline constexpr uint64_t LabelBit(size_t labels) {
  return uint64_t{1} << (labels < 63 ? labels : 63);
}

struct OriginSetRecord {
  ListRef members;    // into set_members: the list as given
  uint32_t any_rule;  // the first kAny member, or kNone
  uint32_t reserved;  // == 0
  HashIndex exact;    // origin text -> kExact rule id (first in list order)
  ListRef regexes;    // into set_regexes: regex ordinals in list order
  // The label counts of the set's wildcard keys (LabelBit): the suffixes
  // below "*." of its kSubdomain rules, and the hosts of its kHostAnyPort
  // rules; both 0: the set has no wildcard rule. Evaluate() reads them for
  // that alone: the matcher probes at the byte lengths of the set's keys,
  // noted at load time (origin_matcher.cc). The reader checks them.
  uint64_t subdomain_labels;
  uint64_t host_labels;
  uint64_t reserved2;  // == 0
};
static_assert(sizeof(OriginSetRecord) == 64);

// The wildcard rules of one set for one scheme and one host suffix: a
// slot of the meta.wild_suffix_index table (the wild_suffixes section
// holds 8 * group_count records; an empty slot's record is all zero). The
// key is (set, scheme, suffix); see origin_scan::WildKey.
struct WildSuffix {
  uint32_t set;
  uint32_t labels;    // labels of `suffix`, >= 1
  ListRef terminals;  // into wild_terminals; sorted by precedence (D1)
  StringRef scheme;
  StringRef suffix;  // kSubdomain: the host below "*."; kHostAnyPort: the host
};
static_assert(sizeof(WildSuffix) == 32);

// A wildcard rule of a WildSuffix. In each list the terminals come as:
// kHostAnyPort ones, then kSubdomain ones with an explicit port or none,
// then kSubdomain ones with kAnyPort; within each group, list order.
struct WildTerminal {
  uint32_t rule;
  uint32_t port;  // kHostAnyPort: kAnyPort
  uint8_t kind;   // kHostAnyPort or kSubdomain
  uint8_t reserved[3];
};
static_assert(sizeof(WildTerminal) == 12);

// A trie edge of the route trie, in a slot of its table (the route_edges
// section holds 8 * group_count records; an empty slot's record is all
// zero).
struct EdgeRecord {
  uint32_t parent;
  uint32_t child;   // > parent: walks only go forward
  StringRef label;  // a path segment
  uint64_t prefix;  // hash_index::KeyPrefix(label): its first 8 bytes, zero-padded
};
static_assert(sizeof(EdgeRecord) == 24);

// Route flags.
inline constexpr uint8_t kRouteCatchAll = 1 << 0;
inline constexpr uint8_t kRouteCredentials = 1 << 1;
inline constexpr uint8_t kRoutePrivateNetwork = 1 << 2;
inline constexpr uint8_t kRouteHasMaxAge = 1 << 3;
inline constexpr uint8_t kRouteAnyMethod = 1 << 4;  // methods holds "*"
inline constexpr uint8_t kRouteAnyHeader = 1 << 5;  // allow_headers holds "*"
inline constexpr uint8_t kRouteKnownFlags = (1 << 6) - 1;

// Bits of RouteRecord::standard_methods: the methods that match
// case-insensitively (policy-language spec, "methods").
inline constexpr uint8_t kMethodGet = 1 << 0;
inline constexpr uint8_t kMethodHead = 1 << 1;
inline constexpr uint8_t kMethodPost = 1 << 2;
inline constexpr uint8_t kMethodPut = 1 << 3;
inline constexpr uint8_t kMethodDelete = 1 << 4;
inline constexpr uint8_t kMethodOptions = 1 << 5;
inline constexpr uint8_t kKnownMethods = (1 << 6) - 1;

struct RouteRecord {
  StringRef pattern;
  uint32_t file;
  uint32_t line;
  uint32_t column;
  uint32_t origin_set;
  ListRef methods;         // into string_refs, as configured
  ListRef allow_headers;   // into string_refs, lower case
  ListRef expose_headers;  // into string_refs, as written
  HashIndex header_index;  // lower-case name -> string_refs index
  // Pre-rendered header values (empty StringRef: not sent).
  StringRef allow_methods_value;   // methods joined with ", "
  StringRef expose_headers_value;  // expose_headers joined with ", "
  StringRef max_age_value;         // decimal max_age when set
  StringRef vary_actual;           // Vary of an actual request
  StringRef vary_preflight;        // Vary of a preflight
  uint32_t max_age;
  uint32_t max_header_name_length;  // longest allow_headers name
  uint16_t preflight_status;
  uint8_t standard_methods;  // kMethod* bits
  uint8_t flags;             // kRoute* bits
  uint32_t reserved[3];      // == 0
};
static_assert(sizeof(RouteRecord) == 128);

// Path-segment trie of the route patterns. Node 0 is the root.
inline constexpr uint32_t LengthBit(size_t length) {
  return uint32_t{1} << (length < 31 ? length : 31);
}

struct RouteNode {
  uint32_t param_child;     // child through "{name}" / "*", or kNone
  uint32_t end_route;       // route whose pattern ends here, or kNone
  uint32_t globstar_route;  // route whose pattern is this prefix + "/**"
  // Bit min(length, 31) is set for each literal edge leaving this node: a
  // segment whose length has no bit set needs no probe (0: no literal
  // edges at all).
  uint32_t literal_lengths;
};
static_assert(sizeof(RouteNode) == 16);

}  // namespace corsc::table_format

#endif  // CORSC_ENGINE_TABLE_FORMAT_H_

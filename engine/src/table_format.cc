// Copyright corsc developers.
//
// Section names and record sizes of format version 1, and the file
// checksum. See table_format.h and docs/table_format.md.

#include "table_format.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace corsc::table_format {

std::string_view SectionName(SectionId id) {
  switch (id) {
    case SectionId::kMeta:
      return "meta";
    case SectionId::kStrings:
      return "strings";
    case SectionId::kStringRefs:
      return "string_refs";
    case SectionId::kOriginRules:
      return "origin_rules";
    case SectionId::kRuleFiles:
      return "rule_files";
    case SectionId::kWildcardRules:
      return "wildcard_rules";
    case SectionId::kRegexRules:
      return "regex_rules";
    case SectionId::kOriginSets:
      return "origin_sets";
    case SectionId::kSetMembers:
      return "set_members";
    case SectionId::kSetRegexes:
      return "set_regexes";
    case SectionId::kHashControl:
      return "hash_control";
    case SectionId::kHashSlots:
      return "hash_slots";
    case SectionId::kWildSuffixes:
      return "wild_suffixes";
    case SectionId::kWildTerminals:
      return "wild_terminals";
    case SectionId::kRoutes:
      return "routes";
    case SectionId::kRouteNodes:
      return "route_nodes";
    case SectionId::kRouteEdges:
      return "route_edges";
  }
  return "?";
}

uint32_t SectionRecordSize(SectionId id) {
  switch (id) {
    case SectionId::kMeta:
      return sizeof(MetaRecord);
    case SectionId::kStrings:
      return 1;
    case SectionId::kStringRefs:
      return sizeof(StringRef);
    case SectionId::kOriginRules:
      return sizeof(OriginRuleRecord);
    case SectionId::kRuleFiles:
      return sizeof(RuleFileRun);
    case SectionId::kWildcardRules:
      return sizeof(WildcardRuleRecord);
    case SectionId::kRegexRules:
      return sizeof(uint32_t);
    case SectionId::kOriginSets:
      return sizeof(OriginSetRecord);
    case SectionId::kSetMembers:
      return sizeof(uint32_t);
    case SectionId::kSetRegexes:
      return sizeof(uint32_t);
    case SectionId::kHashControl:
      return 1;
    case SectionId::kHashSlots:
      return sizeof(uint32_t);
    case SectionId::kWildSuffixes:
      return sizeof(WildSuffix);
    case SectionId::kWildTerminals:
      return sizeof(WildTerminal);
    case SectionId::kRoutes:
      return sizeof(RouteRecord);
    case SectionId::kRouteNodes:
      return sizeof(RouteNode);
    case SectionId::kRouteEdges:
      return sizeof(EdgeRecord);
  }
  return 0;
}

uint64_t FileChecksum(std::string_view bytes) {
  // XXH3-64 of the file with the checksum field read as zero, streamed so
  // that neither the builder nor the loader has to modify the bytes.
  static constexpr char kZero[8] = {};
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  XXH3_64bits_update(&state, bytes.data(), kChecksumOffset);
  XXH3_64bits_update(&state, kZero, sizeof(kZero));
  XXH3_64bits_update(&state, bytes.data() + kChecksumOffset + 8,
                     bytes.size() - kChecksumOffset - 8);
  return XXH3_64bits_digest(&state);
}

}  // namespace corsc::table_format

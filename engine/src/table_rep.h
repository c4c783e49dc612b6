// Copyright corsc developers.
//
// CompiledTable::Rep: what a loaded table is made of. Shared by table.cc
// (loading, description) and evaluate.cc (the hot path).

#ifndef CORSC_ENGINE_TABLE_REP_H_
#define CORSC_ENGINE_TABLE_REP_H_

#include <cstdint>
#include <memory>

#include "corsc/table.h"
#include "origin_matcher.h"
#include "table_view.h"

namespace corsc {

struct CompiledTable::Rep {
  // The table's bytes, 8-byte aligned: the records are read in place.
  std::unique_ptr<uint64_t[]> buffer;
  size_t size = 0;
  // Typed spans into `buffer`, verified.
  TableView view;
  // Strategy::kTable: the built-in matcher, called directly. Otherwise
  // `other_matcher` is set and called through its vtable.
  std::unique_ptr<TableOriginMatcher> table_matcher;
  std::unique_ptr<OriginMatcher> other_matcher;
  TableStats stats;

  RuleId MatchOrigin(uint32_t set, std::string_view origin) const noexcept {
    if (other_matcher != nullptr) return other_matcher->Match(set, origin);
    return table_matcher->Match(set, origin);
  }
};

}  // namespace corsc

#endif  // CORSC_ENGINE_TABLE_REP_H_

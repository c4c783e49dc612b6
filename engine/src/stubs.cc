// Copyright corsc developers.
//
// TEMPORARY: placeholders so that the tree links while the table format,
// Evaluate() and Engine are written. Every function fails loudly; this file
// goes away when engine/src/table.cc, evaluate.cc and engine.cc land.

#include "corsc/engine.h"
#include "corsc/table.h"

namespace corsc {

struct CompiledTable::Rep {};

Result<std::string> BuildTable(const TableSpec&) {
  return Status::NotSupported("table builder not implemented yet");
}

Result<std::shared_ptr<const CompiledTable>> CompiledTable::Open(std::string_view,
                                                                const OpenOptions&) {
  return Status::NotSupported("table loading not implemented yet");
}

Result<std::shared_ptr<const CompiledTable>> CompiledTable::FromSpec(const TableSpec&,
                                                                    const OpenOptions&) {
  return Status::NotSupported("table loading not implemented yet");
}

CompiledTable::CompiledTable(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
CompiledTable::~CompiledTable() = default;
Decision CompiledTable::Evaluate(const Request&) const noexcept { return Decision{}; }
RuleInfo CompiledTable::route_info(RuleId) const { return {}; }
RuleInfo CompiledTable::origin_rule_info(RuleId) const { return {}; }
TableSpec CompiledTable::Describe() const { return {}; }
std::string_view CompiledTable::bytes() const { return {}; }
TableStats CompiledTable::stats() const { return {}; }
Strategy CompiledTable::strategy() const { return Strategy::kTable; }
std::string_view CompiledTable::policy_name() const { return {}; }
std::string_view CompiledTable::profile() const { return {}; }

std::string_view StrategyName(Strategy) { return "table"; }
std::optional<Strategy> ParseStrategy(std::string_view) { return std::nullopt; }

}  // namespace corsc

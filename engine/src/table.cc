// Copyright corsc developers.
//
// CompiledTable: loading (Open, FromSpec), and reading a table back
// (Describe, route_info, origin_rule_info, stats). Evaluate() is in
// evaluate.cc.
//
// Open copies the bytes into an 8-byte-aligned buffer, verifies them
// (table_reader.cc) and keeps the typed view over them: nothing is rebuilt
// at load time except what cannot be stored, the compiled RE2 programs of
// regex origins (RE2 cannot serialize them).

#include "corsc/table.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "corsc/origin.h"
#include "table_format.h"
#include "table_rep.h"

namespace corsc {

using table_format::kNone;

namespace {

constexpr std::array<std::pair<Strategy, std::string_view>, 4> kStrategyNames{{
    {Strategy::kTable, "table"},
    {Strategy::kRe2Set, "re2set"},
    {Strategy::kLinear, "linear"},
    {Strategy::kNaive, "naive"},
}};

std::vector<std::string> StringList(const TableView& t, table_format::ListRef list) {
  std::vector<std::string> out;
  out.reserve(list.count);
  for (uint32_t i = 0; i < list.count; ++i) out.emplace_back(t.ListString(list, i));
  return out;
}

}  // namespace

std::string_view StrategyName(Strategy s) {
  for (const auto& [strategy, name] : kStrategyNames) {
    if (strategy == s) return name;
  }
  return "?";
}

std::optional<Strategy> ParseStrategy(std::string_view name) {
  for (const auto& [strategy, n] : kStrategyNames) {
    if (n == name) return strategy;
  }
  return std::nullopt;
}

CompiledTable::CompiledTable(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
CompiledTable::~CompiledTable() = default;

Result<std::shared_ptr<const CompiledTable>> CompiledTable::Open(std::string_view bytes,
                                                                 const OpenOptions& options) {
  auto rep = std::make_unique<Rep>();
  rep->size = bytes.size();
  rep->buffer = std::make_unique_for_overwrite<uint64_t[]>((bytes.size() + 7) / 8 + 1);
  if (!bytes.empty()) std::memcpy(rep->buffer.get(), bytes.data(), bytes.size());
  const std::string_view own(reinterpret_cast<const char*>(rep->buffer.get()), rep->size);
  if (Status st = VerifyTable(own, &rep->view); !st.ok()) return st;

  const TableView& t = rep->view;
  const auto strategy = static_cast<Strategy>(t.meta->strategy);
  if (strategy == Strategy::kTable) {
    auto matcher = TableOriginMatcher::Create(t, options);
    if (!matcher.ok()) return matcher.status();
    rep->table_matcher = std::move(matcher).value();
  } else {
    auto matcher = NewOriginMatcher(strategy, t, options);
    if (!matcher.ok()) return matcher.status();
    rep->other_matcher = std::move(matcher).value();
  }

  TableStats& s = rep->stats;
  s.routes = static_cast<uint32_t>(t.routes.size());
  s.origin_rules = static_cast<uint32_t>(t.rules.size());
  for (const table_format::OriginRuleRecord& r : t.rules) {
    switch (static_cast<OriginKind>(r.kind)) {
      case OriginKind::kExact:
        ++s.exact_origins;
        break;
      case OriginKind::kHostAnyPort:
      case OriginKind::kSubdomain:
        ++s.wildcard_origins;
        break;
      case OriginKind::kRegex:
        ++s.regex_origins;
        break;
      case OriginKind::kAny:
        break;
    }
  }
  s.bytes = rep->size;
  return std::shared_ptr<const CompiledTable>(new CompiledTable(std::move(rep)));
}

Result<std::shared_ptr<const CompiledTable>> CompiledTable::FromSpec(const TableSpec& spec,
                                                                     const OpenOptions& options) {
  Result<std::string> bytes = BuildTable(spec);
  if (!bytes.ok()) return bytes.status();
  return Open(*bytes, options);
}

RuleInfo CompiledTable::route_info(RuleId id) const {
  const TableView& t = rep_->view;
  if (id >= t.routes.size()) return {};
  const table_format::RouteRecord& r = t.routes[id];
  return RuleInfo{t.String(r.pattern), t.FileName(r.file), r.line, r.column};
}

RuleInfo CompiledTable::origin_rule_info(RuleId id) const {
  const TableView& t = rep_->view;
  if (id >= t.rules.size()) return {};
  const table_format::OriginRuleRecord& r = t.rules[id];
  // The run whose first_rule is the last one <= id.
  auto run = std::upper_bound(
      t.rule_files.begin(), t.rule_files.end(), id,
      [](uint32_t rule, const table_format::RuleFileRun& f) { return rule < f.first_rule; });
  const uint32_t file = run == t.rule_files.begin() ? 0 : std::prev(run)->file;
  return RuleInfo{t.RuleText(id), t.FileName(file), r.line, r.column};
}

TableSpec CompiledTable::Describe() const {
  const TableView& t = rep_->view;
  TableSpec spec;
  spec.policy_name = std::string(t.String(t.meta->policy_name));
  spec.profile = std::string(t.String(t.meta->profile));
  spec.strategy = static_cast<Strategy>(t.meta->strategy);
  spec.files = StringList(t, t.meta->files);

  spec.origin_rules.resize(t.rules.size());
  size_t run = 0;
  size_t wildcard = 0;
  for (uint32_t i = 0; i < t.rules.size(); ++i) {
    const table_format::OriginRuleRecord& r = t.rules[i];
    OriginRuleSpec& out = spec.origin_rules[i];
    out.kind = static_cast<OriginKind>(r.kind);
    out.text = std::string(t.RuleText(i));
    while (run + 1 < t.rule_files.size() && t.rule_files[run + 1].first_rule <= i) ++run;
    out.where = SourceLocation{t.rule_files.empty() ? 0 : t.rule_files[run].file, r.line, r.column};
    if (out.kind == OriginKind::kExact) {
      if (std::optional<OriginParts> parts = ParseCanonicalOrigin(out.text)) {
        out.scheme = std::string(parts->scheme);
        out.host = std::string(parts->host);
        out.port = parts->port;
      }
    } else if (out.kind == OriginKind::kHostAnyPort || out.kind == OriginKind::kSubdomain) {
      // wildcard_rules is sorted by rule id and has one record per
      // wildcard rule (verified), so it is walked in step.
      const table_format::WildcardRuleRecord& w = t.wildcard_rules[wildcard++];
      out.scheme = std::string(t.String(w.scheme));
      out.host = std::string(t.String(w.host));
      out.port = w.port;
    }
  }

  spec.origin_sets.resize(t.sets.size());
  for (size_t i = 0; i < t.sets.size(); ++i) {
    const table_format::ListRef m = t.sets[i].members;
    spec.origin_sets[i].rules.assign(t.set_members.begin() + m.begin,
                                     t.set_members.begin() + m.begin + m.count);
  }

  spec.routes.resize(t.routes.size());
  for (size_t i = 0; i < t.routes.size(); ++i) {
    const table_format::RouteRecord& r = t.routes[i];
    RouteSpec& out = spec.routes[i];
    out.pattern = std::string(t.String(r.pattern));
    out.catch_all = (r.flags & table_format::kRouteCatchAll) != 0;
    out.where = SourceLocation{r.file, r.line, r.column};
    out.origin_set = r.origin_set;
    out.methods = StringList(t, r.methods);
    out.allow_headers = StringList(t, r.allow_headers);
    out.expose_headers = StringList(t, r.expose_headers);
    out.credentials = (r.flags & table_format::kRouteCredentials) != 0;
    if ((r.flags & table_format::kRouteHasMaxAge) != 0) out.max_age = r.max_age;
    out.private_network = (r.flags & table_format::kRoutePrivateNetwork) != 0;
    out.preflight_status = r.preflight_status;
  }
  return spec;
}

std::string_view CompiledTable::bytes() const {
  return std::string_view(reinterpret_cast<const char*>(rep_->buffer.get()), rep_->size);
}

TableStats CompiledTable::stats() const { return rep_->stats; }

Strategy CompiledTable::strategy() const {
  return static_cast<Strategy>(rep_->view.meta->strategy);
}

std::string_view CompiledTable::policy_name() const {
  return rep_->view.String(rep_->view.meta->policy_name);
}

std::string_view CompiledTable::profile() const {
  return rep_->view.String(rep_->view.meta->profile);
}

}  // namespace corsc

// Copyright corsc developers.
//
// Stage 5, lower: a ResolvedPolicy to the TableSpec the engine builds a
// table from (corsc/table_spec.h).
//
//   origin_rules  one rule per written pattern occurrence: a pattern that
//                 many routes inherit from [defaults] is one rule, so that
//                 explanations point at the one place it was written; the
//                 same text written at two places is two rules.
//   origin_sets   one set per distinct list of rules, in list order; routes
//                 that inherit one list share one set.
//   routes        the routes in policy order, then the catch-all route.
//
// The output depends only on the input (ordered maps, no addresses), so the
// same policy always gives the same spec and the same table bytes.

#include <map>
#include <tuple>

#include "corsc/compiler.h"

namespace corsc {
namespace {

class Lowering {
 public:
  Lowering(const ResolvedPolicy& policy, TableSpec* spec) : spec_(spec) {
    for (const std::string& file : policy.files) {
      file_index_.emplace(file, static_cast<uint32_t>(file_index_.size()));
    }
  }

  void AddRoute(const EffectiveRoute& route) {
    RouteSpec r;
    r.pattern = route.path;
    r.catch_all = route.catch_all;
    r.where = Location(route.where);
    r.origin_set = OriginSet(route.origins.value);
    for (const Sourced<std::string>& m : route.methods.value) r.methods.push_back(m.value);
    for (const Sourced<std::string>& h : route.allow_headers.value) {
      r.allow_headers.push_back(h.value);
    }
    for (const Sourced<std::string>& h : route.expose_headers.value) {
      r.expose_headers.push_back(h.value);
    }
    r.credentials = route.credentials.value;
    r.max_age = route.max_age.value;
    r.private_network = route.private_network.value;
    r.preflight_status = route.preflight_status.value;
    spec_->routes.push_back(std::move(r));
  }

 private:
  SourceLocation Location(const SourceRange& where) {
    SourceLocation loc;
    auto it = file_index_.find(where.file);
    if (it == file_index_.end() && !where.file.empty()) {
      // A place in a file the policy does not list (not expected): list it.
      it = file_index_.emplace(where.file, static_cast<uint32_t>(file_index_.size())).first;
      spec_->files.push_back(where.file);
    }
    loc.file = it == file_index_.end() ? 0 : it->second;
    loc.line = where.line;
    loc.column = where.column;
    return loc;
  }

  RuleId Rule(const OriginPattern& p) {
    auto key = std::make_tuple(p.where.file, p.where.line, p.where.column, static_cast<int>(p.kind),
                               p.canonical);
    auto [it, inserted] =
        rule_ids_.emplace(std::move(key), static_cast<RuleId>(spec_->origin_rules.size()));
    if (inserted) {
      OriginRuleSpec rule;
      rule.kind = p.kind;
      rule.text = p.canonical;
      rule.scheme = p.scheme;
      rule.host = p.host;
      rule.port = p.port;
      rule.where = Location(p.where);
      spec_->origin_rules.push_back(std::move(rule));
    }
    return it->second;
  }

  uint32_t OriginSet(const OriginList& patterns) {
    // Routes that inherit one list share it: lower it once.
    auto known = set_of_list_.find(patterns.id());
    if (known != set_of_list_.end()) return known->second;
    std::vector<RuleId> rules;
    rules.reserve(patterns.size());
    for (const OriginPattern& p : patterns) rules.push_back(Rule(p));
    auto [it, inserted] = set_ids_.emplace(rules, static_cast<uint32_t>(spec_->origin_sets.size()));
    if (inserted) spec_->origin_sets.push_back(OriginSetSpec{std::move(rules)});
    set_of_list_.emplace(patterns.id(), it->second);
    return it->second;
  }

  TableSpec* spec_;
  std::map<std::string, uint32_t> file_index_;
  std::map<std::tuple<std::string, uint32_t, uint32_t, int, std::string>, RuleId> rule_ids_;
  std::map<std::vector<RuleId>, uint32_t> set_ids_;
  // Lists already lowered, by identity (the ids do not reach the output).
  std::map<const void*, uint32_t> set_of_list_;
};

}  // namespace

TableSpec Lower(const ResolvedPolicy& policy, Strategy strategy) {
  TableSpec spec;
  spec.policy_name = policy.name;
  spec.profile = policy.profile;
  spec.strategy = strategy;
  spec.files = policy.files;
  Lowering lowering(policy, &spec);
  for (const EffectiveRoute& route : policy.routes) lowering.AddRoute(route);
  if (policy.catch_all) lowering.AddRoute(*policy.catch_all);
  return spec;
}

}  // namespace corsc

// Copyright corsc developers.
//
// Stage 2, resolve: profiles, inheritance and `origins.add`.
//
// Every field of a route is the value of the last layer that gives it, the
// layers being, in order:
//
//   1. the language's defaults (methods GET, HEAD, POST; credentials false;
//      preflight_status 204; everything else empty or unset);
//   2. [defaults] (the first file's, when two files have one: CORS005);
//   3. [profiles.P.defaults] of the selected profile P;
//   4. the route itself;
//   5. the [[profiles.P.routes]] entry of the same shape, if any
//      (decision D10; a profile route of a new shape is a new route that
//      starts from layer 3).
//
// `origins` replaces the list so far; `origins.add` appends to it, and
// makes the list when there is none yet (D6). So the list order is the
// route's own list or the defaults' list, then the profile's origins.add,
// then the route's origins.add (D1). Each value keeps the key that set it,
// for diagnostics and explanations.
//
// The catch-all route "[defaults]" (D9) exists when [defaults] has an
// `origins` key, or when the selected profile's defaults set `origins`
// (a whole list); `origins.add` alone extends lists but opens no path
// (decision D19).

#include "resolve.h"

#include <algorithm>
#include <map>
#include <set>

#include "diagnostic_util.h"
#include "text.h"

namespace corsc {
namespace {

void AppendPatterns(const ast::OriginList& list, std::vector<OriginPattern>* out) {
  for (const ast::OriginEntry& entry : list.entries) {
    if (entry.pattern) out->push_back(*entry.pattern);
  }
}

// Lays the fields `f` gives over `r`. A route that only inherits keeps the
// inherited OriginList (shared); `origins` and `origins.add` make new ones.
void Overlay(const ast::Fields& f, EffectiveRoute* r) {
  if (f.origins) {
    std::vector<OriginPattern> list;
    AppendPatterns(*f.origins, &list);
    r->origins = {OriginList(std::move(list)), f.origins->key};
  }
  if (f.origins_add) {
    std::vector<OriginPattern> list = r->origins.value.items();
    AppendPatterns(*f.origins_add, &list);
    r->origins.value = OriginList(std::move(list));
    if (r->origins.where.line == 0) r->origins.where = f.origins_add->key;
  }
  if (f.methods) r->methods = {f.methods->normalized, f.methods->key};
  if (f.allow_headers) r->allow_headers = {f.allow_headers->normalized, f.allow_headers->key};
  if (f.expose_headers) {
    r->expose_headers = {f.expose_headers->normalized, f.expose_headers->key};
  }
  if (f.credentials) r->credentials = {f.credentials->value, f.credentials->key};
  if (f.private_network) r->private_network = {f.private_network->value, f.private_network->key};
  if (f.max_age) {
    r->max_age = {static_cast<uint32_t>(f.max_age->value), f.max_age->key};
  }
  if (f.preflight_status) {
    r->preflight_status = {static_cast<uint16_t>(f.preflight_status->value),
                           f.preflight_status->key};
  }
}

EffectiveRoute LanguageDefaults() {
  EffectiveRoute r;
  r.methods.value = {{"GET", {}}, {"HEAD", {}}, {"POST", {}}};
  r.preflight_status.value = 204;
  return r;
}

// Counts the origin patterns of the lists routes make for themselves
// (kMaxEffectiveOrigins): an inherited list is shared and costs nothing,
// but `origins.add` copies the list it extends, so a long [defaults] list
// extended by many routes multiplies. Past the bound, lists are dropped as
// soon as they are made, so memory stays within the bound plus one list.
class OriginBudget {
 public:
  // Charges `r`'s list unless it is one already charged (`before`).
  void Charge(EffectiveRoute* r, const void* before = nullptr) {
    if (r->origins.value.id() == before || !charged_.insert(r->origins.value.id()).second) {
      return;
    }
    used_ += r->origins.value.size();
    if (used_ <= kMaxEffectiveOrigins) return;
    if (!exceeded_) {
      exceeded_ = true;
      where_ = r->where;
      name_ = RouteName(*r);
    }
    r->origins.value = OriginList();
  }

  bool exceeded() const { return exceeded_; }

  void Report(std::vector<Diagnostic>* diagnostics) const {
    if (!exceeded_) return;
    diagnostics->push_back(
        MakeError(Code::kPolicyTooLarge, where_,
                  name_ + " brings the origin patterns of all lists beyond " +
                      std::to_string(kMaxEffectiveOrigins) +
                      " (each origins.add copies the list it extends): extend long lists in "
                      "fewer routes"));
  }

 private:
  std::set<const void*> charged_;
  size_t used_ = 0;
  bool exceeded_ = false;
  SourceRange where_;
  std::string name_;
};

EffectiveRoute MakeRoute(const EffectiveRoute& defaults, const ast::Route& route) {
  EffectiveRoute r = defaults;
  r.catch_all = false;
  r.path = route.path ? route.path->value : std::string();
  r.where = route.where();
  r.shape = route.shape;
  Overlay(route.fields, &r);
  return r;
}

}  // namespace

std::string RouteName(const EffectiveRoute& route) {
  return route.catch_all ? "the catch-all route [defaults]" : "route " + text::Quote(route.path);
}

ResolvedPolicy Resolve(std::span<const ast::File> files, std::string_view profile,
                       std::vector<Diagnostic>* diagnostics) {
  ResolvedPolicy policy;
  OriginBudget budget;
  bool named = false;
  const ast::Defaults* base = nullptr;
  const ast::Defaults* overlay = nullptr;
  for (const ast::File& file : files) {
    if (!named && file.name) {
      policy.name = file.name->value;
      named = true;
    }
    if (!base && file.defaults) base = &*file.defaults;
    for (const ast::Profile& p : file.profiles) {
      if (!overlay && !profile.empty() && p.name == profile && p.defaults) {
        overlay = &*p.defaults;
      }
    }
  }

  EffectiveRoute defaults = LanguageDefaults();
  if (base) Overlay(base->fields, &defaults);
  if (overlay) Overlay(overlay->fields, &defaults);
  budget.Charge(&defaults);
  // What routes start from once the budget is spent: an empty list, so that
  // no further origins.add copies the long one.
  EffectiveRoute lean_defaults = defaults;
  lean_defaults.origins.value = OriginList();
  auto start = [&]() -> const EffectiveRoute& {
    return budget.exceeded() ? lean_defaults : defaults;
  };

  // Base routes, in file order.
  std::map<std::string, size_t> by_shape;
  for (const ast::File& file : files) {
    for (const ast::Route& route : file.routes) {
      if (route.shape) by_shape.emplace(*route.shape, policy.routes.size());
      policy.routes.push_back(MakeRoute(start(), route));
      budget.Charge(&policy.routes.back());
    }
  }

  // The profile's routes: an overlay of the base route of the same shape,
  // or a new route. A second profile route of one shape is CORS041 and
  // changes nothing here.
  if (!profile.empty()) {
    std::set<size_t> overlaid;
    for (const ast::File& file : files) {
      for (const ast::Profile& p : file.profiles) {
        if (p.name != profile) continue;
        for (const ast::Route& route : p.routes) {
          auto it = route.shape ? by_shape.find(*route.shape) : by_shape.end();
          if (it != by_shape.end()) {
            if (overlaid.insert(it->second).second) {
              EffectiveRoute& base_route = policy.routes[it->second];
              const void* before = base_route.origins.value.id();
              Overlay(route.fields, &base_route);
              budget.Charge(&base_route, before);
            }
            continue;
          }
          if (route.shape) {
            by_shape.emplace(*route.shape, policy.routes.size());
            overlaid.insert(policy.routes.size());
          }
          policy.routes.push_back(MakeRoute(start(), route));
          budget.Charge(&policy.routes.back());
        }
      }
    }
  }

  const bool base_origins = base && base->fields.origins;
  if (base_origins || (overlay && overlay->fields.origins)) {
    EffectiveRoute catch_all = start();
    catch_all.path = "[defaults]";
    catch_all.catch_all = true;
    catch_all.where = base_origins ? base->header : overlay->header;
    budget.Charge(&catch_all);
    policy.catch_all = std::move(catch_all);
  }
  budget.Report(diagnostics);

  for (const ast::File& file : files) {
    for (const ast::Test& test : file.tests) policy.tests.push_back(test.test);
  }
  return policy;
}

}  // namespace corsc

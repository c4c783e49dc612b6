// Copyright corsc developers.
//
// Stage 3, check: every error of the policy language that keys and types
// do not already catch, in three passes.
//
//   CheckValues   each written value on its own, where it was written:
//                 origin patterns (origin_pattern.cc), methods, header
//                 names, max_age, preflight_status, route paths. Values
//                 are normalized in place; invalid ones are dropped, so
//                 that one mistake yields one diagnostic, not one per
//                 route that inherits it.
//   CheckFiles    what only several files together show: [defaults] twice,
//                 two routes of one shape, tests naming unknown profiles.
//   CheckPolicy   the effective routes after resolve.cc: a route with no
//                 origins, "*" (or expose_headers "*") with credentials,
//                 and the production profile's rules.
//
// Conflicts between two places ("*" here, credentials there) are reported
// at the later place in file order (file, then line, then column), with a
// note at the earlier one; the same pair is reported once however many
// routes inherit it.

#include "check.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>
#include <variant>

#include "corsc/origin.h"
#include "corsc/path_pattern.h"
#include "diagnostic_util.h"
#include "origin_pattern.h"
#include "resolve.h"
#include "text.h"

namespace corsc {
namespace {

using text::Quote;

// ---------------------------------------------------------------------------
// CheckValues

void CheckOriginList(ast::OriginList* list, std::vector<Diagnostic>* diagnostics) {
  for (ast::OriginEntry& entry : list->entries) {
    OriginPatternResult result =
        entry.regex ? ParseOriginRegex(entry.text.value) : ParseOriginPattern(entry.text.value);
    if (const OriginPatternError* e = std::get_if<OriginPatternError>(&result)) {
      diagnostics->push_back(MakeError(e->code, entry.text.Part(e->offset, e->length), e->message));
      continue;
    }
    OriginPattern pattern = std::get<OriginPattern>(std::move(result));
    pattern.where = entry.where;
    entry.pattern = std::move(pattern);
  }
}

void CheckMethods(ast::StringList* list, std::vector<Diagnostic>* diagnostics) {
  std::unordered_set<std::string> seen;
  for (const ast::StringValue& item : list->items) {
    std::string method = item.value;
    if (method != "*") {
      if (!text::IsToken(method)) {
        diagnostics->push_back(MakeError(Code::kInvalidMethod, item.where,
                                         "method " + Quote(method) + " is not an HTTP token"));
        continue;
      }
      std::string upper = text::ToUpperAscii(method);
      if (text::IsForbiddenMethod(upper)) {
        diagnostics->push_back(MakeError(Code::kForbiddenMethod, item.where,
                                         "method " + Quote(method) +
                                             " is forbidden by the Fetch standard: browsers "
                                             "never send it cross-origin"));
        continue;
      }
      if (text::IsNormalizedMethod(upper)) method = upper;
    }
    if (seen.insert(method).second) list->normalized.push_back({method, item.where});
  }
}

// allow_headers are stored lower-case; expose_headers as written (the
// response carries them as configured), deduplicated case-insensitively.
void CheckHeaderNames(ast::StringList* list, bool lower, std::vector<Diagnostic>* diagnostics) {
  std::unordered_set<std::string> seen;  // lower case
  for (const ast::StringValue& item : list->items) {
    std::string name = item.value;
    if (name != "*" && !text::IsToken(name)) {
      diagnostics->push_back(MakeError(Code::kInvalidHeaderName, item.where,
                                       "header name " + Quote(name) + " is not an HTTP token"));
      continue;
    }
    if (lower && name.size() > kMaxAllowHeaderNameLength) {
      diagnostics->push_back(MakeError(
          Code::kInvalidHeaderName, item.where,
          "header name " + Quote(name.substr(0, 40) + "...") + " is " +
              std::to_string(name.size()) + " bytes long; allow_headers names are at most " +
              std::to_string(kMaxAllowHeaderNameLength) + " (docs/decisions.md D31)"));
      continue;
    }
    if (lower) name = text::ToLowerAscii(name);
    if (seen.insert(text::ToLowerAscii(name)).second) {
      list->normalized.push_back({name, item.where});
    }
  }
}

void CheckFields(ast::Fields* f, std::vector<Diagnostic>* diagnostics) {
  if (f->origins) CheckOriginList(&*f->origins, diagnostics);
  if (f->origins_add) CheckOriginList(&*f->origins_add, diagnostics);
  if (f->methods) CheckMethods(&*f->methods, diagnostics);
  if (f->allow_headers) CheckHeaderNames(&*f->allow_headers, true, diagnostics);
  if (f->expose_headers) CheckHeaderNames(&*f->expose_headers, false, diagnostics);
  if (f->max_age && (f->max_age->value < 0 || f->max_age->value > 2147483647)) {
    diagnostics->push_back(MakeError(
        Code::kMaxAgeOutOfRange, f->max_age->where,
        "max_age " + std::to_string(f->max_age->value) + " is out of range (0 to 2147483647)"));
    f->max_age.reset();
  }
  if (f->preflight_status && f->preflight_status->value != 200 &&
      f->preflight_status->value != 204) {
    diagnostics->push_back(MakeError(Code::kBadPreflightStatus, f->preflight_status->where,
                                     "preflight_status " +
                                         std::to_string(f->preflight_status->value) +
                                         " is neither 200 nor 204"));
    f->preflight_status.reset();
  }
}

void CheckRoute(ast::Route* route, std::vector<Diagnostic>* diagnostics) {
  CheckFields(&route->fields, diagnostics);
  if (!route->path) return;
  auto parsed = ParsePathPattern(route->path->value);
  if (const PathPatternError* e = std::get_if<PathPatternError>(&parsed)) {
    diagnostics->push_back(
        MakeError(Code::kMalformedPath, route->path->Part(e->offset, 1),
                  "invalid path pattern " + Quote(route->path->value) + ": " + e->message));
    return;
  }
  const std::vector<PathSegment>& segments = std::get<std::vector<PathSegment>>(parsed);
  size_t depth = segments.size() - (segments.back().kind == SegmentKind::kGlobstar ? 1 : 0);
  if (depth > kMaxRouteSegments) {
    diagnostics->push_back(
        MakeError(Code::kMalformedPath, route->path->Part(segments[kMaxRouteSegments].offset, 1),
                  "path pattern has " + std::to_string(depth) + " segments; at most " +
                      std::to_string(kMaxRouteSegments) + " are allowed (docs/decisions.md D31)"));
    return;
  }
  route->shape = PathShape(segments);
}

// ---------------------------------------------------------------------------
// Conflicts

using PlaceKey = std::tuple<std::string, uint32_t, uint32_t>;
PlaceKey KeyOf(const SourceRange& r) { return {r.file, r.line, r.column}; }

// Reports each conflict between two places once, at the later place in
// file order (`files`: compile order).
class ConflictReporter {
 public:
  ConflictReporter(std::span<const std::string> files, std::vector<Diagnostic>* diagnostics)
      : files_(files), diagnostics_(diagnostics) {}

  // `a` and `b` are the two places; the message for the error is chosen by
  // which place is later.
  void Report(Code code, const SourceRange& a, const std::string& message_at_a,
              const std::string& note_at_a, const SourceRange& b, const std::string& message_at_b,
              const std::string& note_at_b) {
    bool a_later = FileOrderKey(files_, b) < FileOrderKey(files_, a);
    const SourceRange& later = a_later ? a : b;
    const SourceRange& earlier = a_later ? b : a;
    if (!seen_.insert({code, KeyOf(later), KeyOf(earlier)}).second) return;
    Diagnostic d = MakeError(code, later, a_later ? message_at_a : message_at_b);
    d.notes.push_back({earlier, a_later ? note_at_b : note_at_a});
    diagnostics_->push_back(std::move(d));
  }

 private:
  std::span<const std::string> files_;
  std::vector<Diagnostic>* diagnostics_;
  std::set<std::tuple<Code, PlaceKey, PlaceKey>> seen_;
};

// ---------------------------------------------------------------------------
// Production

std::optional<std::array<int, 4>> ParseIpv4(std::string_view host) {
  std::array<int, 4> octets{};
  for (int i = 0; i < 4; ++i) {
    size_t dot = host.find('.');
    if ((i < 3) != (dot != std::string_view::npos)) return std::nullopt;
    std::string_view part = host.substr(0, dot);
    if (part.empty() || part.size() > 3 || !std::all_of(part.begin(), part.end(), text::IsDigit)) {
      return std::nullopt;
    }
    octets[i] = std::stoi(std::string(part));
    if (octets[i] > 255) return std::nullopt;
    if (dot != std::string_view::npos) host.remove_prefix(dot + 1);
  }
  return octets;
}

std::optional<std::string> Ipv4Unfit(const std::array<int, 4>& a) {
  if (a[0] == 127) return "a loopback address (127.0.0.0/8)";
  if (a[0] == 10) return "a private-network address (10.0.0.0/8)";
  if (a[0] == 172 && a[1] >= 16 && a[1] <= 31) return "a private-network address (172.16.0.0/12)";
  if (a[0] == 192 && a[1] == 168) return "a private-network address (192.168.0.0/16)";
  if (a[0] == 169 && a[1] == 254) return "a link-local address (169.254.0.0/16)";
  return std::nullopt;
}

// Why `p` has no place in a production policy; nullopt when it has one.
std::optional<std::string> UnfitForProduction(const OriginPattern& p) {
  if (p.kind == OriginKind::kAny || p.kind == OriginKind::kRegex) return std::nullopt;
  if (p.canonical == "null") {
    return "\"null\" is the origin of sandboxed documents and local files";
  }
  if (p.scheme == "http") return "http:// origins are not encrypted";
  if (p.host == "localhost" ||
      (p.host.size() > 10 && p.host.compare(p.host.size() - 10, 10, ".localhost") == 0)) {
    return "localhost is the developer's own machine";
  }
  if (p.kind == OriginKind::kSubdomain) return std::nullopt;
  if (std::optional<std::array<int, 4>> v4 = ParseIpv4(p.host)) return Ipv4Unfit(*v4);
  if (p.host.size() > 2 && p.host.front() == '[') {
    std::optional<std::array<uint16_t, 8>> v6 =
        ParseIpv6(std::string_view(p.host).substr(1, p.host.size() - 2));
    if (!v6) return std::nullopt;
    const std::array<uint16_t, 8>& a = *v6;
    bool zero_prefix = a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0 && a[4] == 0;
    if (zero_prefix && a[5] == 0 && a[6] == 0 && a[7] == 1) return "a loopback address (::1)";
    if (zero_prefix && a[5] == 0xFFFF) {  // IPv4-mapped
      return Ipv4Unfit({a[6] >> 8, a[6] & 0xFF, a[7] >> 8, a[7] & 0xFF});
    }
    if ((a[0] & 0xFE00) == 0xFC00) return "a unique-local address (fc00::/7)";
    if ((a[0] & 0xFFC0) == 0xFE80) return "a link-local address (fe80::/10)";
  }
  return std::nullopt;
}

}  // namespace

void CheckValues(std::vector<ast::File>* files, std::vector<Diagnostic>* diagnostics) {
  for (ast::File& file : *files) {
    if (file.defaults) CheckFields(&file.defaults->fields, diagnostics);
    for (ast::Route& route : file.routes) CheckRoute(&route, diagnostics);
    for (ast::Profile& profile : file.profiles) {
      if (profile.defaults) CheckFields(&profile.defaults->fields, diagnostics);
      for (ast::Route& route : profile.routes) CheckRoute(&route, diagnostics);
    }
  }
}

void CheckFiles(std::span<const ast::File> files, std::span<const std::string> profiles,
                const CompileOptions& options, std::vector<Diagnostic>* diagnostics) {
  auto duplicate_defaults = [&](const ast::Defaults& later, const ast::Defaults& first,
                                const std::string& what) {
    Diagnostic d = MakeError(Code::kDuplicateDefaults, later.header,
                             what + " appears in two files; it may appear in one file only");
    d.notes.push_back({first.header, "the first " + what + " is here"});
    diagnostics->push_back(std::move(d));
  };
  auto duplicate_shape = [&](const ast::Route& later, const ast::Route& first) {
    const std::string& path = later.path->value;
    Diagnostic d = MakeError(
        Code::kDuplicateRouteShape, later.where(),
        path == first.path->value
            ? "route " + Quote(path) + " is defined twice"
            : "route " + Quote(path) + " has the same shape " + Quote(*later.shape) + " as route " +
                  Quote(first.path->value) + " (parameter names do not count)");
    d.notes.push_back({first.where(), "route " + Quote(first.path->value) + " is here"});
    diagnostics->push_back(std::move(d));
  };

  const ast::Defaults* first_defaults = nullptr;
  std::map<std::string, const ast::Defaults*> first_profile_defaults;
  std::map<std::string, const ast::Route*> base_shapes;
  std::map<std::pair<std::string, std::string>, const ast::Route*> profile_shapes;
  for (const ast::File& file : files) {
    if (file.defaults) {
      if (first_defaults) {
        duplicate_defaults(*file.defaults, *first_defaults, "[defaults]");
      } else {
        first_defaults = &*file.defaults;
      }
    }
    for (const ast::Route& route : file.routes) {
      if (!route.shape) continue;
      auto [it, inserted] = base_shapes.emplace(*route.shape, &route);
      if (!inserted) duplicate_shape(route, *it->second);
    }
    for (const ast::Profile& profile : file.profiles) {
      if (profile.defaults) {
        auto [it, inserted] = first_profile_defaults.emplace(profile.name, &*profile.defaults);
        if (!inserted) {
          duplicate_defaults(*profile.defaults, *it->second,
                             "[profiles." + profile.name + ".defaults]");
        }
      }
      for (const ast::Route& route : profile.routes) {
        if (!route.shape) continue;
        auto [it, inserted] = profile_shapes.emplace(std::pair(profile.name, *route.shape), &route);
        if (!inserted) duplicate_shape(route, *it->second);
      }
    }
  }

  std::vector<std::string_view> names(profiles.begin(), profiles.end());
  for (const ast::File& file : files) {
    for (const ast::Test& test : file.tests) {
      if (!test.profile) continue;
      const std::string& name = test.profile->value;
      if (std::binary_search(profiles.begin(), profiles.end(), name) ||
          name == options.prod_profile) {
        continue;
      }
      std::string message = "test " + Quote(test.test.name) + " names the profile " + Quote(name) +
                            ", which no file defines";
      if (std::optional<std::string_view> s = text::Suggest(name, names)) {
        message += "; did you mean " + Quote(*s) + "?";
      }
      diagnostics->push_back(MakeError(Code::kUnknownProfile, test.profile->where, message));
    }
  }
}

void CheckPolicy(const ResolvedPolicy& policy, const CompileOptions& options,
                 std::vector<Diagnostic>* diagnostics) {
  ConflictReporter conflicts(policy.files, diagnostics);
  const bool production = !options.profile.empty() && options.profile == options.prod_profile;
  std::set<PlaceKey> unfit_reported;
  // Routes share inherited lists (OriginList): look into each list once.
  std::map<const void*, std::vector<const OriginPattern*>> stars_of_list;
  std::set<const void*> production_checked;
  auto stars = [&](const OriginList& list) -> const std::vector<const OriginPattern*>& {
    auto [it, inserted] = stars_of_list.try_emplace(list.id());
    if (inserted) {
      for (const OriginPattern& p : list) {
        if (p.kind == OriginKind::kAny) it->second.push_back(&p);
      }
    }
    return it->second;
  };

  auto check = [&](const EffectiveRoute& route) {
    const std::string name = RouteName(route);
    // (A route without a path already has its error, CORS040.)
    if (!route.catch_all && route.origins.where.line == 0 && !route.path.empty()) {
      diagnostics->push_back(
          MakeError(Code::kRouteWithoutOrigins, route.where,
                    name + " has no origins: set \"origins\" in the route or in [defaults] "
                           "(an empty list refuses every origin)"));
    }
    if (route.credentials.value) {
      const SourceRange& cred = route.credentials.where;
      for (const OriginPattern* star : stars(route.origins.value)) {
        const OriginPattern& p = *star;
        conflicts.Report(
            Code::kStarWithCredentials, p.where,
            "origin \"*\" on " + name +
                " cannot be used with credentials = true: browsers "
                "refuse \"Access-Control-Allow-Origin: *\" on credentialed requests; list the "
                "origins instead",
            "origin \"*\" is listed here", cred,
            "credentials = true on " + name +
                " cannot be used with origin \"*\": browsers "
                "refuse \"Access-Control-Allow-Origin: *\" on credentialed requests; list the "
                "origins instead",
            "credentials = true is set here");
      }
      for (const Sourced<std::string>& h : route.expose_headers.value) {
        if (h.value != "*") continue;
        conflicts.Report(
            Code::kExposeStarWithCredentials, h.where,
            "expose_headers \"*\" on " + name +
                " cannot be used with credentials = true: "
                "with credentials the Fetch standard reads \"*\" as a header name; list the "
                "headers instead",
            "expose_headers \"*\" is listed here", cred,
            "credentials = true on " + name +
                " cannot be used with expose_headers \"*\": "
                "with credentials the Fetch standard reads \"*\" as a header name; list the "
                "headers instead",
            "credentials = true is set here");
      }
    }
    if (production && production_checked.insert(route.origins.value.id()).second) {
      for (const OriginPattern& p : route.origins.value) {
        std::optional<std::string> why = UnfitForProduction(p);
        if (!why || !unfit_reported.insert(KeyOf(p.where)).second) continue;
        diagnostics->push_back(MakeError(Code::kOriginUnfitForProduction, p.where,
                                         "origin " + Quote(p.written) +
                                             " is unfit for the production profile " +
                                             Quote(options.prod_profile) + ": " + *why));
      }
    }
  };
  for (const EffectiveRoute& route : policy.routes) check(route);
  if (policy.catch_all) check(*policy.catch_all);
}

}  // namespace corsc

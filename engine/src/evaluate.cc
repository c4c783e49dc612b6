// Copyright corsc developers.
//
// CompiledTable::Evaluate(): one CORS decision, as the "Decisions" section
// of the policy-language spec and docs/decisions.md say.
//
//   1. kind: no Origin line -> not-cors; method exactly "OPTIONS" with an
//      Access-Control-Request-Method line that is non-empty after trimming
//      -> preflight (D11); else actual.
//   2. route: the most specific route pattern (FindRoute, below), else the
//      catch-all route, else none.
//   3. not-cors: allowed; "*" routes get ACAO "*" (and ACEH), other routes
//      with origins get "Vary: Origin", routes with none and no route get
//      nothing.
//   4. checks in order, the first failure giving the reason: route,
//      origin, method, request headers (preflight), private network
//      (preflight). A refusal carries only the Vary an allowed answer
//      would carry.
//   5. headers of an allowed answer, in the stable order ACAO, ACAC, ACAM,
//      ACAH..., ACMA, ACAPN, ACEH, Vary.
//
// Everything constant per route (Allow-Methods, Expose-Headers, Max-Age,
// both Vary values) was rendered by the builder; the rest of the headers
// are views of the request (Origin, ACRM, ACRH lines). So Evaluate()
// allocates nothing, takes no lock, never logs and never throws. The one
// exception to "no lock" is the regex tier of origin matching: RE2 guards
// its DFA cache with a reader lock (see origin_matcher.cc). Policies
// without regex origins never reach it.
//
// Route lookup. The route patterns form a trie of path segments. A node
// has literal children (found by a hash probe keyed by node and segment),
// at most one param child ("{name}" or "*", for a non-empty segment), an
// "ends here" route and a "**" route. The lookup is a depth-first search
// that tries, at each node, the literal child, then the param child, then
// the node's "**" route; at the end of the path, the "ends here" route,
// then "**". Because it tries the more specific choice first at every
// segment from the left, the first route it finds is the spec's most
// specific one (a literal beats a param, which beats "**", compared from
// the left; ending where the path ends beats going on with "**"). Each
// trie node is reached by one path only and at a fixed segment index, so
// it is visited at most once per lookup: the cost is bounded by the size of
// the trie and the length of the path, whatever the patterns. The search
// keeps its frames on a fixed stack: the trie is at most kMaxRouteDepth
// deep (verified at load).
//
// Access-Control-Request-Headers (D12) is parsed in one pass with bounded
// work: more than kMaxAcrhLines lines or kMaxAcrhBytes bytes are refused
// before the scan; the scan stops at the first byte that is not allowed
// where it is or at the name past kMaxAcrhNames. Each name is lower-cased
// into a stack buffer and looked up in the route's hash set of allowed
// names; a name longer than the longest allowed one is refused without a
// lookup. So a hostile list costs at most a pass over 8 KiB.

#include "ascii.h"
#include "corsc/table.h"
#include "hash_index.h"
#include "method.h"
#include "table_format.h"
#include "table_rep.h"

namespace corsc {
namespace {

using table_format::kNone;
using table_format::RouteRecord;

// D12: limits of Access-Control-Request-Headers. 8 KiB and 128 names are
// twice the spec's floor (4 KiB, 64 names), far above what browsers send
// (they list only the non-safelisted headers a script set), and small
// enough that a hostile preflight costs microseconds.
constexpr size_t kMaxAcrhBytes = 8192;
constexpr size_t kMaxAcrhNames = 128;
// RequestBuilder keeps 9 lines (one more than this), so it can report "too
// many" faithfully.
constexpr size_t kMaxAcrhLines = 8;

constexpr std::string_view kAllowOrigin = "Access-Control-Allow-Origin";
constexpr std::string_view kAllowCredentials = "Access-Control-Allow-Credentials";
constexpr std::string_view kAllowMethods = "Access-Control-Allow-Methods";
constexpr std::string_view kAllowHeaders = "Access-Control-Allow-Headers";
constexpr std::string_view kMaxAge = "Access-Control-Max-Age";
constexpr std::string_view kAllowPrivateNetwork = "Access-Control-Allow-Private-Network";
constexpr std::string_view kExposeHeaders = "Access-Control-Expose-Headers";
constexpr std::string_view kVary = "Vary";

// The route of `path`, or the catch-all route, or kNone.
uint32_t FindRoute(const TableView& t, std::string_view path) noexcept {
  const uint32_t fallback = t.meta->catch_all_route;
  if (const size_t q = path.find('?'); q != std::string_view::npos) {
    path = std::string_view(path.data(), q);
  }
  if (path.empty() || path[0] != '/') return fallback;  // D7

  // A frame is a node and the segment [begin, end) of the path that is
  // next to match from it; begin > path.size() when the path is used up.
  struct Frame {
    uint32_t node;
    uint32_t stage;  // 0: literal child next, 1: param child next, 2: "**"
    size_t begin;
    size_t end;
  };
  Frame stack[table_format::kMaxRouteDepth + 1];
  auto segment_end = [&](size_t begin) {
    if (begin > path.size()) return begin;
    const size_t slash = path.find('/', begin);
    return slash == std::string_view::npos ? path.size() : slash;
  };
  int top = 0;
  stack[0] = Frame{0, 0, 1, segment_end(1)};
  while (top >= 0) {
    Frame& f = stack[top];
    const table_format::RouteNode& node = t.route_nodes[f.node];
    if (f.begin > path.size()) {
      if (node.end_route != kNone) return node.end_route;
      if (node.globstar_route != kNone) return node.globstar_route;
      --top;
      continue;
    }
    const std::string_view segment(path.data() + f.begin, f.end - f.begin);
    const size_t next = f.end + 1;
    if (f.stage == 0) {
      f.stage = 1;
      if ((node.literal_lengths & table_format::LengthBit(segment.size())) != 0) {
        const uint32_t child = t.Child(t.meta->route_edge_index, t.route_edges, f.node, segment);
        if (child != kNone) {
          stack[++top] = Frame{child, 0, next, segment_end(next)};
          continue;
        }
      }
    }
    if (f.stage == 1) {
      f.stage = 2;
      if (!segment.empty() && node.param_child != kNone) {
        stack[++top] = Frame{node.param_child, 0, next, segment_end(next)};
        continue;
      }
    }
    if (node.globstar_route != kNone) return node.globstar_route;
    --top;
  }
  return fallback;
}

bool IsPreflight(const Request& request) noexcept {
  if (request.method != "OPTIONS") return false;
  for (std::string_view line : request.request_method) {
    if (!ascii::TrimOws(line).empty()) return true;
  }
  return false;
}

bool MethodAllowed(const TableView& t, const RouteRecord& route,
                   std::string_view method) noexcept {
  if ((route.flags & table_format::kRouteAnyMethod) != 0) return ascii::IsToken(method);
  if (const uint8_t bit = method::StandardMethodBit(method); bit != 0) {
    return (route.standard_methods & bit) != 0;
  }
  // Any other token is matched exactly.
  for (uint32_t i = 0; i < route.methods.count; ++i) {
    if (t.ListString(route.methods, i) == method) return true;
  }
  return false;
}

bool HeaderNameAllowed(const TableView& t, const RouteRecord& route,
                       std::string_view name) noexcept {
  if (name.size() > route.max_header_name_length) return false;
  char lower[table_format::kMaxHeaderNameLength];
  for (size_t i = 0; i < name.size(); ++i) lower[i] = ascii::ToLower(name[i]);
  const std::string_view key(lower, name.size());
  return hash_index::Find(route.header_index, t.hash_control.data(), t.hash_slots.data(),
                          hash_index::Hash(key),
                          [&](uint32_t ref) { return hash_index::KeyEquals(t.String(t.string_refs[ref]), key); }) !=
         kNone;
}

// D12. Sets bit i of *named for each line i that names a header.
//
// One pass over each line: optional white space, a run of token
// characters (the item), optional white space, then a comma or the end of
// the line. Anything else there (a byte that is not a tchar, white space
// inside an item) refuses the list; an empty item is skipped. This is the
// "split on commas, trim, check every byte" of D12 without the separate
// passes.
bool RequestHeadersAllowed(const TableView& t, const RouteRecord& route, HeaderLines lines,
                           uint32_t* named) noexcept {
  if (lines.size() > kMaxAcrhLines) return false;
  size_t bytes = 0;
  for (std::string_view line : lines) bytes += line.size();
  if (bytes > kMaxAcrhBytes) return false;
  const bool any = (route.flags & table_format::kRouteAnyHeader) != 0;
  size_t names = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const char* const s = lines[i].data();
    const size_t n = lines[i].size();
    size_t p = 0;
    while (true) {
      while (p < n && ascii::IsOws(s[p])) ++p;
      const size_t item = p;
      while (p < n && ascii::IsTokenChar(s[p])) ++p;
      const size_t item_end = p;
      while (p < n && ascii::IsOws(s[p])) ++p;
      if (p < n && s[p] != ',') return false;
      if (item_end != item) {
        if (++names > kMaxAcrhNames) return false;
        *named |= 1u << i;
        if (!any && !HeaderNameAllowed(t, route, std::string_view(s + item, item_end - item))) {
          return false;
        }
      }
      if (p >= n) break;
      ++p;  // the comma
    }
  }
  return true;
}

// D14: a single line whose trimmed value is "true".
bool AsksPrivateNetwork(const Request& request) noexcept {
  return request.request_private_network.size() == 1 &&
         ascii::TrimOws(request.request_private_network[0]) == "true";
}

}  // namespace

Decision CompiledTable::Evaluate(const Request& request) const noexcept {
  const Rep& rep = *rep_;
  const TableView& t = rep.view;
  Decision d;
  const uint32_t route_id = FindRoute(t, request.path);
  d.route = route_id;  // kNone == kNoRule

  if (request.origin.empty()) {
    d.kind = Kind::kNotCors;
    d.allowed = true;
    d.reason = Reason::kNotCors;
    if (route_id == kNone) return d;
    const RouteRecord& route = t.routes[route_id];
    const table_format::OriginSetRecord& set = t.sets[route.origin_set];
    if (set.any_rule != kNone) {
      // A shared, cacheable answer (credentials are off with "*").
      d.origin_rule = set.any_rule;
      d.headers.Add(kAllowOrigin, "*");
      if (route.expose_headers_value.length != 0) {
        d.headers.Add(kExposeHeaders, t.String(route.expose_headers_value));
      }
    } else if (route.vary_actual.length != 0) {
      d.headers.Add(kVary, t.String(route.vary_actual));  // "Origin"
    }
    return d;
  }

  const bool preflight = IsPreflight(request);
  d.kind = preflight ? Kind::kPreflight : Kind::kActual;
  d.allowed = false;
  if (route_id == kNone) {
    d.reason = Reason::kNoRoute;
    return d;
  }
  const RouteRecord& route = t.routes[route_id];
  const table_format::OriginSetRecord& set = t.sets[route.origin_set];
  const std::string_view vary =
      t.String(preflight ? route.vary_preflight : route.vary_actual);
  // Every return below is `return d;`, so that the Decision is built in
  // place (NRVO): it is over 500 bytes.
  auto refuse = [&](Reason reason) {
    d.reason = reason;
    if (!vary.empty()) d.headers.Add(kVary, vary);
  };

  // Origin.
  std::string_view allow_origin;
  if (set.any_rule != kNone) {
    d.origin_rule = set.any_rule;
    allow_origin = "*";
  } else {
    // D3: several Origin lines or an empty one match nothing but "*".
    if (set.members.count == 0 || request.origin.size() != 1 || request.origin[0].empty()) {
      refuse(Reason::kOriginNotAllowed);
      return d;
    }
    const RuleId rule = rep.MatchOrigin(route.origin_set, request.origin[0]);
    if (rule == kNoRule) {
      refuse(Reason::kOriginNotAllowed);
      return d;
    }
    d.origin_rule = rule;
    allow_origin = request.origin[0];
  }

  // Method: the request's, or the one a preflight asks for (D11: several
  // lines are no method token).
  std::string_view method = request.method;
  if (preflight) {
    if (request.request_method.size() != 1) {
      refuse(Reason::kMethodNotAllowed);
      return d;
    }
    method = ascii::TrimOws(request.request_method[0]);
  }
  if (!MethodAllowed(t, route, method)) {
    refuse(Reason::kMethodNotAllowed);
    return d;
  }

  const bool credentials = (route.flags & table_format::kRouteCredentials) != 0;
  if (!preflight) {
    d.allowed = true;
    d.reason = Reason::kOk;
    d.headers.Add(kAllowOrigin, allow_origin);
    if (credentials) d.headers.Add(kAllowCredentials, "true");
    if (route.expose_headers_value.length != 0) {
      d.headers.Add(kExposeHeaders, t.String(route.expose_headers_value));
    }
    if (!vary.empty()) d.headers.Add(kVary, vary);
    return d;
  }

  uint32_t named_lines = 0;
  if (!RequestHeadersAllowed(t, route, request.request_headers, &named_lines)) {
    refuse(Reason::kHeaderNotAllowed);
    return d;
  }
  const bool private_network = AsksPrivateNetwork(request);
  if (private_network && (route.flags & table_format::kRoutePrivateNetwork) == 0) {
    refuse(Reason::kPrivateNetworkNotAllowed);
    return d;
  }

  d.allowed = true;
  d.reason = Reason::kOk;
  d.status = route.preflight_status;
  d.headers.Add(kAllowOrigin, allow_origin);
  if (credentials) d.headers.Add(kAllowCredentials, "true");
  d.headers.Add(kAllowMethods, (route.flags & table_format::kRouteAnyMethod) != 0
                                   ? method
                                   : t.String(route.allow_methods_value));
  // D13: one field per line that names a header, trimmed.
  for (size_t i = 0; i < request.request_headers.size(); ++i) {
    if ((named_lines & (1u << i)) != 0) {
      d.headers.Add(kAllowHeaders, ascii::TrimOws(request.request_headers[i]));
    }
  }
  if ((route.flags & table_format::kRouteHasMaxAge) != 0) {
    d.headers.Add(kMaxAge, t.String(route.max_age_value));
  }
  if (private_network) d.headers.Add(kAllowPrivateNetwork, "true");
  if (!vary.empty()) d.headers.Add(kVary, vary);
  return d;
}

}  // namespace corsc

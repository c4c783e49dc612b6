// Copyright corsc developers.
//
// CompiledTable::Evaluate(): one CORS decision, as the "Decisions" section
// of the policy-language spec and docs/decisions.md say.
//
//   1. kind (RequestKind): no Origin line -> not-cors; method exactly
//      "OPTIONS" with an Access-Control-Request-Method line that is
//      non-empty after trimming -> preflight (D11); else actual.
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
// before the scan; the scan stops at the first item that is refused, at
// the name past kMaxAcrhNames or at the line that names a header past
// kMaxAcrhNamedLines. Runs of separators between items (spaces,
// tabs, commas) are skipped up to 64 bytes at a time, and the end of an
// item found 8 bytes at a time; each name is compared with the route's
// allowed names in place, lower-cased 8 bytes at a time (or, for a list
// of more than 8 names, lower-cased into a stack buffer and looked up in
// the route's hash set), which also proves its bytes tchars; a name
// longer than the longest allowed one is refused without a lookup. So a
// hostile list costs at most a pass over 8 KiB.
//
// Route lookup of a table whose only route is the catch-all (a policy of
// [defaults] alone) reads nothing of the path.

#include <array>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ascii.h"
#include "bytes.h"
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
// (they list only the non-safelisted headers a script set, on one line),
// and small enough that a hostile preflight costs microseconds. The lines
// of a list are one list (joined with commas): a list within the floor
// split one name a line is 64 lines that name a header, each echoed as a
// field of its own (D13, HeaderList::kCapacity).
constexpr size_t kMaxAcrhBytes = 8192;
constexpr size_t kMaxAcrhNames = 128;
constexpr size_t kMaxAcrhNamedLines = 64;
// RequestBuilder keeps one line more than this, so that it can report "too
// many" faithfully.
constexpr size_t kMaxAcrhLines = RequestBuilder::kMaxRequestHeadersLines - 1;
static_assert(kMaxAcrhLines == kMaxAcrhNames);
static_assert(kMaxAcrhNamedLines + 6 <= HeaderList::kCapacity);

// The lines of a list that name a header, as bits by line.
struct NamedLines {
  uint64_t bits[(kMaxAcrhLines + 63) / 64] = {};
  size_t count = 0;
  // Marks `line`, once; false when that makes more than kMaxAcrhNamedLines.
  bool Add(size_t line) {
    bits[line / 64] |= uint64_t{1} << (line % 64);
    return ++count <= kMaxAcrhNamedLines;
  }
  bool Has(size_t line) const { return (bits[line / 64] >> (line % 64) & 1) != 0; }
};

constexpr std::string_view kAllowOrigin = "Access-Control-Allow-Origin";
constexpr std::string_view kAllowCredentials = "Access-Control-Allow-Credentials";
constexpr std::string_view kAllowMethods = "Access-Control-Allow-Methods";
constexpr std::string_view kAllowHeaders = "Access-Control-Allow-Headers";
constexpr std::string_view kMaxAge = "Access-Control-Max-Age";
constexpr std::string_view kAllowPrivateNetwork = "Access-Control-Allow-Private-Network";
constexpr std::string_view kExposeHeaders = "Access-Control-Expose-Headers";
constexpr std::string_view kVary = "Vary";

[[gnu::noinline]] uint32_t SearchRoutes(const TableView& t, std::string_view path) noexcept;

// The route of `path`, or the catch-all route, or kNone. A root with no
// way out (a policy of [defaults] only) sends every path to the catch-all
// route without reading the path.
inline uint32_t FindRoute(const TableView& t, std::string_view path) noexcept {
  return t.only_catch_all ? t.meta->catch_all_route : SearchRoutes(t, path);
}

// The route trie search (see the top of this file).
uint32_t SearchRoutes(const TableView& t, std::string_view path) noexcept {
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

// RequestKind(), inlined into Evaluate(). For a preflight, sets *asked to
// the first Access-Control-Request-Method line that is not empty once
// trimmed, trimmed: the method it asks for when it is the only line.
// Otherwise leaves *asked alone.
[[gnu::always_inline]] inline Kind Classify(const Request& request,
                                            std::string_view* asked) noexcept {
  if (request.origin.empty()) return Kind::kNotCors;
  if (request.method == "OPTIONS") {
    for (std::string_view line : request.request_method) {
      if (const std::string_view m = ascii::TrimOws(line); !m.empty()) {
        *asked = m;
        return Kind::kPreflight;
      }
    }
  }
  return Kind::kActual;
}

// AsksPrivateNetwork(), inlined into Evaluate().
[[gnu::always_inline]] inline bool AsksPna(const Request& request) noexcept {
  return request.request_private_network.size() == 1 &&
         ascii::TrimOws(request.request_private_network[0]) == "true";
}

}  // namespace

Kind RequestKind(const Request& request) noexcept {
  std::string_view method;
  return Classify(request, &method);
}
bool AsksPrivateNetwork(const Request& request) noexcept { return AsksPna(request); }

namespace {

bool MethodAllowed(const TableView& t, const RouteRecord& route, std::string_view method) noexcept {
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

// The byte classes of the Access-Control-Request-Headers scan: a tchar
// (RFC 9110), optional white space, the comma.
constexpr uint8_t kTchar = 1;
constexpr uint8_t kOws = 2;
constexpr uint8_t kComma = 4;
constexpr std::array<uint8_t, 256> kAcrhClass = [] {
  std::array<uint8_t, 256> c{};
  for (int b = 0; b < 256; ++b) {
    if (ascii::IsTokenChar(static_cast<char>(b))) c[b] |= kTchar;
  }
  c[' '] = c['\t'] = kOws;
  c[','] = kComma;
  return c;
}();

using bytes::BytesEqual;
using bytes::Load32;
using bytes::Load64;

// The number of bytes at s[p, n) that are spaces, tabs or commas: the
// run between two items. In a browser's list it is none or one byte (", "
// less the comma the item loop took), so two bytes are looked at one by
// one first; in a hostile list it is most of the list, which is read 64
// bytes at a time with SSE2 (every x86-64 has it) while all are
// separators, then 16 at a time to find the first that is not; without
// SSE2, 8 at a time in a 64-bit word.
inline size_t SeparatorRun(const char* s, size_t p, size_t n) noexcept {
  const size_t begin = p;
  for (int k = 0; k < 2; ++k, ++p) {
    if (p == n || (kAcrhClass[static_cast<uint8_t>(s[p])] & (kOws | kComma)) == 0) return p - begin;
  }
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i comma = _mm_set1_epi8(',');
  auto separators = [&](size_t at) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + at));
    return _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab)),
                        _mm_cmpeq_epi8(v, comma));
  };
  while (n - p >= 64) {
    const __m128i all = _mm_and_si128(_mm_and_si128(separators(p), separators(p + 16)),
                                      _mm_and_si128(separators(p + 32), separators(p + 48)));
    if (_mm_movemask_epi8(all) != 0xffff) break;
    p += 64;
  }
  while (n - p >= 16) {
    const uint32_t other = ~static_cast<uint32_t>(_mm_movemask_epi8(separators(p))) & 0xffffu;
    if (other != 0) return p - begin + static_cast<size_t>(std::countr_zero(other));
    p += 16;
  }
#endif
  while (n - p >= 8) {
    const uint64_t w = Load64(s + p);
    const uint64_t sep = BytesEqual(w, 0x2020202020202020ull) |
                         BytesEqual(w, 0x0909090909090909ull) |
                         BytesEqual(w, 0x2c2c2c2c2c2c2c2cull);
    const uint64_t other = ~sep & 0x8080808080808080ull;
    if (other != 0) return p - begin + (static_cast<size_t>(std::countr_zero(other)) >> 3);
    p += 8;
  }
  while (p < n && (kAcrhClass[static_cast<uint8_t>(s[p])] & (kOws | kComma)) != 0) ++p;
  return p - begin;
}

// The end of the run of tchars at s[p, n): 4 table lookups per branch
// while 4 bytes are left.
inline size_t TokenEnd(const char* s, size_t p, size_t n) noexcept {
  auto tchar = [&](size_t i) { return kAcrhClass[static_cast<uint8_t>(s[i])]; };
  while (n - p >= 4 && (tchar(p) & tchar(p + 1) & tchar(p + 2) & tchar(p + 3) & kTchar) != 0) {
    p += 4;
  }
  while (p < n && (tchar(p) & kTchar) != 0) ++p;
  return p;
}

// The end of the item at s[p, n): the first space, tab or comma, or n.
// 8 bytes at a time. The item's bytes are not checked here.
inline size_t ItemEnd(const char* s, size_t p, size_t n) noexcept {
  while (n - p >= 8) {
    const uint64_t w = Load64(s + p);
    const uint64_t sep = BytesEqual(w, 0x2020202020202020ull) |
                         BytesEqual(w, 0x0909090909090909ull) |
                         BytesEqual(w, 0x2c2c2c2c2c2c2c2cull);
    if (sep != 0) return p + (static_cast<size_t>(std::countr_zero(sep)) >> 3);
    p += 8;
  }
  while (p < n && (kAcrhClass[static_cast<uint8_t>(s[p])] & (kOws | kComma)) == 0) ++p;
  return p;
}

// `w` with its upper-case ASCII letters made lower case and every other
// ASCII byte unchanged. A non-ASCII byte stays non-ASCII (0xC1 becomes
// 0xE1), so it never equals a byte of an allowed name. No carry crosses a
// byte.
inline uint64_t LowerAscii8(uint64_t w) noexcept {
  const uint64_t heptets = w & 0x7f7f7f7f7f7f7f7full;
  const uint64_t at_least_a = heptets + 0x3f3f3f3f3f3f3f3full;  // high bit: byte >= 'A'
  const uint64_t above_z = heptets + 0x2525252525252525ull;     // high bit: byte > 'Z'
  const uint64_t upper = at_least_a & ~above_z & 0x8080808080808080ull;
  return w | (upper >> 2);
}

// Whether lower-case `stored` equals name[0, stored.size()) once that is
// lower-cased. `stored` is made of tchars, so a name equal to it is too,
// whatever bytes it was made of: lowering maps only 'A'-'Z' into ASCII
// letters, and no non-ASCII byte into ASCII.
inline bool EqualsLowered(std::string_view stored, const char* name) noexcept {
  const char* a = stored.data();
  const size_t n = stored.size();
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (Load64(a + i) != LowerAscii8(Load64(name + i))) return false;
    }
    return Load64(a + n - 8) == LowerAscii8(Load64(name + n - 8));
  }
  if (n >= 4) {
    const uint64_t x = Load32(a) | uint64_t{Load32(a + n - 4)} << 32;
    const uint64_t y = Load32(name) | uint64_t{Load32(name + n - 4)} << 32;
    return x == LowerAscii8(y);
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != ascii::ToLower(name[i])) return false;
  }
  return true;
}

// Whether the request header `name` (tchars, any case) is one of the
// route's allowed request headers (lower case). A short list is compared
// in place: a length, then the bytes, lower-cased 8 at a time. A longer
// one goes through the route's hash table, keyed by the lower-case name.
bool HeaderNameAllowed(const TableView& t, const RouteRecord& route,
                       std::string_view name) noexcept {
  constexpr uint32_t kLinearUpTo = 8;
  if (route.allow_headers.count <= kLinearUpTo) {
    const table_format::StringRef* ref = t.string_refs.data() + route.allow_headers.begin;
    const table_format::StringRef* const stop = ref + route.allow_headers.count;
    for (; ref != stop; ++ref) {
      if (ref->length == name.size() && EqualsLowered(t.String(*ref), name.data())) return true;
    }
    return false;
  }
  char lower[table_format::kMaxHeaderNameLength];  // REQUIRES: name.size() <= this
  for (size_t i = 0; i < name.size(); ++i) lower[i] = ascii::ToLower(name[i]);
  const std::string_view key(lower, name.size());
  return hash_index::Find(route.header_index, t.hash_control.data(), t.hash_slots.data(),
                          hash_index::Hash(key), [&](uint32_t ref) {
                            return hash_index::KeyEquals(t.String(t.string_refs[ref]), key);
                          }) != kNone;
}

// D12. Marks in *named each line that names a header.
//
// One pass over each line: between items, spaces, tabs and commas are
// skipped (SeparatorRun); an item runs up to the next of them (ItemEnd)
// and must be all tchars; after it, optional white space, then a comma or
// the end of the line. Anything else (a byte that is not a tchar, white
// space inside an item) refuses the list. This is the "split on commas,
// trim, check every byte" of D12 without the separate passes. A name
// longer than the longest allowed one is refused without a lookup.
bool RequestHeadersAllowed(const TableView& t, const RouteRecord& route, HeaderLines lines,
                           NamedLines* named) noexcept {
  if (lines.size() > kMaxAcrhLines) return false;
  size_t bytes = 0;
  for (std::string_view line : lines) bytes += line.size();
  if (bytes > kMaxAcrhBytes) return false;
  const bool any = (route.flags & table_format::kRouteAnyHeader) != 0;
  const size_t longest = route.max_header_name_length;  // read only when !any
  size_t names = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const char* const s = lines[i].data();
    const size_t n = lines[i].size();
    const size_t names_before = names;
    size_t p = 0;
    while (true) {
      p += SeparatorRun(s, p, n);
      if (p == n) break;
      // An item, whose bytes must be tchars. When any name is allowed, it
      // is the run of tchars here, and a bad byte after it is refused below
      // (it is no white space or comma). Otherwise it runs up to white
      // space, a comma or the end, and the lookup checks its bytes: an
      // allowed name is made of tchars, and so is any name equal to it.
      const size_t item = p;
      p = any ? TokenEnd(s, p, n) : ItemEnd(s, p, n);
      if (p == item) return false;  // not a tchar, not a separator
      if (++names > kMaxAcrhNames) return false;
      const size_t length = p - item;
      if (!any &&
          (length > longest || !HeaderNameAllowed(t, route, std::string_view(s + item, length)))) {
        return false;
      }
      if (p == n) break;
      while (ascii::IsOws(s[p])) {
        if (++p == n) break;
      }
      if (p == n) break;
      if (s[p] != ',') return false;  // white space inside an item, or a bad byte
      ++p;
    }
    if (names != names_before && !named->Add(i)) return false;
  }
  return true;
}

}  // namespace

Decision CompiledTable::Evaluate(const Request& request) const noexcept {
  const Rep& rep = *rep_;
  const TableView& t = rep.view;
  Decision d;
  const uint32_t route_id = FindRoute(t, request.path);
  d.route = route_id;  // kNone == kNoRule

  // The method to check: the request's, or for a preflight the one it
  // asks for (Classify trims it).
  std::string_view method = request.method;
  const Kind kind = Classify(request, &method);
  if (kind == Kind::kNotCors) {
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

  const bool preflight = kind == Kind::kPreflight;
  d.kind = kind;
  d.allowed = false;
  if (route_id == kNone) {
    d.reason = Reason::kNoRoute;
    return d;
  }
  const RouteRecord& route = t.routes[route_id];
  const table_format::OriginSetRecord& set = t.sets[route.origin_set];
  const std::string_view vary = t.String(preflight ? route.vary_preflight : route.vary_actual);
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

  // Method (D11: a preflight with several Access-Control-Request-Method
  // lines asks for no method token).
  if (preflight && request.request_method.size() != 1) {
    refuse(Reason::kMethodNotAllowed);
    return d;
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

  NamedLines named_lines;
  if (!RequestHeadersAllowed(t, route, request.request_headers, &named_lines)) {
    refuse(Reason::kHeaderNotAllowed);
    return d;
  }
  const bool private_network = AsksPna(request);
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
                                   ? method::Echo(method)
                                   : t.String(route.allow_methods_value));
  // D13: one field per line that names a header, trimmed.
  if (named_lines.count != 0) {
    for (size_t i = 0; i < request.request_headers.size(); ++i) {
      if (named_lines.Has(i)) {
        d.headers.Add(kAllowHeaders, ascii::TrimOws(request.request_headers[i]));
      }
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

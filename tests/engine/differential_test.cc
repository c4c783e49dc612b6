// Copyright corsc developers.
//
// Evaluate() against a slow, obviously correct reference that reads the
// TableSpec directly: linear scans over routes and origin rules, the
// spec's precedence rules written out as comparisons, no hash tables, no
// tries. Random policies (route patterns over a small alphabet, so that
// many overlap; origin lists mixing every kind) and random requests near
// them must get identical decisions, route and origin rule included.

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "corsc/origin.h"
#include "corsc/path_pattern.h"
#include "corsc/table.h"
#include "test_util.h"

namespace corsc::testing {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const size_t at = s.find(sep, pos);
    out.emplace_back(
        s.substr(pos, at == std::string_view::npos ? std::string_view::npos : at - pos));
    if (at == std::string_view::npos) return out;
    pos = at + 1;
  }
}

bool IsTchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// ------------------------------------------------------------ routes

// The precedence key of `pattern` matching `segments`, or nullopt: one
// rank per pattern segment (literal 0, param 1, "**" 2), then -1 if the
// pattern ends where the path ends. Lexicographically smaller is more
// specific: that is the spec's "compare segment by segment from the left;
// a literal beats a param, which beats **; ending beats going on with **".
std::optional<std::vector<int>> MatchKey(const std::vector<PathSegment>& pattern,
                                         const std::vector<std::string>& segments) {
  std::vector<int> key;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const PathSegment& p = pattern[i];
    if (p.kind == SegmentKind::kGlobstar) {
      key.push_back(2);
      return key;  // takes the rest, zero segments included
    }
    if (i >= segments.size()) return std::nullopt;
    if (p.kind == SegmentKind::kLiteral) {
      if (segments[i] != p.text) return std::nullopt;
      key.push_back(0);
    } else {
      if (segments[i].empty()) return std::nullopt;
      key.push_back(1);
    }
  }
  if (pattern.size() != segments.size()) return std::nullopt;
  key.push_back(-1);
  return key;
}

RuleId ReferenceRoute(const TableSpec& spec, std::string_view path) {
  RuleId catch_all = kNoRule;
  for (RuleId i = 0; i < spec.routes.size(); ++i) {
    if (spec.routes[i].catch_all) catch_all = i;
  }
  const size_t q = path.find('?');
  if (q != std::string_view::npos) path = path.substr(0, q);
  if (path.empty() || path[0] != '/') return catch_all;
  const std::vector<std::string> segments = Split(path.substr(1), '/');
  RuleId best = kNoRule;
  std::vector<int> best_key;
  for (RuleId i = 0; i < spec.routes.size(); ++i) {
    if (spec.routes[i].catch_all) continue;
    auto parsed = std::get<std::vector<PathSegment>>(ParsePathPattern(spec.routes[i].pattern));
    std::optional<std::vector<int>> key = MatchKey(parsed, segments);
    if (key && (best == kNoRule || *key < best_key)) {
      best = i;
      best_key = *key;
    }
  }
  return best != kNoRule ? best : catch_all;
}

// ------------------------------------------------------------ origins

// D1, written as a ranking: (tier, -suffix length, port class, list
// position); the smallest matching rule wins.
RuleId ReferenceOriginRule(const TableSpec& spec, const OriginSetSpec& set,
                           std::string_view origin) {
  std::optional<OriginParts> parts = ParseCanonicalOrigin(origin);
  std::optional<std::tuple<int, long, int, size_t>> best_rank;
  RuleId best = kNoRule;
  for (size_t pos = 0; pos < set.rules.size(); ++pos) {
    const OriginRuleSpec& r = spec.origin_rules[set.rules[pos]];
    std::optional<std::tuple<int, long, int, size_t>> rank;
    switch (r.kind) {
      case OriginKind::kAny:
        break;  // handled by the caller
      case OriginKind::kExact:
        if (r.text == origin) rank = std::make_tuple(0, 0L, 0, pos);
        break;
      case OriginKind::kHostAnyPort:
        if (parts && parts->scheme == r.scheme && parts->host == r.host) {
          rank = std::make_tuple(1, 0L, 0, pos);
        }
        break;
      case OriginKind::kSubdomain:
        if (parts && parts->scheme == r.scheme && parts->host.size() > r.host.size() + 1 &&
            parts->host.substr(parts->host.size() - r.host.size()) == r.host &&
            parts->host[parts->host.size() - r.host.size() - 1] == '.' &&
            (r.port == kAnyPort || r.port == parts->port)) {
          rank = std::make_tuple(2, -static_cast<long>(r.host.size()), r.port == kAnyPort ? 1 : 0,
                                 pos);
        }
        break;
      case OriginKind::kRegex: {
        RE2 re(r.text);
        if (parts && RE2::FullMatch(std::string(origin), re)) rank = std::make_tuple(3, 0L, 0, pos);
        break;
      }
    }
    if (rank && (!best_rank || *rank < *best_rank)) {
      best_rank = rank;
      best = set.rules[pos];
    }
  }
  return best;
}

// ------------------------------------------------------------ decision

// The decision as text, in the format of Describe(Decision).
std::string Reference(const TableSpec& spec, const Request& req) {
  Decision d;
  auto header = [&](const char* name, std::string value) {
    static thread_local std::deque<std::string> storage;  // keeps the views alive
    storage.push_back(std::move(value));
    d.headers.Add(name, storage.back());
  };
  const RuleId route_id = ReferenceRoute(spec, req.path);
  d.route = route_id;
  const RouteSpec* route = route_id == kNoRule ? nullptr : &spec.routes[route_id];
  const OriginSetSpec* set = route == nullptr ? nullptr : &spec.origin_sets[route->origin_set];
  RuleId star = kNoRule;
  if (set != nullptr) {
    for (RuleId r : set->rules) {
      if (star == kNoRule && spec.origin_rules[r].kind == OriginKind::kAny) star = r;
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
    return out;
  };

  if (req.origin.empty()) {
    if (route != nullptr && star != kNoRule) {
      d.origin_rule = star;
      header("Access-Control-Allow-Origin", "*");
      if (!route->expose_headers.empty()) {
        header("Access-Control-Expose-Headers", join(route->expose_headers));
      }
    } else if (route != nullptr && !set->rules.empty()) {
      header("Vary", "Origin");
    }
    return Describe(d);
  }
  bool preflight = false;
  if (req.method == "OPTIONS") {
    for (std::string_view l : req.request_method) preflight = preflight || !Trim(l).empty();
  }
  d.kind = preflight ? Kind::kPreflight : Kind::kActual;
  d.allowed = false;
  if (route == nullptr) {
    d.reason = Reason::kNoRoute;
    return Describe(d);
  }
  std::string vary;
  if (!set->rules.empty()) {
    std::vector<std::string> names;
    if (star == kNoRule) names.push_back("Origin");
    if (preflight) {
      names.push_back("Access-Control-Request-Method");
      names.push_back("Access-Control-Request-Headers");
      if (route->private_network) names.push_back("Access-Control-Request-Private-Network");
    }
    vary = join(names);
  }
  auto refuse = [&](Reason r) {
    d.reason = r;
    if (!vary.empty()) header("Vary", vary);
    return Describe(d);
  };

  std::string acao;
  if (star != kNoRule) {
    d.origin_rule = star;
    acao = "*";
  } else {
    if (req.origin.size() != 1 || req.origin[0].empty()) return refuse(Reason::kOriginNotAllowed);
    const RuleId rule = ReferenceOriginRule(spec, *set, req.origin[0]);
    if (rule == kNoRule) return refuse(Reason::kOriginNotAllowed);
    d.origin_rule = rule;
    acao = std::string(req.origin[0]);
  }

  std::string method(req.method);
  if (preflight) {
    if (req.request_method.size() != 1) return refuse(Reason::kMethodNotAllowed);
    method = Trim(req.request_method[0]);
  }
  const bool any_method =
      std::find(route->methods.begin(), route->methods.end(), "*") != route->methods.end();
  bool method_ok = false;
  if (any_method) {
    method_ok = !method.empty() && std::all_of(method.begin(), method.end(), IsTchar);
  } else {
    for (const std::string& m : route->methods) {
      const std::string upper = Lower(m) == "get" || Lower(m) == "head" || Lower(m) == "post" ||
                                        Lower(m) == "put" || Lower(m) == "delete" ||
                                        Lower(m) == "options"
                                    ? "ci"
                                    : "cs";
      method_ok = method_ok || (upper == "ci" ? Lower(m) == Lower(method) : m == method);
    }
  }
  if (!method_ok) return refuse(Reason::kMethodNotAllowed);

  if (!preflight) {
    d.allowed = true;
    d.reason = Reason::kOk;
    header("Access-Control-Allow-Origin", acao);
    if (route->credentials) header("Access-Control-Allow-Credentials", "true");
    if (!route->expose_headers.empty()) {
      header("Access-Control-Expose-Headers", join(route->expose_headers));
    }
    if (!vary.empty()) header("Vary", vary);
    return Describe(d);
  }

  // D12 / D13.
  size_t bytes = 0, names = 0;
  for (std::string_view l : req.request_headers) bytes += l.size();
  if (req.request_headers.size() > 128 || bytes > 8192) return refuse(Reason::kHeaderNotAllowed);
  const bool any_header = std::find(route->allow_headers.begin(), route->allow_headers.end(),
                                    "*") != route->allow_headers.end();
  std::vector<std::string> acah;
  for (std::string_view line : req.request_headers) {
    bool named = false;
    for (const std::string& raw : Split(line, ',')) {
      const std::string item = Trim(raw);
      if (item.empty()) continue;
      if (++names > 128 || !std::all_of(item.begin(), item.end(), IsTchar)) {
        return refuse(Reason::kHeaderNotAllowed);
      }
      named = true;
      if (!any_header && std::find(route->allow_headers.begin(), route->allow_headers.end(),
                                   Lower(item)) == route->allow_headers.end()) {
        return refuse(Reason::kHeaderNotAllowed);
      }
    }
    if (named) acah.push_back(Trim(line));
  }
  if (acah.size() > 64) return refuse(Reason::kHeaderNotAllowed);
  const bool pn =
      req.request_private_network.size() == 1 && Trim(req.request_private_network[0]) == "true";
  if (pn && !route->private_network) return refuse(Reason::kPrivateNetworkNotAllowed);

  d.allowed = true;
  d.reason = Reason::kOk;
  d.status = route->preflight_status;
  header("Access-Control-Allow-Origin", acao);
  if (route->credentials) header("Access-Control-Allow-Credentials", "true");
  // The six standard methods are written upper-case, even when echoed.
  const std::string upper = Upper(method);
  const bool standard = upper == "GET" || upper == "HEAD" || upper == "POST" || upper == "PUT" ||
                        upper == "DELETE" || upper == "OPTIONS";
  header("Access-Control-Allow-Methods",
         any_method ? (standard ? upper : method) : join(route->methods));
  for (const std::string& line : acah) header("Access-Control-Allow-Headers", line);
  if (route->max_age) header("Access-Control-Max-Age", std::to_string(*route->max_age));
  if (pn) header("Access-Control-Allow-Private-Network", "true");
  if (!vary.empty()) header("Vary", vary);
  return Describe(d);
}

// ------------------------------------------------------------ generators

template <typename T>
const T& Pick(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}

SpecBuilder RandomPolicy(std::mt19937_64& rng) {
  SpecBuilder b;
  const std::vector<std::string> origins = {"https://a.test",
                                            "https://b.a.test",
                                            "https://a.test:8443",
                                            "https://*.a.test",
                                            "https://*.b.a.test",
                                            "https://*.a.test:8443",
                                            "https://*.a.test:*",
                                            "http://a.test:*",
                                            "https://b.a.test:*",
                                            "http://[::1]:*",
                                            "http://127.0.0.1:*",
                                            "null",
                                            "*",
                                            "regex:^https://r[0-9]\\.a\\.test$",
                                            "regex:^https://.*\\.b\\.a\\.test$",
                                            "https://c.b.a.test"};
  const int sets = 1 + static_cast<int>(rng() % 4);
  for (int s = 0; s < sets; ++s) {
    std::vector<std::string> list;
    const int n = static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      std::string o = Pick(rng, origins);
      if (o == "*" && rng() % 3 != 0) continue;  // keep "*" sets rarer
      list.push_back(o);
    }
    b.Set(list);
  }
  // Patterns over a small alphabet, so that they overlap a lot.
  const std::vector<std::string> segs = {"a", "b", "", "{x}", "*", "a"};
  std::vector<std::string> shapes;
  const int routes = static_cast<int>(rng() % 10);
  for (int r = 0; r < routes; ++r) {
    std::string pattern;
    const int len = static_cast<int>(rng() % 4);
    std::vector<std::string> names;
    for (int i = 0; i < len; ++i) {
      std::string seg = Pick(rng, segs);
      if (seg == "{x}") seg = "{x" + std::to_string(i) + "}";
      pattern += "/" + seg;
    }
    if (len == 0 || rng() % 3 == 0) pattern += "/**";
    auto parsed = ParsePathPattern(pattern);
    if (!std::holds_alternative<std::vector<PathSegment>>(parsed)) continue;
    const std::string shape = PathShape(std::get<std::vector<PathSegment>>(parsed));
    if (std::find(shapes.begin(), shapes.end(), shape) != shapes.end()) continue;
    shapes.push_back(shape);
    RouteSpec& route = b.Route(pattern, static_cast<uint32_t>(rng() % sets));
    route.methods = rng() % 5 == 0 ? std::vector<std::string>{"*"}
                                   : std::vector<std::string>{"GET", "PUT", "PURGE"};
    route.allow_headers = rng() % 4 == 0 ? std::vector<std::string>{"*"}
                                         : std::vector<std::string>{"x-a", "content-type"};
    if (rng() % 2) route.expose_headers = {"x-e"};
    if (rng() % 2) route.max_age = static_cast<uint32_t>(rng() % 100);
    route.private_network = rng() % 3 == 0;
    route.preflight_status = rng() % 2 ? 204 : 200;
  }
  if (rng() % 2) b.CatchAll(static_cast<uint32_t>(rng() % sets));
  // "*" with credentials is refused by design; credentials elsewhere.
  for (RouteSpec& r : b.spec().routes) {
    bool star = false;
    for (RuleId id : b.spec().origin_sets[r.origin_set].rules) {
      star = star || b.spec().origin_rules[id].kind == OriginKind::kAny;
    }
    r.credentials = !star && rng() % 2 == 0;
  }
  return b;
}

std::string RandomPath(std::mt19937_64& rng) {
  const std::vector<std::string> segs = {"a", "b", "", "c", "a"};
  std::string path;
  const int len = static_cast<int>(rng() % 5);
  for (int i = 0; i < len; ++i) path += "/" + Pick(rng, segs);
  if (path.empty()) path = rng() % 4 ? "/" : (rng() % 2 ? "" : "*");
  if (rng() % 8 == 0) path += "?q=/a/b";
  return path;
}

TEST(Differential, EvaluateAgreesWithTheReference) {
  // Reproducible: a fixed seed, or --gtest_random_seed=N to explore others.
  const int flag_seed = GTEST_FLAG_GET(random_seed);
  const uint64_t seed = flag_seed != 0 ? static_cast<uint64_t>(flag_seed) : 12345;
  std::mt19937_64 rng(seed);
  const std::vector<std::string> origins = {
      "https://a.test", "https://b.a.test", "https://c.b.a.test", "https://d.c.b.a.test",
      "https://a.test:8443", "https://b.a.test:8443", "https://b.a.test:9", "http://a.test",
      "http://a.test:80", "http://a.test:1", "https://A.test", "https://r1.a.test",
      "https://r1.b.a.test", "https://x.b.a.test.evil", "https://aa.test", "http://[::1]",
      "http://[::1]:3", "http://127.0.0.1:8", "null", "", "https://.a.test",
      // Non-canonical near-variants of the patterns: must match no wildcard.
      "https://B.a.test", "https://x.B.a.test", "https://b.a.test:08443", "https://b.a.test:443",
      "https://b..a.test", "https://x y.b.a.test", "https://b.a.test/", "https://b.a.test.",
      "https://b.a.test:", "https://b.a.test:8443x", "HTTPS://b.a.test", "https://b.a.test:-1",
      "https://@.a.test", "http://[::1]:03", "http://[::01]", "http://[::1]:80",
      "http://127.0.0.01:8", "https://-_.b.a.test", "https://0.b.a.test", "https://1.a.test:*"};
  const std::vector<std::string> methods = {"GET",   "get",    "PUT", "PURGE",
                                            "purge", "DELETE", "G T", "OPTIONS"};
  const std::vector<std::string> acrh = {"x-a", "X-A, content-type", "x-b", " , ", "x a",
                                         "",    "CONTENT-TYPE,x-a"};
  int compared = 0;
  for (int p = 0; p < 300; ++p) {
    SpecBuilder b = RandomPolicy(rng);
    // Every strategy must decide alike (origin_matcher.h).
    std::vector<std::shared_ptr<const CompiledTable>> tables;
    for (Strategy s : {Strategy::kTable, Strategy::kRe2Set, Strategy::kLinear, Strategy::kNaive}) {
      b.spec().strategy = s;
      auto table = CompiledTable::FromSpec(b.spec());
      ASSERT_TRUE(table.ok()) << StrategyName(s) << ": " << table.status().ToString();
      tables.push_back(*table);
    }
    for (int q = 0; q < 60; ++q) {
      const bool has_origin = rng() % 8 != 0;
      const bool options = rng() % 2 == 0;
      TestRequest r(options ? "OPTIONS" : Pick(rng, methods), RandomPath(rng));
      if (has_origin) {
        r.H("Origin", Pick(rng, origins));
        if (rng() % 16 == 0) r.H("Origin", Pick(rng, origins));
      }
      if (options && rng() % 6 != 0) {
        r.H("Access-Control-Request-Method", Pick(rng, methods));
        if (rng() % 12 == 0) r.H("Access-Control-Request-Method", "GET");
      }
      const int lines = static_cast<int>(rng() % 3);
      for (int i = 0; i < lines; ++i) r.H("Access-Control-Request-Headers", Pick(rng, acrh));
      if (rng() % 3 == 0) r.H("Access-Control-Request-Private-Network", rng() % 4 ? "true" : "x");
      const std::string slow = Reference(b.spec(), r.request());
      for (const auto& table : tables) {
        const std::string fast = Describe(table->Evaluate(r.request()));
        ASSERT_EQ(fast, slow) << "strategy " << StrategyName(table->strategy()) << ", seed " << seed
                              << ", policy " << p << ", request " << q << ", path \""
                              << r.request().path << "\"";
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 300 * 60);
}

}  // namespace
}  // namespace corsc::testing

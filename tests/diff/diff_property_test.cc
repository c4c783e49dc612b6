// Copyright corsc developers.
//
// Diff() against the engine: random policy pairs (a policy and a few
// mutations of it), and for each, many requests decided by both tables.
// What a review gate relies on:
//
//   sound    a request that the new table grants more than the old one
//            (allowed where it was refused, or allowed with credentials,
//            more exposed headers, private network access) means Diff()
//            reports a widening on that request's class of paths, and one
//            it grants less a narrowing;
//   precise  a class of paths with a widening has a request that shows it
//            (the policies here have no regex, so every change is proven);
//   mirrored the narrowings of old -> new are the widenings of new -> old
//            (same class, field and value), so the precision of widenings,
//            checked in both directions, holds for narrowings too.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "corsc/compiler.h"
#include "corsc/diff.h"

namespace corsc::testing {
namespace {

// ---------------------------------------------------------------- policies

const std::vector<std::string> kPatterns = {"/a",       "/a/{x}",   "/a/**",   "/a/b",
                                            "/a/{x}/c", "/a/b/{y}", "/{z}/c",  "/**",
                                            "/a/b/",    "/b",       "/b/*/**", "/a/b/c/d"};
const std::vector<std::string> kOriginPatterns = {"https://a.example.com",
                                                  "https://b.example.com:8443",
                                                  "https://*.example.com",
                                                  "https://*.b.example.com",
                                                  "https://*.example.com:*",
                                                  "http://localhost:*",
                                                  "http://localhost:3000",
                                                  "http://*.localhost:*",
                                                  "null",
                                                  "*"};
const std::vector<std::string> kMethods = {"GET", "PUT", "DELETE", "PATCH", "POST", "*"};
const std::vector<std::string> kRequestHeaders = {"content-type", "x-a", "*"};
const std::vector<std::string> kResponseHeaders = {"x-r", "x-s", "*"};

using List = std::optional<std::vector<std::string>>;

struct Fields {
  List origins, methods, allow_headers, expose_headers;
  std::optional<bool> credentials, private_network;
  std::optional<int> max_age;
};

struct RouteModel {
  std::string path;
  Fields fields;
};

struct PolicyModel {
  Fields defaults;
  std::vector<RouteModel> routes;
};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  bool Coin(int percent) { return std::uniform_int_distribution<int>(0, 99)(rng_) < percent; }
  size_t Index(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  std::vector<std::string> Subset(const std::vector<std::string>& pool, int percent) {
    std::vector<std::string> out;
    for (const std::string& s : pool) {
      if (Coin(percent)) out.push_back(s);
    }
    return out;
  }

  Fields RandomFields(int percent_set) {
    Fields f;
    if (Coin(percent_set)) f.origins = Subset(kOriginPatterns, 25);
    if (Coin(percent_set)) f.methods = Subset(kMethods, 30);
    if (Coin(percent_set)) f.allow_headers = Subset(kRequestHeaders, 35);
    if (Coin(percent_set)) f.expose_headers = Subset(kResponseHeaders, 35);
    if (Coin(percent_set)) f.credentials = Coin(50);
    if (Coin(percent_set / 2)) f.private_network = Coin(50);
    if (Coin(percent_set / 2)) f.max_age = static_cast<int>(Index(3)) * 300;
    return f;
  }

  PolicyModel RandomPolicy() {
    PolicyModel p;
    p.defaults = RandomFields(70);
    for (const std::string& path : Subset(kPatterns, 30))
      p.routes.push_back({path, RandomFields(30)});
    return p;
  }

  void Toggle(List* list, const std::vector<std::string>& pool) {
    if (!list->has_value()) {
      *list = std::vector<std::string>{};
      return;
    }
    const std::string& item = pool[Index(pool.size())];
    auto it = std::find((*list)->begin(), (*list)->end(), item);
    if (it == (*list)->end()) {
      (*list)->push_back(item);
    } else {
      (*list)->erase(it);
    }
  }

  void Mutate(Fields* f) {
    switch (Index(8)) {
      case 0:
        Toggle(&f->origins, kOriginPatterns);
        break;
      case 1:
        Toggle(&f->methods, kMethods);
        break;
      case 2:
        Toggle(&f->allow_headers, kRequestHeaders);
        break;
      case 3:
        Toggle(&f->expose_headers, kResponseHeaders);
        break;
      case 4:
        f->credentials = !f->credentials.value_or(false);
        break;
      case 5:
        f->private_network = !f->private_network.value_or(false);
        break;
      case 6:
        f->max_age = f->max_age ? std::nullopt : std::optional<int>(60);
        break;
      default:
        f->origins.reset();
        break;
    }
  }

  PolicyModel Mutation(PolicyModel p) {
    const size_t n = 1 + Index(3);
    for (size_t i = 0; i < n; ++i) {
      const size_t what = Index(10);
      if (what == 0) {
        p.routes.push_back({kPatterns[Index(kPatterns.size())], RandomFields(30)});
      } else if (what == 1 && !p.routes.empty()) {
        p.routes.erase(p.routes.begin() + static_cast<long>(Index(p.routes.size())));
      } else if (what < 5 || p.routes.empty()) {
        Mutate(&p.defaults);
      } else {
        Mutate(&p.routes[Index(p.routes.size())].fields);
      }
    }
    return p;
  }

 private:
  std::mt19937 rng_;
};

std::string Toml(const std::vector<std::string>& items) {
  std::string s = "[";
  for (const std::string& i : items) s += (s.size() > 1 ? ", \"" : "\"") + i + "\"";
  return s + "]";
}

std::string Toml(const Fields& f) {
  std::string s;
  if (f.origins) s += "origins = " + Toml(*f.origins) + "\n";
  if (f.methods) s += "methods = " + Toml(*f.methods) + "\n";
  if (f.allow_headers) s += "allow_headers = " + Toml(*f.allow_headers) + "\n";
  if (f.expose_headers) s += "expose_headers = " + Toml(*f.expose_headers) + "\n";
  if (f.credentials)
    s += std::string("credentials = ") + (*f.credentials ? "true" : "false") + "\n";
  if (f.private_network) {
    s += std::string("private_network = ") + (*f.private_network ? "true" : "false") + "\n";
  }
  if (f.max_age) s += "max_age = " + std::to_string(*f.max_age) + "\n";
  return s;
}

std::string Toml(const PolicyModel& p) {
  std::string s = "version = 1\n[defaults]\n" + Toml(p.defaults);
  std::set<std::string> seen;
  for (const RouteModel& r : p.routes) {
    if (!seen.insert(r.path).second) continue;  // one route per pattern
    s += "[[routes]]\npath = \"" + r.path + "\"\n" + Toml(r.fields);
  }
  return s;
}

// The table of `p`, or null when the policy has errors ("*" with
// credentials, a route without origins...): the caller draws another.
std::shared_ptr<const CompiledTable> TableOf(const PolicyModel& p) {
  Compilation c = Compile(std::vector<SourceFile>{{"policy.toml", Toml(p)}}, CompileOptions{});
  return c.ok() ? c.table : nullptr;
}

// ---------------------------------------------------------------- requests

const std::vector<std::string> kPaths = {
    "/a", "/a/x",   "/a/b", "/a/b/c", "/a/x/c", "/a/b/",    "/q/c",     "/b",
    "/",  "/zz/yy", "*",    "/a/b/q", "/b/q",   "/b/q/r/s", "/a/b/c/d", "/a/b/c/"};
// At least one origin matched by each pattern of kOriginPatterns, and some
// that none matches.
const std::vector<std::string> kOrigins = {
    "https://a.example.com",      "https://q.example.com",      "https://q.b.example.com",
    "https://q.example.com:8443", "https://b.example.com:8443", "http://localhost",
    "http://localhost:3000",      "http://app.localhost:5173",  "null",
    "https://evil.com",           "http://q.example.com"};
const std::vector<std::string> kRequestMethods = {"GET", "HEAD", "PUT", "DELETE", "PATCH", "POST"};

// What one decision grants, to compare two decisions of one request.
struct Grant {
  bool allowed = false;
  bool credentials = false;
  bool private_network = false;
  std::set<std::string> exposed;  // lower case; "*" for any
};

Grant GrantOf(const Decision& d) {
  Grant g;
  g.allowed = d.allowed;
  if (!d.allowed) return g;
  g.credentials = d.headers.Find("Access-Control-Allow-Credentials").has_value();
  g.private_network = d.headers.Find("Access-Control-Allow-Private-Network").has_value();
  if (std::optional<std::string_view> v = d.headers.Find("Access-Control-Expose-Headers")) {
    std::string item;
    for (char c : std::string(*v) + ",") {
      if (c == ',') {
        if (!item.empty()) g.exposed.insert(item);
        item.clear();
      } else if (c != ' ') {
        item += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
  }
  return g;
}

// Whether `now` grants something `before` did not.
bool Grows(const Grant& before, const Grant& now) {
  if (!now.allowed) return false;
  if (!before.allowed) return true;
  if (now.credentials && !before.credentials) return true;
  if (now.private_network && !before.private_network) return true;
  if (before.exposed.count("*") != 0) return false;
  return std::any_of(now.exposed.begin(), now.exposed.end(),
                     [&](const std::string& h) { return before.exposed.count(h) == 0; });
}

// Calls f(decision of old, decision of new) for every request on `path`.
template <typename F>
void ForEachRequest(const CompiledTable& old_table, const CompiledTable& new_table,
                    const std::string& path, const std::vector<std::string>& origins, F f) {
  for (const std::string& origin : origins) {
    for (const std::string& method : kRequestMethods) {
      {
        RequestBuilder b(method, path);
        b.AddHeader("Origin", origin);
        f(old_table.Evaluate(b.request()), new_table.Evaluate(b.request()));
      }
      // Each header alone (so that one allowed name cannot hide another),
      // and private network access alone.
      for (const char* acrh : {"", "content-type", "x-a", "x-zz", "+pna"}) {
        RequestBuilder b("OPTIONS", path);
        b.AddHeader("Origin", origin);
        b.AddHeader("Access-Control-Request-Method", method);
        if (std::string_view(acrh) == "+pna") {
          b.AddHeader("Access-Control-Request-Private-Network", "true");
        } else if (*acrh != '\0') {
          b.AddHeader("Access-Control-Request-Headers", acrh);
        }
        f(old_table.Evaluate(b.request()), new_table.Evaluate(b.request()));
      }
    }
  }
}

// The class of `path` in `d`: the RouteDiff with the same pair of routes.
const RouteDiff* ClassOf(const DiffResult& d, const CompiledTable& old_table,
                         const CompiledTable& new_table, const std::string& path) {
  RequestBuilder b("GET", path);
  const RuleId o = old_table.Evaluate(b.request()).route;
  const RuleId n = new_table.Evaluate(b.request()).route;
  const std::string old_route = o == kNoRule ? "" : std::string(old_table.route_info(o).text);
  const std::string new_route = n == kNoRule ? "" : std::string(new_table.route_info(n).text);
  for (const RouteDiff& r : d.routes) {
    if (r.old_route == old_route && r.new_route == new_route) return &r;
  }
  return nullptr;
}

bool HasChange(const RouteDiff* r, ChangeKind kind) {
  return r != nullptr && std::any_of(r->changes.begin(), r->changes.end(),
                                     [&](const Change& c) { return c.kind == kind; });
}

// The changes of `kind` in `d`, one line each, keyed by class (old route,
// new route, swapped when `swap`), field and value.
std::multiset<std::string> ChangesOf(const DiffResult& d, ChangeKind kind, bool swap) {
  std::multiset<std::string> out;
  for (const RouteDiff& r : d.routes) {
    for (const Change& c : r.changes) {
      if (c.kind != kind) continue;
      out.insert((swap ? r.new_route + " -> " + r.old_route : r.old_route + " -> " + r.new_route) +
                 " " + std::to_string(static_cast<int>(c.field)) + " " + c.value);
    }
  }
  return out;
}

void CheckPair(const CompiledTable& old_table, const CompiledTable& new_table,
               const std::string& what) {
  Result<DiffResult> result = Diff(old_table, new_table);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const DiffResult& d = *result;

  // Sound: every growth seen on a sampled path is a widening of its class,
  // every shrinking a narrowing.
  for (const std::string& path : kPaths) {
    bool grows = false, shrinks = false;
    ForEachRequest(old_table, new_table, path, kOrigins, [&](const Decision& a, const Decision& b) {
      grows = grows || Grows(GrantOf(a), GrantOf(b));
      shrinks = shrinks || Grows(GrantOf(b), GrantOf(a));
    });
    const RouteDiff* c = ClassOf(d, old_table, new_table, path);
    EXPECT_TRUE(!grows || HasChange(c, ChangeKind::kWiden))
        << "access grows on " << path << " but no widening is reported\n"
        << what;
    EXPECT_TRUE(!shrinks || HasChange(c, ChangeKind::kNarrow))
        << "access shrinks on " << path << " but no narrowing is reported\n"
        << what;
  }

  // Precise: each class with a widening shows one on its example path,
  // with the sampled origins and the examples Diff() gave.
  for (const RouteDiff& r : d.routes) {
    if (!HasChange(&r, ChangeKind::kWiden)) continue;
    std::vector<std::string> origins = kOrigins;
    for (const Change& c : r.changes) {
      if (!c.example.empty()) origins.push_back(c.example);
    }
    bool grows = false;
    ForEachRequest(old_table, new_table, r.example_path, origins,
                   [&](const Decision& a, const Decision& b) {
                     grows = grows || Grows(GrantOf(a), GrantOf(b));
                   });
    EXPECT_TRUE(grows) << "a widening is reported on " << r.example_path << " (routes \""
                       << r.old_route << "\" -> \"" << r.new_route
                       << "\") but no request shows it\n"
                       << what;
    for (const Change& c : r.changes) EXPECT_TRUE(c.proven) << what;
  }
}

TEST(DiffPropertyTest, WideningsAreExactlyTheGrowthOfAccess) {
  int pairs = 0;
  size_t narrowings = 0;
  for (uint32_t seed = 1; pairs < 1000 && seed < 50000; ++seed) {
    Generator g(seed);
    PolicyModel a = g.RandomPolicy();
    PolicyModel b = g.Mutation(a);
    std::shared_ptr<const CompiledTable> ta = TableOf(a);
    std::shared_ptr<const CompiledTable> tb = TableOf(b);
    if (ta == nullptr || tb == nullptr) continue;
    ++pairs;
    const std::string what =
        "seed " + std::to_string(seed) + "\n--- old\n" + Toml(a) + "--- new\n" + Toml(b);
    CheckPair(*ta, *tb, what);
    CheckPair(*tb, *ta, "(swapped) " + what);
    // Mirrored.
    Result<DiffResult> forward = Diff(*ta, *tb);
    Result<DiffResult> backward = Diff(*tb, *ta);
    ASSERT_TRUE(forward.ok() && backward.ok());
    EXPECT_EQ(ChangesOf(*forward, ChangeKind::kNarrow, false),
              ChangesOf(*backward, ChangeKind::kWiden, true))
        << what;
    narrowings += forward->narrowings;
    if (::testing::Test::HasFailure()) break;  // one counterexample is enough
  }
  EXPECT_EQ(pairs, 1000) << "too few valid policies drawn";
  EXPECT_GT(narrowings, 50u) << "the mutations must narrow too, or the mirror checks nothing";
}

TEST(DiffPropertyTest, APolicyAgainstItselfHasNoDifference) {
  int compared = 0;
  for (uint32_t seed = 1; seed < 200; ++seed) {
    Generator g(seed);
    PolicyModel a = g.RandomPolicy();
    std::shared_ptr<const CompiledTable> t1 = TableOf(a);
    std::shared_ptr<const CompiledTable> t2 = TableOf(a);
    if (t1 == nullptr) continue;
    ++compared;
    Result<DiffResult> d = Diff(*t1, *t2);
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(d->routes.empty()) << Toml(a);
  }
  EXPECT_GE(compared, 50) << "too few valid policies drawn";  // 89 with these seeds
}

}  // namespace
}  // namespace corsc::testing

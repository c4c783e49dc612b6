// Copyright corsc developers.
//
// Evaluate() allocates nothing. This binary counts allocations
// (testutil/alloc_counter.h), warms every path up once (RE2
// fills its DFA cache lazily on first use) and then expects no allocation
// across many decisions of every kind: actual, preflight, not-cors, exact,
// wildcard and regex origins, refusals of every reason, hostile
// Access-Control-Request-Headers, and Engine::Reader::Evaluate.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "alloc_counter.h"
#include "corsc/engine.h"
#include "corsc/table.h"
#include "test_util.h"

namespace corsc::testing {
namespace {

TEST(ZeroAllocation, CounterWorks) {
  const uint64_t before = testutil::Allocations();
  auto* p = new std::string(100, 'x');
  const uint64_t after = testutil::Allocations();
  delete p;
  EXPECT_GE(after - before, 1u);
}

TEST(ZeroAllocation, EvaluateNeverAllocates) {
  SpecBuilder b = Storefront();
  // Two regexes: one of the simple shape, which corsc matches itself, and
  // one with an alternation, which runs RE2 (whose DFA, once warm, does
  // not allocate either: docs/design.md).
  RouteSpec& dev = b.Route("/dev/**", b.Set({"http://localhost:*", "https://*.b.test:8443",
                                             "regex:^https://r[0-9]+\\.test$",
                                             "regex:^https://(alpha|beta)[0-9]*\\.re\\.test$"}));
  dev.allow_headers = {"*"};
  dev.methods = {"*"};
  dev.private_network = true;
  auto table = b.Table();
  ASSERT_NE(table, nullptr);

  const std::string many_names = [] {
    std::string s;
    for (int i = 0; i < 128; ++i) s += "x-name-" + std::to_string(i) + ", ";
    return s;
  }();
  const std::string huge(100 * 1024, 'a');

  std::vector<std::unique_ptr<TestRequest>> requests;
  auto add = [&](const char* method, const char* path) -> TestRequest& {
    requests.push_back(std::make_unique<TestRequest>(method, path));
    return *requests.back();
  };
  // Actual: exact, wildcard, regex, refused origin, refused method.
  for (const char* origin : {"https://app.example.com", "https://a.b.example.com",
                             "https://pr-3.preview.example.net", "https://evil-example.com",
                             "https://example.com.evil.net", "https://APP.example.com", "null"}) {
    add("GET", "/api/v1/users/42").H("Origin", origin);
    add("PATCH", "/api/v1/users/42").H("Origin", origin);
    add("GET", "/orders").H("Origin", origin);
  }
  add("GET", "/public/a").H("Origin", "https://x.test");
  add("GET", "/internal/a").H("Origin", "https://app.example.com");
  add("GET", "/dev/a").H("Origin", "http://localhost:3000");
  add("GET", "/dev/a").H("Origin", "https://r12.test");
  add("GET", "/dev/a").H("Origin", "https://beta42.re.test");
  add("GET", "/dev/a").H("Origin", "https://gamma42.re.test");
  add("GET", "/dev/a").H("Origin", "https://q.b.test:8443");
  add("GET", "/dev/a").H("Origin", "a").H("Origin", "b");
  // Not-cors.
  add("GET", "/public/a");
  add("GET", "/api/v1/users/1");
  add("GET", "nowhere");
  // Preflights: allowed, and refused for every reason.
  add("OPTIONS", "/api/v1/users/42")
      .H("Origin", "https://shop.example.com")
      .H("Access-Control-Request-Method", "PUT")
      .H("Access-Control-Request-Headers", "content-type, Authorization");
  add("OPTIONS", "/api/v1/users/42")
      .H("Origin", "https://shop.example.com")
      .H("Access-Control-Request-Method", "PATCH");
  add("OPTIONS", "/api/v1/users/42")
      .H("Origin", "https://shop.example.com")
      .H("Access-Control-Request-Method", "PUT")
      .H("Access-Control-Request-Headers", "x-other");
  add("OPTIONS", "/api/v1/users/42")
      .H("Origin", "https://shop.example.com")
      .H("Access-Control-Request-Method", "PUT")
      .H("Access-Control-Request-Private-Network", "true");
  add("OPTIONS", "/dev/x")
      .H("Origin", "https://r1.test")
      .H("Access-Control-Request-Method", "PURGE")
      .H("Access-Control-Request-Headers", "a, b")
      .H("Access-Control-Request-Headers", "c")
      .H("Access-Control-Request-Private-Network", "true");
  // Hostile Access-Control-Request-Headers.
  add("OPTIONS", "/dev/x")
      .H("Origin", "http://localhost")
      .H("Access-Control-Request-Method", "GET")
      .H("Access-Control-Request-Headers", many_names);
  add("OPTIONS", "/dev/x")
      .H("Origin", "http://localhost")
      .H("Access-Control-Request-Method", "GET")
      .H("Access-Control-Request-Headers", huge);
  add("OPTIONS", "/api/v1/users/1")
      .H("Origin", "https://app.example.com")
      .H("Access-Control-Request-Method", "GET")
      .H("Access-Control-Request-Headers", std::string(4000, ','));
  add("OPTIONS", "/api/v1/users/1")
      .H("Origin", "https://app.example.com")
      .H("Access-Control-Request-Method", "GET")
      .H("Access-Control-Request-Headers", std::string(250, 'X'));
  add("OPTIONS", "/orders?x")
      .H("Origin", "https://app.example.com")
      .H("Access-Control-Request-Method", "GET");

  // No route: the storefront has a catch-all route, this table has none.
  SpecBuilder nb;
  nb.Route("/only", nb.Set({"https://app.example.com"}));
  auto no_catch_all = nb.Table();
  ASSERT_NE(no_catch_all, nullptr);
  TestRequest unrouted("OPTIONS", "/orders");
  unrouted.H("Origin", "https://app.example.com").H("Access-Control-Request-Method", "GET");
  ASSERT_EQ(no_catch_all->Evaluate(unrouted.request()).reason, Reason::kNoRoute);

  Engine engine(table);
  Engine::Reader reader = engine.NewReader();

  // Warm-up (RE2 builds DFA states on first use), then count.
  size_t digest = 0;
  for (int round = 0; round < 2; ++round) {
    for (auto& r : requests) digest += table->Evaluate(r->request()).headers.size();
  }
  const uint64_t before = testutil::Allocations();
  for (int round = 0; round < 200; ++round) {
    for (auto& r : requests) {
      const Decision d = table->Evaluate(r->request());
      digest += d.headers.size() + static_cast<size_t>(d.reason);
      reader.Evaluate(r->request(), [&](const Decision& e) { digest += e.headers.size(); });
    }
    digest += static_cast<size_t>(no_catch_all->Evaluate(unrouted.request()).reason);
  }
  const uint64_t allocations = testutil::Allocations() - before;
  EXPECT_EQ(allocations, 0u);
  EXPECT_GT(digest, 0u);
}

}  // namespace
}  // namespace corsc::testing

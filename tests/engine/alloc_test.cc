// Copyright corsc developers.
//
// Evaluate() allocates nothing. This binary replaces the global operator
// new and delete with counting versions, warms every path up once (RE2
// fills its DFA cache lazily on first use) and then expects no allocation
// across many decisions of every kind: actual, preflight, not-cors, exact,
// wildcard and regex origins, refusals of every reason, hostile
// Access-Control-Request-Headers, and Engine::Reader::Evaluate.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "corsc/engine.h"
#include "corsc/table.h"
#include "test_util.h"

// g++ 12 sees the replaced operator delete free() memory that the inlined
// operator new got from malloc() and calls it a mismatch; for replacement
// operators that is exactly right.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {

std::atomic<bool> g_counting{false};
std::atomic<size_t> g_allocations{0};

void* Allocate(std::size_t size, std::size_t align) {
  if (g_counting.load(std::memory_order_relaxed)) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
  }
  if (size == 0) size = 1;
  void* p;
  if (align <= alignof(std::max_align_t)) {
    p = std::malloc(size);
  } else {
    p = std::aligned_alloc(align, (size + align - 1) / align * align);
  }
  return p;
}

}  // namespace

void* operator new(std::size_t size) {
  if (void* p = Allocate(size, 0)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = Allocate(size, 0)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return Allocate(size, 0); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return Allocate(size, 0);
}
void* operator new(std::size_t size, std::align_val_t align) {
  if (void* p = Allocate(size, static_cast<std::size_t>(align))) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t align) {
  if (void* p = Allocate(size, static_cast<std::size_t>(align))) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace corsc::testing {
namespace {

TEST(ZeroAllocation, CounterWorks) {
  g_allocations = 0;
  g_counting = true;
  auto* p = new std::string(100, 'x');
  g_counting = false;
  delete p;
  EXPECT_GE(g_allocations.load(), 1u);
}

TEST(ZeroAllocation, EvaluateNeverAllocates) {
  SpecBuilder b = Storefront();
  RouteSpec& dev = b.Route("/dev/**", b.Set({"http://localhost:*", "https://*.b.test:8443",
                                             "regex:^https://r[0-9]+\\.test$"}));
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
  // No route.
  add("OPTIONS", "/orders?x")
      .H("Origin", "https://app.example.com")
      .H("Access-Control-Request-Method", "GET");

  Engine engine(table);
  Engine::Reader reader = engine.NewReader();

  // Warm-up (RE2 builds DFA states on first use), then count.
  size_t digest = 0;
  for (int round = 0; round < 2; ++round) {
    for (auto& r : requests) digest += table->Evaluate(r->request()).headers.size();
  }
  g_allocations = 0;
  g_counting = true;
  for (int round = 0; round < 200; ++round) {
    for (auto& r : requests) {
      const Decision d = table->Evaluate(r->request());
      digest += d.headers.size() + static_cast<size_t>(d.reason);
      reader.Evaluate(r->request(), [&](const Decision& e) { digest += e.headers.size(); });
    }
  }
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0u);
  EXPECT_GT(digest, 0u);
}

}  // namespace
}  // namespace corsc::testing

// Copyright corsc developers.
//
// The cost of one decision, per origin-matching strategy, request class and
// policy size, beside the floor: a bare absl::flat_hash_set<string_view>
// lookup of the same Origin values, measured in the same run. Every figure
// in bench/README.md is also given as a ratio to that floor.
//
// Workloads (policies: bench/workload.h; N = 10 ... 100,000 patterns):
//
//   decide/<strategy>/<class>/N:<n>    CompiledTable::Evaluate, one request of
//                                      the class per iteration, cycling
//                                      through up to 256 distinct ones.
//     exact_hit          an exact origin of the list. Hard: nothing; this is
//                        the floor's own work plus the route and the answer.
//     wildcard_d1        one label below a subdomain wildcard. Hard: the
//                        exact tier misses first, then the host must be
//                        split and matched from the right.
//     wildcard_d3        three labels below it. Hard: the longer the host,
//                        the more labels a label-by-label walk visits.
//     regex_hit          only a regex matches. Hard: the exact and
//                        wildcard tiers miss, the origin is parsed in full,
//                        then RE2 runs.
//     miss               a canonical origin nothing matches. Hard: every
//                        tier runs to the end, the regexes included.
//     lookalike          "https://evil-example-corp.com",
//                        "https://tenant-7.example-corp.com.evil.net":
//                        near misses. Hard: they share long suffixes or
//                        prefixes with real patterns.
//     preflight_allowed  OPTIONS, PUT, 3 request headers. Hard: the header
//                        list is parsed, each name lower-cased and looked up.
//     preflight_refused  OPTIONS asking for a method the route lacks.
//     hostile_acrh       an allowed preflight whose
//                        Access-Control-Request-Headers is 4 KiB of mostly
//                        empty items. Hard: every byte must be scanned.
//   floor/<class>/N:<n>        absl::flat_hash_set<string_view>::contains of
//                              the same Origin values (the exact patterns).
//   headers_only/<class>       the preflight classes on a policy whose origins
//                              are "*": the cost of everything but origin
//                              matching ("the header checks").
//   routes/table/exact_hit/R:<r>   exact hits at N = 1,000 with R = 1, 100,
//                              10,000 routes. Hard: the route trie grows.
//   shared_engine/table/exact_hit/N:100000/threads:<t>
//                              Engine::Reader::Evaluate on t threads sharing one
//                              Engine while another thread publishes a new
//                              table every millisecond. Hard: the hazard-
//                              pointer handshake, and cache lines shared
//                              between cores.
//   adversarial/table/origin_4k/N:100000   a 4 KiB Origin. Hard: the exact
//                              tier hashes all of it.
//
// Every decide benchmark reports allocs_per_decision (operator new calls
// inside the timed loop, per decision). `naive` is skipped at N = 100,000:
// it would compile 100,000 std::regex objects and spend tens of
// milliseconds per decision.
//
// Run: bench/run.sh (everything, with the report), or this binary with
// Google Benchmark's flags; --smoke runs each benchmark once at the
// smallest size (the CTest smoke test).

#include <absl/container/flat_hash_set.h>
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "corsc/engine.h"
#include "workload.h"

namespace corsc::bench {
namespace {

const int kSizes[] = {10, 100, 1000, 10000, 100000};
const int kRoutes[] = {1, 100, 10000};
const Strategy kStrategies[] = {Strategy::kTable, Strategy::kRe2Set, Strategy::kLinear,
                                Strategy::kNaive};

bool Feasible(Strategy s, int n) { return !(s == Strategy::kNaive && n > 10000); }

// Checks once that every request is decided as its class says.
bool CheckClass(benchmark::State& state, RequestClass c, const CompiledTable& table,
                const std::deque<OwnedRequest>& requests) {
  for (const OwnedRequest& r : requests) {
    if (!DecidedAsExpected(c, table, table.Evaluate(r.request))) {
      state.SkipWithError(("request not decided as its class says: origin " + r.origin).c_str());
      return false;
    }
  }
  return true;
}

void ReportAllocations(benchmark::State& state, uint64_t before) {
  const uint64_t allocations = Allocations() - before;
  state.counters["allocs_per_decision"] = benchmark::Counter(
      static_cast<double>(allocations) / static_cast<double>(state.iterations()));
  state.SetItemsProcessed(state.iterations());
}

void Decide(benchmark::State& state, const CompiledTable& table,
            const std::deque<OwnedRequest>& requests, RequestClass c) {
  if (!CheckClass(state, c, table, requests)) return;
  // A flat array of the requests, so that the loop reads no deque blocks.
  std::vector<const Request*> reqs;
  for (const OwnedRequest& r : requests) reqs.push_back(&r.request);
  size_t i = 0;
  const size_t n = reqs.size();
  const uint64_t before = Allocations();
  for (auto _ : state) {
    Decision d = table.Evaluate(*reqs[i]);
    benchmark::DoNotOptimize(d);
    if (++i == n) i = 0;
  }
  ReportAllocations(state, before);
}

void BM_Decide(benchmark::State& state, Strategy s, RequestClass c, int n) {
  const PolicyShape shape{n, 1, false};
  Decide(state, *TableFor(shape, s), Requests(c, shape), c);
}

void BM_Floor(benchmark::State& state, RequestClass c, int n) {
  const PolicyShape shape{n, 1, false};
  const Compilation& compiled = Compiled(shape);
  absl::flat_hash_set<std::string_view> set;
  for (const OriginRuleSpec& r : compiled.spec->origin_rules) {
    if (r.kind == OriginKind::kExact) set.insert(r.text);
  }
  std::vector<std::string_view> origins;
  for (const OwnedRequest& r : Requests(c, shape)) origins.push_back(r.origin);
  size_t i = 0, hits = 0;
  const size_t count = origins.size();
  const uint64_t before = Allocations();
  for (auto _ : state) {
    const bool hit = set.contains(origins[i]);
    benchmark::DoNotOptimize(hit);
    hits += hit;
    if (++i == count) i = 0;
  }
  ReportAllocations(state, before);
  benchmark::DoNotOptimize(hits);
}

void BM_HeadersOnly(benchmark::State& state, RequestClass c) {
  Decide(state, *HeadersOnlyTable(), Requests(c, PolicyShape{10, 1, false}), c);
}

void BM_Routes(benchmark::State& state, int routes) {
  const PolicyShape shape{1000, routes, false};
  Decide(state, *TableFor(shape, Strategy::kTable), Requests(RequestClass::kExactHit, shape),
         RequestClass::kExactHit);
}

void BM_Origin4k(benchmark::State& state, int n) {
  const PolicyShape shape{n, 1, false};
  const auto table = TableFor(shape, Strategy::kTable);
  const std::string origin = "https://" + std::string(4096 - 12, 'a') + ".com";
  const std::string_view line = origin;
  Request r;
  r.method = "GET";
  r.path = "/api/v1/items/42";
  r.origin = HeaderLines(&line, 1);
  const uint64_t before = Allocations();
  for (auto _ : state) {
    Decision d = table->Evaluate(r);
    benchmark::DoNotOptimize(d);
  }
  ReportAllocations(state, before);
}

// ------------------------------------------------------ the shared engine

// One Engine for every thread of a run, and a publisher that swaps in the
// other of two equal tables every millisecond until the run ends.
struct SharedEngine {
  std::shared_ptr<const CompiledTable> a, b;
  std::unique_ptr<Engine> engine;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> published{0};
  std::thread publisher;
};
SharedEngine* g_shared = nullptr;

constexpr int kSharedN = 100000;

void StartShared(const benchmark::State&) {
  const PolicyShape shape{kSharedN, 1, false};
  g_shared = new SharedEngine;
  g_shared->a = TableFor(shape, Strategy::kTable);
  auto again = CompiledTable::Open(g_shared->a->bytes());
  g_shared->b = *again;
  g_shared->engine = std::make_unique<Engine>(g_shared->a);
  g_shared->publisher = std::thread([] {
    bool flip = false;
    while (!g_shared->stop.load(std::memory_order_relaxed)) {
      g_shared->engine->Publish(flip ? g_shared->a : g_shared->b);
      flip = !flip;
      g_shared->published.fetch_add(1, std::memory_order_relaxed);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
}

void StopShared(const benchmark::State&) {
  g_shared->stop = true;
  g_shared->publisher.join();
  delete g_shared;
  g_shared = nullptr;
}

void BM_SharedEngine(benchmark::State& state) {
  const PolicyShape shape{kSharedN, 1, false};
  const std::deque<OwnedRequest>& requests = Requests(RequestClass::kExactHit, shape);
  std::vector<const Request*> reqs;
  for (const OwnedRequest& r : requests) reqs.push_back(&r.request);
  Engine::Reader reader = g_shared->engine->NewReader();
  size_t i = static_cast<size_t>(state.thread_index()) * 97 % reqs.size();
  const size_t n = reqs.size();
  uint64_t allowed = 0;
  const uint64_t before = Allocations();
  for (auto _ : state) {
    reader.Evaluate(*reqs[i], [&](const Decision& d) { allowed += d.allowed; });
    if (++i == n) i = 0;
  }
  if (allowed != static_cast<uint64_t>(state.iterations())) {
    state.SkipWithError("an exact hit was refused");
  }
  // Other threads allocate too (the publisher's bookkeeping), so this
  // counter is an upper bound here.
  ReportAllocations(state, before);
}

void RegisterAll() {
  for (int n : kSizes) {
    for (RequestClass c : kAllClasses) {
      const std::string tail = std::string(ClassName(c)) + "/N:" + std::to_string(n);
      benchmark::RegisterBenchmark(("floor/" + tail).c_str(), BM_Floor, c, n);
      for (Strategy s : kStrategies) {
        if (!Feasible(s, n)) continue;
        benchmark::RegisterBenchmark(
            ("decide/" + std::string(StrategyName(s)) + "/" + tail).c_str(), BM_Decide, s, c, n);
      }
    }
  }
  for (RequestClass c : {RequestClass::kPreflightAllowed, RequestClass::kPreflightRefused,
                         RequestClass::kHostileAcrh}) {
    benchmark::RegisterBenchmark(("headers_only/" + std::string(ClassName(c))).c_str(),
                                 BM_HeadersOnly, c);
  }
  for (int r : kRoutes) {
    benchmark::RegisterBenchmark(("routes/table/exact_hit/R:" + std::to_string(r)).c_str(),
                                 BM_Routes, r);
  }
  benchmark::RegisterBenchmark("adversarial/table/origin_4k/N:100000", BM_Origin4k, 100000);
  benchmark::RegisterBenchmark("shared_engine/table/exact_hit/N:100000", BM_SharedEngine)
      ->Setup(StartShared)
      ->Teardown(StopShared)
      ->Threads(1)
      ->Threads(2)
      ->UseRealTime();
}

}  // namespace
}  // namespace corsc::bench

// --smoke: every benchmark at the smallest size, once (CTest).
int main(int argc, char** argv) {
  corsc::bench::RegisterAll();
  return corsc::bench::RunBenchmarks(argc, argv, "(N:10|R:1|headers_only/.*)$");
}

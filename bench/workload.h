// Copyright corsc developers.
//
// The policies and requests the benchmarks share (evaluate_benchmark.cc,
// compile_benchmark.cc), and the allocation counter.
//
// A policy of N origin patterns is realistic SaaS traffic written as TOML
// and compiled by the real compiler:
//
//   exact          https://tenant-<i>.example-corp.com            the rest
//   subdomain      https://*.customer-<j>.example-saas.net        N/10 (at least 2);
//                  every 4th one level deeper, *.eu.customer-<j>...
//   host-any-port  http://dev-<k>.internal:*                      N/1000 (at least 1)
//   regex          ^https://pr-[0-9]+\.preview\.example-corp\.com$
//                  ^https://[a-z0-9-]+\.staging\.example-corp\.com$   always 2
//
// in [defaults] (the catch-all route), with 3 methods, 3 allowed request
// headers and credentials. With R routes, R - 1 more routes
// "/svc-<k>/v1/items/{id}" share that origin list (docs/decisions.md D30).

#ifndef CORSC_BENCH_WORKLOAD_H_
#define CORSC_BENCH_WORKLOAD_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "alloc_counter.h"
#include "corsc/compiler.h"
#include "corsc/decision.h"
#include "corsc/request.h"
#include "corsc/table.h"

namespace corsc::bench {

// Allocations made by this process since it started: every benchmark
// binary links tests/testutil/alloc_counter.cc.
using testutil::Allocations;

// ---------------------------------------------------------------- policies

struct PolicyShape {
  int origins = 10;         // N: origin patterns in the list
  int routes = 1;           // R: routes, the catch-all included
  bool exact_only = false;  // every pattern exact (bytes per exact origin)
};

// The TOML text of a policy of this shape.
std::string PolicyToml(const PolicyShape& shape);

// Counts of the patterns PolicyToml writes.
struct PatternCounts {
  int exact, subdomain, host_any_port, regex;
};
PatternCounts CountsFor(const PolicyShape& shape);

// The compiled policy, with the `table` strategy (spec and table), cached
// per shape for the life of the process.
const Compilation& Compiled(const PolicyShape& shape);

// The policy's table with `strategy`, built from the cached spec and
// opened, cached per (shape, strategy).
std::shared_ptr<const CompiledTable> TableFor(const PolicyShape& shape, Strategy strategy);

// A policy whose only route allows every origin ("*") and has the same
// methods and allowed headers: a preflight to it costs the route lookup,
// the method and request-header checks and the answer, and no origin
// matching. That is "the header checks" of a preflight.
std::shared_ptr<const CompiledTable> HeadersOnlyTable();

// ---------------------------------------------------------------- requests

// Each kind of request the benchmarks time (see evaluate_benchmark.cc for
// why each one is hard).
enum class RequestClass {
  kExactHit,
  kWildcardDepth1,
  kWildcardDepth3,
  kRegexHit,
  kMiss,
  kLookalike,
  kPreflightAllowed,
  kPreflightRefused,
  kHostileAcrh,
};
inline constexpr RequestClass kAllClasses[] = {RequestClass::kExactHit,
                                               RequestClass::kWildcardDepth1,
                                               RequestClass::kWildcardDepth3,
                                               RequestClass::kRegexHit,
                                               RequestClass::kMiss,
                                               RequestClass::kLookalike,
                                               RequestClass::kPreflightAllowed,
                                               RequestClass::kPreflightRefused,
                                               RequestClass::kHostileAcrh};
std::string_view ClassName(RequestClass c);  // "exact_hit", ...

// A request that owns its bytes. Not movable: `request` points into it.
struct OwnedRequest {
  OwnedRequest() = default;
  OwnedRequest(const OwnedRequest&) = delete;
  OwnedRequest& operator=(const OwnedRequest&) = delete;

  std::string method, path, origin, acrm, acrh;
  std::string_view origin_line, acrm_line, acrh_line;
  Request request;
};

// Up to 256 distinct requests of class `c` for a policy of `shape` (fewer
// when the policy has fewer targets), in a fixed pseudo-random order; the
// benchmarks cycle through them. `path` is the request path; an empty one
// picks "/api/v1/items/42" (the catch-all route).
const std::deque<OwnedRequest>& Requests(RequestClass c, const PolicyShape& shape);

// What a request of class `c` must be decided as: the benchmarks check
// every request once before timing, so that a class measures what its
// name says.
bool DecidedAsExpected(RequestClass c, const CompiledTable& table, const Decision& d);

// ---------------------------------------------------------------- main

// The main() of a benchmark binary: Google Benchmark's flags, plus
// `--smoke`, which runs only the benchmarks that `smoke_filter` (a
// --benchmark_filter regex) selects, once each (the CTest smoke tests).
// Call after registering the benchmarks.
int RunBenchmarks(int argc, char** argv, const char* smoke_filter);

}  // namespace corsc::bench

#endif  // CORSC_BENCH_WORKLOAD_H_

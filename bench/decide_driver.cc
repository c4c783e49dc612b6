// Copyright corsc developers.
//
// Instructions per decision, for a shared machine where wall-clock times
// drift: run this under Callgrind (bench/callgrind.sh does, and prints a
// table). For each N and request class it evaluates the class's requests
// (the ones evaluate_benchmark.cc times, bench/workload.h) a fixed number
// of times with Callgrind's collection on, then dumps the counters under
// the name "decide/<class>/N:<n>"; the floor (a bare
// absl::flat_hash_set<std::string_view>::contains of the same Origin
// values, as in evaluate_benchmark.cc) is dumped as "floor/<class>/N:<n>".
// Instruction counts do not depend on the load of the machine: they are
// what to compare between two versions of the engine, and the wall-clock
// benchmarks confirm them.
//
//   decide_driver [--n=10,100000] [--rounds=4] [--strategy=table]
//
// Outside Valgrind the client requests do nothing and the driver only
// checks that every request is decided as its class says, and that no
// decision allocates.

#include <absl/container/flat_hash_set.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name) ((void)(name))
#endif

#include "workload.h"

namespace corsc::bench {
namespace {

// Keeps the compiler from dropping a result.
template <typename T>
inline void Keep(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

std::vector<int> ParseSizes(const char* list) {
  std::vector<int> out;
  for (const char* p = list; *p != '\0';) {
    out.push_back(std::atoi(p));
    p = std::strchr(p, ',');
    if (p == nullptr) break;
    ++p;
  }
  return out;
}

// The headers-only table, for the preflight classes ("the header checks").
void RunHeadersOnly(int rounds) {
  const auto table = HeadersOnlyTable();
  for (RequestClass c : {RequestClass::kPreflightAllowed, RequestClass::kPreflightRefused,
                         RequestClass::kHostileAcrh}) {
    const auto& requests = Requests(c, PolicyShape{10, 1, false});
    std::vector<const Request*> reqs;
    for (const OwnedRequest& r : requests) reqs.push_back(&r.request);
    for (const Request* r : reqs) Keep(table->Evaluate(*r));  // warm up
    const std::string name = "headers_only/" + std::string(ClassName(c)) +
                             "/calls:" + std::to_string(reqs.size() * static_cast<size_t>(rounds));
    CALLGRIND_ZERO_STATS;
    for (int k = 0; k < rounds; ++k) {
      for (const Request* r : reqs) {
        Decision d = table->Evaluate(*r);
        Keep(d);
      }
    }
    CALLGRIND_DUMP_STATS_AT(name.c_str());
  }
}

int Run(int argc, char** argv) {
  std::vector<int> sizes = {10, 100000};
  int rounds = 4;
  Strategy strategy = Strategy::kTable;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("--n=")) {
      sizes = ParseSizes(argv[i] + 4);
    } else if (arg.starts_with("--rounds=")) {
      rounds = std::atoi(argv[i] + 9);
    } else if (arg.starts_with("--strategy=")) {
      const auto s = ParseStrategy(arg.substr(11));
      if (!s) {
        std::fprintf(stderr, "unknown strategy %s\n", arg.c_str() + 11);
        return 2;
      }
      strategy = *s;
    } else {
      std::fprintf(stderr,
                   "usage: decide_driver [--n=10,100000] [--rounds=4] [--strategy=table]\n");
      return 2;
    }
  }
  int failures = 0;
  for (int n : sizes) {
    const PolicyShape shape{n, 1, false};
    const auto table = TableFor(shape, strategy);
    absl::flat_hash_set<std::string_view> set;
    for (const OriginRuleSpec& r : Compiled(shape).spec->origin_rules) {
      if (r.kind == OriginKind::kExact) set.insert(r.text);
    }
    for (RequestClass c : kAllClasses) {
      const auto& requests = Requests(c, shape);
      std::vector<const Request*> reqs;
      std::vector<std::string_view> origins;
      for (const OwnedRequest& r : requests) {
        reqs.push_back(&r.request);
        origins.push_back(r.origin);
        if (!DecidedAsExpected(c, *table, table->Evaluate(r.request))) {
          std::fprintf(stderr, "N=%d %s: not decided as its class says: %s\n", n,
                       std::string(ClassName(c)).c_str(), r.origin.c_str());
          ++failures;
        }
      }
      const std::string tail = std::string(ClassName(c)) + "/N:" + std::to_string(n) + "/calls:" +
                               std::to_string(reqs.size() * static_cast<size_t>(rounds));

      // Named before the counters are zeroed (an allocation there could
      // cost malloc thousands of instructions), and alive until the
      // client request has read them.
      const std::string decide_name = "decide/" + tail;
      const std::string floor_name = "floor/" + tail;
      const uint64_t before = Allocations();
      CALLGRIND_ZERO_STATS;
      for (int k = 0; k < rounds; ++k) {
        for (const Request* r : reqs) {
          Decision d = table->Evaluate(*r);
          Keep(d);
        }
      }
      const uint64_t allocations = Allocations() - before;
      CALLGRIND_DUMP_STATS_AT(decide_name.c_str());
      if (allocations != 0) {
        std::fprintf(stderr, "N=%d %s: %llu allocations\n", n, std::string(ClassName(c)).c_str(),
                     static_cast<unsigned long long>(allocations));
        ++failures;
      }

      size_t hits = 0;
      CALLGRIND_ZERO_STATS;
      for (int k = 0; k < rounds; ++k) {
        for (std::string_view o : origins) {
          const bool hit = set.contains(o);
          Keep(hit);
          hits += hit;
        }
      }
      CALLGRIND_DUMP_STATS_AT(floor_name.c_str());
      Keep(hits);
    }
  }
  RunHeadersOnly(rounds);
  if (failures != 0) return 1;
  std::printf("decide_driver: every request decided as its class says, no allocation\n");
  return 0;
}

}  // namespace
}  // namespace corsc::bench

int main(int argc, char** argv) { return corsc::bench::Run(argc, argv); }

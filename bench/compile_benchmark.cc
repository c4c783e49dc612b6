// Copyright corsc developers.
//
// What a policy costs before the first request: compiling it, its size as
// a table, and loading that table, per policy size and strategy.
//
// Workloads (policies: bench/workload.h; N = 10 ... 100,000 patterns):
//
//   compile/N:<n>        Compile() of the TOML text: parse, resolve, check,
//                        lower, build the table and open it. Hard: every
//                        pattern is canonicalized, checked against the
//                        public-suffix list and hashed. Counters: table_bytes,
//                        bytes_per_pattern.
//   compile_exact/N:<n>  the same with exact origins only. Counter:
//                        bytes_per_exact (the table's bytes per exact origin,
//                        everything included).
//   build/N:<n>          BuildTable() of the lowered spec alone (encoding).
//   open/<strategy>/N:<n>  CompiledTable::Open() of the table bytes: verify,
//                        then build the strategy's matcher (RE2::Set,
//                        std::regex objects). Hard for re2set and naive: they
//                        compile one program per pattern set or per pattern.
//                        naive is skipped at N = 100,000 (tens of seconds).
//
// --smoke runs each once at the smallest size (the CTest smoke test).

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "workload.h"

namespace corsc::bench {
namespace {

const int kSizes[] = {10, 100, 1000, 10000, 100000};

void BM_Compile(benchmark::State& state, int n, bool exact_only) {
  const PolicyShape shape{n, 1, exact_only};
  const SourceFile file{"bench.toml", PolicyToml(shape)};
  uint64_t bytes = 0;
  for (auto _ : state) {
    Compilation c = Compile(std::span<const SourceFile>(&file, 1), {});
    if (!c.ok()) {
      state.SkipWithError("the policy does not compile");
      return;
    }
    bytes = c.table->stats().bytes;
    benchmark::DoNotOptimize(c);
  }
  const PatternCounts counts = CountsFor(shape);
  state.counters["patterns"] = n;
  state.counters["table_bytes"] = static_cast<double>(bytes);
  state.counters["bytes_per_pattern"] = static_cast<double>(bytes) / n;
  if (exact_only) state.counters["bytes_per_exact"] = static_cast<double>(bytes) / counts.exact;
  state.counters["toml_bytes"] = static_cast<double>(file.text.size());
}

void BM_Build(benchmark::State& state, int n) {
  const TableSpec& spec = *Compiled(PolicyShape{n, 1, false}).spec;
  for (auto _ : state) {
    Result<std::string> bytes = BuildTable(spec);
    benchmark::DoNotOptimize(bytes);
  }
}

void BM_Open(benchmark::State& state, Strategy s, int n) {
  TableSpec spec = *Compiled(PolicyShape{n, 1, false}).spec;
  spec.strategy = s;
  const Result<std::string> bytes = BuildTable(spec);
  if (!bytes.ok()) {
    state.SkipWithError("BuildTable failed");
    return;
  }
  for (auto _ : state) {
    auto table = CompiledTable::Open(*bytes);
    if (!table.ok()) {
      state.SkipWithError(table.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(table);
  }
  state.counters["table_bytes"] = static_cast<double>(bytes->size());
}

void RegisterAll() {
  for (int n : kSizes) {
    const std::string size = "N:" + std::to_string(n);
    benchmark::RegisterBenchmark(("compile/" + size).c_str(), BM_Compile, n, false)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("compile_exact/" + size).c_str(), BM_Compile, n, true)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("build/" + size).c_str(), BM_Build, n)
        ->Unit(benchmark::kMillisecond);
    for (Strategy s : {Strategy::kTable, Strategy::kRe2Set, Strategy::kLinear, Strategy::kNaive}) {
      if (s == Strategy::kNaive && n > 10000) continue;
      benchmark::RegisterBenchmark(("open/" + std::string(StrategyName(s)) + "/" + size).c_str(),
                                   BM_Open, s, n)
          ->Unit(benchmark::kMillisecond);
    }
  }
}

}  // namespace
}  // namespace corsc::bench

// --smoke: every benchmark at N = 10, once (CTest).
int main(int argc, char** argv) {
  corsc::bench::RegisterAll();
  return corsc::bench::RunBenchmarks(argc, argv, "N:10$");
}

// Copyright corsc developers.
//
// Linting cost. The budget: linting 1,000 policy files of typical
// size must take under a few seconds.
//
//   BM_Lint/typical_files     1,000 generated policies of typical size
//                             (30-60 lines: a few exact, wildcard and regex
//                             origins, 3-6 routes, a dev profile, tests),
//                             each compiled with lint on, as CI would lint a
//                             repository of services one policy at a time.
//                             Hard because every rule runs on every file.
//   BM_Compile/typical_files  the same with lint off: what linting adds.
//   BM_LintLargeList/N        one policy whose [defaults] list holds N
//                             exact origins (a tenth under a wildcard, a
//                             few matched by regexes) shared by 20 routes.
//                             Hard for covered-pattern detection: a pairwise
//                             check would be N^2; the index keeps it ~N.
//   BM_LintCli/typical_files  `corsc lint FILE` run as a process per file
//                             (process start-up included), when CORSC_BIN
//                             names the binary.
//
// Inputs are generated before the timed loop; the generator is
// deterministic.

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "corsc/compiler.h"
#include "workload.h"

extern char** environ;

namespace corsc {
namespace {

constexpr int kTypicalFiles = 1000;

// One policy of typical size; `i` varies names, counts and features.
std::string TypicalPolicy(int i) {
  const std::string d = "svc" + std::to_string(i) + ".example.com";
  const std::string escaped = "svc" + std::to_string(i) + "\\.example\\.com";  // for regexes
  std::string t;
  t += "# Service " + std::to_string(i) + ": generated for the lint benchmark.\n";
  t += "version = 1\nname = \"service-" + std::to_string(i) + "\"\n\n[defaults]\norigins = [\n";
  t += "  \"https://app." + d + "\",\n  \"https://admin." + d + "\",\n";
  t += "  \"https://*.partners." + d + "\",\n";
  if (i % 3 == 0) t += "  { regex = '^https://pr-[0-9]+\\.preview\\." + escaped + "$' },\n";
  if (i % 7 == 0) t += "  \"https://App." + d + ":443\",\n";                    // CORS100
  if (i % 11 == 0) t += "  { regex = '^https://.+\\." + escaped + ".*$' },\n";  // CORS108
  t += "]\nmethods = [\"GET\", \"POST\", \"PUT\"";
  if (i % 5 == 0) t += ", \"patch\"";  // CORS113
  t += "]\nallow_headers = [\"content-type\", \"authorization\", \"x-request-id\"]\n";
  t += "expose_headers = [\"x-request-id\"]\ncredentials = true\nmax_age = ";
  t += (i % 13 == 0 ? "10000" : "600");
  t += "\n\n";
  const int routes = 3 + i % 4;
  for (int r = 0; r < routes; ++r) {
    t += "[[routes]]\npath = \"/api/v" + std::to_string(r) + "/items/{id}\"\n";
    if (r % 2 == 0) t += "methods = [\"GET\", \"PUT\", \"DELETE\"]\n";
    if (r == 1) t += "origins.add = [\"https://tools." + d + "\"]\n";
    t += "\n";
  }
  t += "[[routes]]\npath = \"/public/**\"\norigins = [\"*\"]\ncredentials = false\n";
  t += "methods = [\"GET\"]\n\n";
  t += "[[routes]]\npath = \"/admin/**\"\nsensitive = true\n";
  t += "origins = [\"https://admin." + d + "\"]\n\n";
  t += "[profiles.dev.defaults]\norigins.add = [\"http://localhost:3000\"]\nmax_age = 0\n\n";
  t += "[profiles.prod]\n\n";
  t += "[[tests]]\nname = \"the app may put\"\nrequest = { method = \"OPTIONS\", path = "
       "\"/api/v0/items/1\", headers = { Origin = \"https://app." +
       d + "\", Access-Control-Request-Method = \"PUT\" } }\nexpect = { allowed = true }\n\n";
  t += "[[tests]]\nname = \"a look-alike is refused\"\nrequest = { path = \"/api/v0/items/1\", "
       "headers = { Origin = \"https://app." +
       d + ".evil.net\" } }\nexpect = { allowed = false, reason = \"origin-not-allowed\" }\n";
  return t;
}

const std::vector<SourceFile>& TypicalFiles() {
  static const auto* files = [] {
    auto* v = new std::vector<SourceFile>;
    for (int i = 0; i < kTypicalFiles; ++i) {
      v->push_back({"svc" + std::to_string(i) + ".toml", TypicalPolicy(i)});
    }
    return v;
  }();
  return *files;
}

void CompileAll(benchmark::State& state, bool lint) {
  const std::vector<SourceFile>& files = TypicalFiles();
  CompileOptions options;
  options.lint = lint;
  size_t findings = 0, lines = 0;
  for (const SourceFile& f : files)
    lines += static_cast<size_t>(std::count(f.text.begin(), f.text.end(), '\n'));
  for (auto _ : state) {
    findings = 0;
    for (const SourceFile& f : files) {
      Compilation c = Compile(std::span<const SourceFile>(&f, 1), options);
      if (!c.ok()) state.SkipWithError("a generated policy does not compile");
      findings += c.diagnostics.size();
      benchmark::DoNotOptimize(c);
    }
  }
  state.SetItemsProcessed(state.iterations() * kTypicalFiles);
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["lines_per_file"] = static_cast<double>(lines) / kTypicalFiles;
}

void BM_Lint(benchmark::State& state) { CompileAll(state, true); }
void BM_Compile(benchmark::State& state) { CompileAll(state, false); }
BENCHMARK(BM_Lint)->Name("BM_Lint/typical_files")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Compile)->Name("BM_Compile/typical_files")->Unit(benchmark::kMillisecond);

std::string LargeListPolicy(int n) {
  std::string t = "version = 1\n[defaults]\norigins = [\n";
  t += "  \"https://*.tenth.example.com\",\n";
  t += "  { regex = '^https://r[0-9]+\\.regex\\.example\\.org$' },\n";
  for (int i = 0; i < n; ++i) {
    if (i % 10 == 0) {
      t += "  \"https://h" + std::to_string(i) + ".tenth.example.com\",\n";  // covered
    } else if (i % 1000 == 1) {
      t += "  \"https://r" + std::to_string(i) + ".regex.example.org\",\n";  // covered by regex
    } else {
      t += "  \"https://h" + std::to_string(i) + ".example.net\",\n";
    }
  }
  t += "]\ncredentials = true\n";
  for (int r = 0; r < 20; ++r) t += "[[routes]]\npath = \"/r" + std::to_string(r) + "/**\"\n";
  t += "[[tests]]\nrequest = { path = \"/\", headers = { Origin = \"https://x.y\" } }\n"
       "expect = { allowed = false }\n";
  return t;
}

void BM_LintLargeList(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::vector<SourceFile> files = {{"large.toml", LargeListPolicy(n)}};
  CompileOptions options;
  options.lint = state.range(1) != 0;
  for (auto _ : state) {
    Compilation c = Compile(files, options);
    if (!c.ok()) state.SkipWithError("the generated policy does not compile");
    benchmark::DoNotOptimize(c);
  }
  state.SetComplexityN(n);
  state.SetLabel(options.lint ? "lint" : "compile");
}
BENCHMARK(BM_LintLargeList)
    ->ArgsProduct({{1000, 10000, 100000}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

// `corsc lint FILE` once per file, as separate processes.
void BM_LintCli(benchmark::State& state) {
  const char* bin = std::getenv("CORSC_BIN");
  if (bin == nullptr) {
    state.SkipWithError("set CORSC_BIN to the corsc binary");
    return;
  }
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("corsc-lint-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::vector<std::string> paths;
  for (const SourceFile& f : TypicalFiles()) {
    paths.push_back((dir / f.path).string());
    std::ofstream(paths.back()) << f.text;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  for (auto _ : state) {
    for (const std::string& path : paths) {
      std::vector<char*> argv = {const_cast<char*>(bin), const_cast<char*>("lint"),
                                 const_cast<char*>(path.c_str()), nullptr};
      pid_t pid = 0;
      if (posix_spawn(&pid, bin, &actions, nullptr, argv.data(), environ) != 0) {
        state.SkipWithError("cannot run CORSC_BIN");
        break;
      }
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        state.SkipWithError("corsc lint failed on a generated policy");
        break;
      }
    }
  }
  posix_spawn_file_actions_destroy(&actions);
  fs::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * kTypicalFiles);
}
BENCHMARK(BM_LintCli)
    ->Name("BM_LintCli/typical_files")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace corsc

// --smoke: lints the typical files once (CTest).
int main(int argc, char** argv) {
  return corsc::bench::RunBenchmarks(argc, argv, "^BM_Lint/typical_files$");
}

// Copyright corsc developers.
//
// Runs a fuzz target without libFuzzer, so that the normal (g++) test
// suite and its sanitizer build exercise every target on every commit:
//
//   <target>_replay [--mutations=M] [--seed=S] [--max-len=L] PATH...
//
// Every regular file under the PATHs (the committed seed corpus in
// tests/fuzz/corpus/<target>/, and whatever else is given) is passed to
// LLVMFuzzerTestOneInput as is, then M times mutated: one to four edits
// drawn from a generator seeded with S (a bit flip, a byte set to one the
// parsers care about, bytes inserted, a range erased or copied elsewhere, a
// piece of another input spliced in, a cut). The same flags give the same
// inputs on every machine, so a failure in CI reproduces locally.
//
// This is no substitute for coverage-guided fuzzing (README, "Fuzzing"):
// it finds what lies a few edits away from the corpus, which is where the
// corpus was left by the last real fuzzing run.
//
// A target reports a failure by crashing (a trap, an abort, a sanitizer
// report). The input that was running is then written to
// ./crash-<target> and named on stderr, so it can be run again:
//
//   <target>_replay crash-<target>          (this driver)
//   build-fuzz/tests/fuzz/<target> crash-<target>   (libFuzzer)

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Set when the sanitizers are linked in: called before they end the
// process (a UBSan report ends it with exit(), not a signal).
extern "C" __attribute__((weak)) void __sanitizer_set_death_callback(void (*callback)());

namespace {

namespace fs = std::filesystem;

// What a crash handler may read: set before each run, read only in the
// handler (async-signal-safe calls only there).
const std::string* g_input = nullptr;
char g_crash_file[256] = "crash-fuzz-target";
char g_what[512] = "";

volatile std::sig_atomic_t g_saved = 0;

void SaveInput() {
  if (g_input == nullptr || g_saved != 0) return;
  g_saved = 1;
  const int fd = ::open(g_crash_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    (void)!::write(fd, g_input->data(), g_input->size());
    ::close(fd);
  }
  (void)!::write(STDERR_FILENO, g_what, std::strlen(g_what));
}

void OnCrash(int sig) {
  SaveInput();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// A trap or an abort is always ours to report; a fault only when no one
// (AddressSanitizer) handles it already, so that its report is not lost.
void InstallCrashHandlers() {
  for (int sig : {SIGABRT, SIGILL, SIGTRAP}) std::signal(sig, OnCrash);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE}) {
    struct sigaction current {};
    if (::sigaction(sig, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      std::signal(sig, OnCrash);
    }
  }
}

struct Input {
  std::string name;
  std::string bytes;
};

bool ReadFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// Every regular file under `path` (or `path` itself), in name order.
bool Collect(const fs::path& path, std::vector<Input>* out) {
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) files.push_back(it->path());
    }
  } else if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
  }
  if (ec || files.empty()) {
    std::fprintf(stderr, "replay: %s: no input files%s%s\n", path.c_str(), ec ? ": " : "",
                 ec ? ec.message().c_str() : "");
    return false;
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    Input in{f.string(), {}};
    if (!ReadFile(f, &in.bytes)) {
      std::fprintf(stderr, "replay: %s: cannot read\n", f.c_str());
      return false;
    }
    out->push_back(std::move(in));
  }
  return true;
}

// Bytes the targets' parsers branch on: TOML and JSON punctuation, the
// pieces of origins and header lists, NUL (the evaluate target's
// separator), and the extremes.
constexpr char kInteresting[] = {'\0', '\n', '"', '\'', '[', ']', '{', '}', '=', ',', '.',
                                 '*',  ':',  '/', '\\', '#', ' ', '\t', '-', '0', '9', 'A',
                                 'z',  '\x7f', '\x80', '\xff'};

class Mutator {
 public:
  Mutator(uint64_t seed, size_t max_len) : rng_(seed), max_len_(max_len) {}

  std::string Mutate(std::string s, const std::vector<Input>& all) {
    const int edits = static_cast<int>(Below(4)) + 1;
    for (int i = 0; i < edits; ++i) Edit(s, all);
    if (s.size() > max_len_) s.resize(max_len_);
    return s;
  }

 private:
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng_() % n); }

  void Edit(std::string& s, const std::vector<Input>& all) {
    switch (Below(7)) {
      case 0:  // flip a bit
        if (!s.empty()) s[Below(s.size())] ^= static_cast<char>(1u << Below(8));
        break;
      case 1:  // set a byte to an interesting one
        if (!s.empty()) s[Below(s.size())] = kInteresting[Below(sizeof kInteresting)];
        break;
      case 2: {  // insert 1-8 bytes, random or interesting
        const size_t n = Below(8) + 1;
        std::string ins;
        for (size_t i = 0; i < n; ++i) {
          ins.push_back(Below(2) != 0 ? kInteresting[Below(sizeof kInteresting)]
                                      : static_cast<char>(Below(256)));
        }
        s.insert(Below(s.size() + 1), ins);
        break;
      }
      case 3:  // erase a range
        if (!s.empty()) {
          const size_t at = Below(s.size());
          s.erase(at, Below(std::min<size_t>(s.size() - at, 32)) + 1);
        }
        break;
      case 4:  // copy a range of the input elsewhere in it
        if (!s.empty()) {
          const size_t at = Below(s.size());
          const std::string piece = s.substr(at, Below(64) + 1);
          s.insert(Below(s.size() + 1), piece);
        }
        break;
      case 5: {  // splice in a piece of another input
        const std::string& other = all[Below(all.size())].bytes;
        if (!other.empty()) {
          const size_t at = Below(other.size());
          s.insert(Below(s.size() + 1), other.substr(at, Below(128) + 1));
        }
        break;
      }
      default:  // cut
        s.resize(Below(s.size() + 1));
        break;
    }
  }

  std::mt19937_64 rng_;
  size_t max_len_;
};

bool ParseFlag(std::string_view arg, std::string_view name, uint64_t* value) {
  if (arg.substr(0, name.size()) != name) return false;
  const std::string digits(arg.substr(name.size()));
  char* end = nullptr;
  *value = std::strtoull(digits.c_str(), &end, 10);
  if (digits.empty() || *end != '\0') {
    std::fprintf(stderr, "replay: bad value in %.*s\n", static_cast<int>(arg.size()), arg.data());
    std::exit(2);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t mutations = 0, seed = 1, max_len = 8192;
  std::vector<Input> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (ParseFlag(arg, "--mutations=", &mutations) || ParseFlag(arg, "--seed=", &seed) ||
        ParseFlag(arg, "--max-len=", &max_len)) {
      continue;
    }
    if (!Collect(arg, &inputs)) return 2;
  }
  if (inputs.empty()) {
    std::fprintf(stderr,
                 "usage: %s [--mutations=M] [--seed=S] [--max-len=L] FILE_OR_DIR...\n",
                 argv[0]);
    return 2;
  }
  const std::string target = fs::path(argv[0]).filename().string();
  std::snprintf(g_crash_file, sizeof g_crash_file, "crash-%s", target.c_str());
  InstallCrashHandlers();
  if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(SaveInput);

  auto run = [&](const std::string& bytes, const std::string& name, uint64_t mutation) {
    g_input = &bytes;
    std::snprintf(g_what, sizeof g_what,
                  "replay: crashed on %s, mutation %llu (--seed=%llu); input written to %s\n",
                  name.c_str(), static_cast<unsigned long long>(mutation),
                  static_cast<unsigned long long>(seed), g_crash_file);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  };
  Mutator mutator(seed, max_len);
  uint64_t runs = 0;
  for (const Input& in : inputs) {
    run(in.bytes, in.name, 0);
    ++runs;
    for (uint64_t m = 1; m <= mutations; ++m) {
      const std::string mutated = mutator.Mutate(in.bytes, inputs);
      run(mutated, in.name, m);
      ++runs;
    }
  }
  g_input = nullptr;
  std::printf("%s: %llu inputs run (%zu files, %llu mutations each, seed %llu), no failure\n",
              target.c_str(), static_cast<unsigned long long>(runs), inputs.size(),
              static_cast<unsigned long long>(mutations), static_cast<unsigned long long>(seed));
  return 0;
}

// Copyright corsc developers.
//
// What the subcommands share: exit statuses, error output, loading a policy
// or a table, writing files atomically, and the wording of their output
// (locations, quoted values, counts).

#ifndef CORSC_CLI_COMMON_H_
#define CORSC_CLI_COMMON_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corsc/compiler.h"
#include "corsc/table.h"

namespace corsc::cli {

// cli.md: 0 success, 1 the policy or the tests failed, 2 usage or I/O error.
enum ExitStatus : int {
  kExitOk = 0,
  kExitPolicyFailed = 1,
  kExitUsage = 2,
};

// Prints "corsc: error: <message>" on stderr.
void PrintError(std::string_view message);

// Colours for diagnostics: "auto" (stderr is a terminal and NO_COLOR is
// unset), "always" or "never".
bool WantColor(std::string_view mode, std::FILE* stream);

// Options every policy-reading subcommand takes.
struct PolicyOptions {
  std::vector<std::string> paths;
  std::string profile;
  std::string prod = "prod";
  bool undefined_profile_is_base = false;  // CompileOptions::undefined_profile_is_base
  Strategy strategy = Strategy::kTable;
  std::string color = "auto";
};

// Reads and compiles the policy, printing diagnostics (errors and, with
// lint, warnings) to stderr. On success returns the compilation and sets
// *status to kExitOk; otherwise sets *status (1 for policy errors, 2 for
// usage and I/O errors) and returns nullopt. `sources_out` receives the
// files read, when given.
std::optional<Compilation> LoadPolicy(const PolicyOptions& options, bool lint, int* status,
                                      std::vector<SourceFile>* sources_out = nullptr);
// The same for files already read (options.paths is not read).
std::optional<Compilation> CompilePolicy(std::vector<SourceFile> sources,
                                         const PolicyOptions& options, bool lint, int* status,
                                         std::vector<SourceFile>* sources_out = nullptr);

// Tables are small (a policy of 100,000 origins is a few MiB); a file this
// large is not one, and reading it would only waste memory.
inline constexpr uintmax_t kMaxTableFileBytes = uintmax_t{1} << 30;

// Loads a compiled table from a file; prints the error and returns null on
// failure (exit status 2: an unreadable or corrupt table is an I/O error).
std::shared_ptr<const CompiledTable> LoadTable(const std::string& path);
// The same for bytes already read from `path`.
std::shared_ptr<const CompiledTable> OpenTable(const std::string& path, std::string_view bytes);

// Writes `contents` to `path` atomically: a temporary file in the same
// folder, flushed to disk, then renamed over `path`. On failure nothing is
// left behind and `path` is untouched. A `path` that exists and is not a
// regular file (after following links: a device, a FIFO, a folder) is
// refused, not replaced.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

// "policies/api.toml:12:3".
std::string FormatLocation(std::string_view file, uint32_t line, uint32_t column);

// `s` in double quotes, as it is: unlike the compiler's text::Quote, nothing
// is escaped or cut.
std::string Quote(std::string_view s);

// "1 route", "2 routes", "3 regexes".
std::string Plural(uint64_t n, std::string_view noun);

}  // namespace corsc::cli

#endif  // CORSC_CLI_COMMON_H_

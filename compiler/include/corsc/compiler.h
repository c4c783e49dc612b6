// Copyright corsc developers.
//
// The policy compiler: TOML files in, diagnostics and a decision table out.
//
//   ReadSources   paths (files and folders) -> SourceFiles
//   Compile       SourceFiles -> load -> resolve (profile, inheritance)
//                 -> check (errors) [-> lint (warnings, notes)]
//                 -> lower (TableSpec) -> BuildTable -> CompiledTable
//
// Every mistake in a policy is a Diagnostic, and every one is reported, not
// only the first. Nothing here throws.
//
// Example:
//   Result<std::vector<SourceFile>> sources = ReadSources({"policies/"});
//   Compilation c = Compile(*sources, CompileOptions{.profile = "dev"});
//   if (!c.status.ok()) { ... exit 2 ... }
//   std::cerr << RenderText(c.diagnostics, *sources, /*color=*/false);
//   if (c.table) c.table->Evaluate(request);

#ifndef CORSC_COMPILER_H_
#define CORSC_COMPILER_H_

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "corsc/diagnostic.h"
#include "corsc/policy.h"
#include "corsc/status.h"
#include "corsc/table.h"
#include "corsc/table_spec.h"

namespace corsc {

struct SourceFile {
  std::string path;  // as the user wrote it (diagnostics print it)
  std::string text;
};

// Reads policy files. A folder means every *.toml file below it, in sorted
// order; files are read in the order given. IOError names the path that
// could not be read; a folder without any *.toml file is an error too.
Result<std::vector<SourceFile>> ReadSources(std::span<const std::string> paths);

struct CompileOptions {
  // The profile overlay to apply ([profiles.NAME]); empty: none.
  std::string profile;
  // The production profile. When `profile` equals it, origins unfit for
  // production are errors.
  std::string prod_profile = "prod";
  // When the files do not define `profile` (and it is not the production
  // profile): false, Compile fails (an unknown profile); true, the base
  // policy is compiled and the table records no profile. corsc diff sets
  // it, so that a change that adds a profile can be compared under it.
  bool undefined_profile_is_base = false;
  // The origin matching strategy stored in the table.
  Strategy strategy = Strategy::kTable;
  // Also run the linter's rules (warnings and notes). Errors are always
  // reported.
  bool lint = false;
  // Lint only: the severity of a lint code (100 and above) instead of the
  // catalogue's; nullopt ignores the code. A code below 100 is an error of
  // the language and may only be mapped to kError (a no-op): anything else,
  // or a code that is not in the catalogue, makes Compile fail with
  // InvalidArgument, with `lint` or without. Inline `# corsc:ignore
  // CORSnnn` comments in the files apply as well (docs/lint-rules.md).
  std::map<Code, std::optional<Severity>> severity_overrides;
};

struct Compilation {
  // Not OK when the command line asked for something the files do not
  // define (an unknown profile), when there is no source file or the
  // options are invalid (severity_overrides), or when a table could not
  // be built from a valid policy (a bug): exit status 2, not a policy
  // error.
  Status status;
  // Sorted by file order, line and column.
  std::vector<Diagnostic> diagnostics;
  // Profiles the files define, sorted.
  std::vector<std::string> profiles;
  // Set when there is no error.
  std::optional<ResolvedPolicy> policy;
  std::optional<TableSpec> spec;
  std::shared_ptr<const CompiledTable> table;

  bool ok() const { return status.ok() && table != nullptr; }
};

// Compiles `sources` as one policy, in the order given. An empty span is
// InvalidArgument ("no policy file given"), as ReadSources({}) is, rather
// than a table without routes that gives no request any CORS header.
Compilation Compile(std::span<const SourceFile> sources, const CompileOptions& options);

// The last stage on its own: a resolved policy to the table's content.
TableSpec Lower(const ResolvedPolicy& policy, Strategy strategy);

// Renders diagnostics the way compilers do:
//
//   policies/api.toml:7:12: error[CORS012]: wildcard directly above ...
//       origins = ["https://*.com"]
//                  ^~~~~~~~~~~~~~~
//   policies/api.toml:5:1: note: ...
//
// `sources` supplies the lines shown; `color` adds ANSI colours (only for a
// terminal).
std::string RenderText(std::span<const Diagnostic> diagnostics, std::span<const SourceFile> sources,
                       bool color);

// A JSON array of objects: code, name, severity, file, line, column,
// message, fix (or null), notes.
std::string RenderJson(std::span<const Diagnostic> diagnostics);

// A SARIF 2.1.0 log for code-scanning tools: one run whose tool.driver
// lists every code of the catalogue as a rule, and one result per
// diagnostic, located by the file's path as given (relative paths with
// forward slashes against %SRCROOT%; absolute ones as file: URIs). Columns
// are UTF-16 code units, as SARIF's default columnKind says; `sources`
// supplies the lines to count them on.
std::string RenderSarif(std::span<const Diagnostic> diagnostics,
                        std::span<const SourceFile> sources);

// Checks CompileOptions::severity_overrides: InvalidArgument naming the
// first code that is not in the catalogue, or below 100 and mapped to
// anything but kError.
Status CheckSeverityOverrides(const std::map<Code, std::optional<Severity>>& overrides);

// Logs the compiler's stage timings (debug level) to stderr when `on`;
// silent by default. For `corsc --verbose`; not thread-safe with a
// compilation under way.
void SetVerbose(bool on);

}  // namespace corsc

#endif  // CORSC_COMPILER_H_

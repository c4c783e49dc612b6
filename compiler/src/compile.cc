// Copyright corsc developers.
//
// Compile: the whole pipeline, one stage per file.
//
//   load.cc      TOML -> ast::File per file         CORS001-004, 050
//   check.cc     CheckValues: written values         CORS010-015, 020-022, 030-031, 040
//                CheckFiles: across files            CORS005, 006, 041
//   resolve.cc   profile, inheritance, origins.add   CORS007 (a resource bound)
//   check.cc     CheckPolicy: effective routes       CORS013, 016, 017, 023
//   lint.cc      when asked                          CORS100 and above
//   lower.cc     ResolvedPolicy -> TableSpec
//   engine       BuildTable + Open -> CompiledTable
//
// Every stage runs even after errors, over what is still valid, so that one
// run reports every mistake; a file that is not TOML contributes only its
// syntax error. The policy, the spec and the table are produced only when
// there is no error. Stage timings are logged at debug level.

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "ast.h"
#include "check.h"
#include "corsc/compiler.h"
#include "lint.h"
#include "load.h"
#include "resolve.h"
#include "text.h"

namespace corsc {
namespace {

class StageTimer {
 public:
  explicit StageTimer(const char* stage)
      : stage_(stage), start_(std::chrono::steady_clock::now()) {}
  ~StageTimer() {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start_)
                  .count();
    spdlog::debug("corsc compile: {} took {} us", stage_, us);
  }
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;

 private:
  const char* stage_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

Status CheckSeverityOverrides(const std::map<Code, std::optional<Severity>>& overrides) {
  for (const auto& [code, severity] : overrides) {
    // Info() falls back to the first entry for a value the enum does not
    // name ((Code)999): such an override would silently apply to nothing.
    if (Info(code).code != code) {
      return Status::InvalidArgument(FormatCode(code) +
                                     " is not a corsc code (docs/lint-rules.md lists them)");
    }
    if (static_cast<unsigned>(code) < 100 && severity != Severity::kError) {
      return Status::InvalidArgument(
          FormatCode(code) + " is an error of the policy language; it cannot be " +
          (severity ? "downgraded" : "ignored") + " (only lint codes, CORS100 and above, can)");
    }
  }
  return Status::Ok();
}

Compilation Compile(std::span<const SourceFile> sources, const CompileOptions& options) {
  Compilation c;
  // Checked even when not linting: a caller's mistake in the options is
  // reported where it is made, not on the day lint is turned on.
  c.status = CheckSeverityOverrides(options.severity_overrides);
  if (!c.status.ok()) return c;
  // No file would compile to a table without routes, which gives no CORS
  // to any request: a caller's mistake (an empty glob, a list not filled
  // in), as it is for ReadSources. corsc never passes none.
  if (sources.empty()) {
    c.status = Status::InvalidArgument("no policy file given");
    return c;
  }
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> paths;
  std::vector<ast::File> files;
  bool all_loaded = true;
  {
    StageTimer t("load");
    for (size_t i = 0; i < sources.size(); ++i) {
      paths.push_back(sources[i].path);
      if (std::optional<ast::File> file = LoadFile(sources[i], i, &diagnostics)) {
        files.push_back(std::move(*file));
      } else {
        all_loaded = false;
      }
    }
  }
  {
    StageTimer t("check values");
    CheckValues(&files, &diagnostics);
  }

  for (const ast::File& file : files) {
    for (const ast::Profile& p : file.profiles) c.profiles.push_back(p.name);
  }
  std::sort(c.profiles.begin(), c.profiles.end());
  c.profiles.erase(std::unique(c.profiles.begin(), c.profiles.end()), c.profiles.end());

  // A profile the files do not define is a usage error, unless it is the
  // production profile (then the base policy is the production policy).
  // When a file could not be parsed, the profile may be defined there: the
  // syntax error is then the one to fix first.
  std::string profile = options.profile;
  if (!profile.empty() && profile != options.prod_profile &&
      !std::binary_search(c.profiles.begin(), c.profiles.end(), profile)) {
    if (all_loaded && !options.undefined_profile_is_base) {
      c.status = Status::InvalidArgument(
          "profile \"" + profile +
          "\" is not defined by any policy file (defined: " + text::Join(c.profiles) + ")");
    }
    profile.clear();
  }

  ResolvedPolicy policy;
  {
    StageTimer t("check files");
    CheckFiles(files, c.profiles, options, &diagnostics);
  }
  {
    StageTimer t("resolve");
    policy = Resolve(files, profile, &diagnostics);
    // The table records the profile asked for (the production profile even
    // when the files do not define it: its checks applied), or none when
    // an undefined profile compiled the base policy.
    policy.profile = options.undefined_profile_is_base ? profile : options.profile;
    policy.files = paths;
  }
  {
    StageTimer t("check policy");
    CheckPolicy(policy, options, &diagnostics);
  }
  if (options.lint) {
    StageTimer t("lint");
    Lint(LintInput{files, sources, policy, options}, &diagnostics);
  }
  SortDiagnostics(&diagnostics, paths);
  c.diagnostics = std::move(diagnostics);
  if (!c.status.ok() || HasErrors(c.diagnostics)) return c;

  {
    StageTimer t("lower");
    c.spec = Lower(policy, options.strategy);
  }
  c.policy = std::move(policy);
  {
    StageTimer t("build table");
    Result<std::shared_ptr<const CompiledTable>> table = CompiledTable::FromSpec(*c.spec);
    if (table.ok()) {
      c.table = std::move(*table);
    } else {
      c.status = table.status();
    }
  }
  return c;
}

void SetVerbose(bool on) {
  if (on) {
    // stderr: stdout carries the command's output (JSON, SARIF, tables).
    // Not made through spdlog's registry, which refuses a second logger of
    // one name: a program may turn this on more than once.
    spdlog::set_default_logger(std::make_shared<spdlog::logger>(
        "corsc", std::make_shared<spdlog::sinks::stderr_sink_st>()));
    spdlog::set_pattern("%v");
  }
  spdlog::set_level(on ? spdlog::level::debug : spdlog::level::info);
}

}  // namespace corsc

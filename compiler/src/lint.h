// Copyright corsc developers.
//
// Stage 4, lint: warnings and notes about policies that compile but are
// probably not what their authors meant.

#ifndef CORSC_COMPILER_LINT_H_
#define CORSC_COMPILER_LINT_H_

#include <span>
#include <vector>

#include "ast.h"
#include "corsc/compiler.h"
#include "corsc/diagnostic.h"
#include "corsc/policy.h"

namespace corsc {

// What every lint rule may read: the files as written (every profile), their
// text (for inline suppressions and fixes), and the policy as compiled (the
// selected profile).
struct LintInput {
  std::span<const ast::File> files;
  std::span<const SourceFile> sources;
  const ResolvedPolicy& policy;
  const CompileOptions& options;
};

// Runs every rule of the catalogue's lint section (codes 100 and above),
// with options.severity_overrides and the files' `# corsc:ignore` comments
// applied.
void Lint(const LintInput& input, std::vector<Diagnostic>* diagnostics);

// Bounds of the route rules (CORS130-132): beyond this many routes they are
// skipped (their pairwise comparisons would grow with the square of the
// number of routes), and the reachability walk of one route stops after
// this many steps (then the route is not reported).
inline constexpr size_t kMaxLintedRoutes = 2000;
inline constexpr size_t kReachabilityBudget = 20000;

}  // namespace corsc

#endif  // CORSC_COMPILER_LINT_H_

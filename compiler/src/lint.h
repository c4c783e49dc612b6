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

// What every lint rule may read: the files as written (every profile) and
// the policy as compiled (the selected profile).
struct LintInput {
  std::span<const ast::File> files;
  const ResolvedPolicy& policy;
  const CompileOptions& options;
};

// Runs every rule of the catalogue's lint section (codes 100 and above).
void Lint(const LintInput& input, std::vector<Diagnostic>* diagnostics);

}  // namespace corsc

#endif  // CORSC_COMPILER_LINT_H_

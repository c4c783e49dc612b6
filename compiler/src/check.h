// Copyright corsc developers.
//
// Stage 3, check: the errors of the policy language beyond keys and types.

#ifndef CORSC_COMPILER_CHECK_H_
#define CORSC_COMPILER_CHECK_H_

#include <span>
#include <string>
#include <vector>

#include "ast.h"
#include "corsc/compiler.h"
#include "corsc/diagnostic.h"
#include "corsc/policy.h"

namespace corsc {

// Written values, one by one, in every file and every profile: origin
// patterns (CORS010-015), methods (CORS020, CORS021), header names
// (CORS022), max_age (CORS030), preflight_status (CORS031), route paths
// (CORS040). Fills the normalized forms in `files` (OriginEntry::pattern,
// StringList::normalized, Route::shape) and drops what is invalid, so
// that later stages see valid values only.
void CheckValues(std::vector<ast::File>* files, std::vector<Diagnostic>* diagnostics);

// Rules across files: [defaults] or a profile's defaults in two files
// (CORS005), two routes of one shape, among the base routes or among one
// profile's routes (CORS041), a test naming a profile no file defines
// (CORS006; `profiles` lists the defined ones, sorted).
void CheckFiles(std::span<const ast::File> files, std::span<const std::string> profiles,
                const CompileOptions& options, std::vector<Diagnostic>* diagnostics);

// Rules on the effective routes: no origins (CORS016), "*" with
// credentials (CORS013), expose_headers "*" with credentials (CORS023),
// and, under the production profile, origins unfit for production
// (CORS017). A conflict between two places is reported at the later one
// in file order, with a note at the other.
void CheckPolicy(const ResolvedPolicy& policy, const CompileOptions& options,
                 std::vector<Diagnostic>* diagnostics);

}  // namespace corsc

#endif  // CORSC_COMPILER_CHECK_H_

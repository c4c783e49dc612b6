// Copyright corsc developers.
//
// Stage 2, resolve: the files of a policy, one profile applied, to the
// ResolvedPolicy of corsc/policy.h.

#ifndef CORSC_COMPILER_RESOLVE_H_
#define CORSC_COMPILER_RESOLVE_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ast.h"
#include "corsc/diagnostic.h"
#include "corsc/policy.h"

namespace corsc {

// Every route holds its own copy of the origin list it inherits (see
// EffectiveRoute), so a long [defaults] list times many routes multiplies.
// Beyond this many patterns in all routes together (about 300 MB), the
// policy is refused with CORS007 rather than exhausting memory: 100 000
// origins shared by 10 routes still fit.
inline constexpr size_t kMaxEffectiveOrigins = 1'000'000;

// Merges `files` (after CheckValues) and applies the overlay of `profile`
// (empty: none; a name no file defines: none either). A value that
// check.cc dropped is simply absent. Sets `routes`, `catch_all`, `name` and
// `tests`; the caller sets `profile` and `files`. The only diagnostic is
// CORS007 (kMaxEffectiveOrigins); the routes' origin lists are then cut.
ResolvedPolicy Resolve(std::span<const ast::File> files, std::string_view profile,
                       std::vector<Diagnostic>* diagnostics);

// How messages name a route: "route \"/api/**\"" or "the catch-all route
// [defaults]".
std::string RouteName(const EffectiveRoute& route);

}  // namespace corsc

#endif  // CORSC_COMPILER_RESOLVE_H_

// Copyright corsc developers.
//
// Stage 2, resolve: the files of a policy, one profile applied, to the
// ResolvedPolicy of corsc/policy.h.

#ifndef CORSC_COMPILER_RESOLVE_H_
#define CORSC_COMPILER_RESOLVE_H_

#include <span>
#include <string_view>

#include "ast.h"
#include "corsc/policy.h"

namespace corsc {

// Merges `files` (after CheckValues) and applies the overlay of `profile`
// (empty: none; a name no file defines: none either). Never fails: a value
// that check.cc dropped is simply absent. Sets `routes`, `catch_all`,
// `name` and `tests`; the caller sets `profile` and `files`.
ResolvedPolicy Resolve(std::span<const ast::File> files, std::string_view profile);

}  // namespace corsc

#endif  // CORSC_COMPILER_RESOLVE_H_

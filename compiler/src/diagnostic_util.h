// Copyright corsc developers.
//
// What the compiler's stages share about diagnostics, beside the public
// corsc/diagnostic.h.

#ifndef CORSC_COMPILER_DIAGNOSTIC_UTIL_H_
#define CORSC_COMPILER_DIAGNOSTIC_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <tuple>

#include "corsc/diagnostic.h"

namespace corsc {

// An error of the policy language (codes below 100) at `where`, with no
// fix and no notes: how the compiler's stages report what they reject.
Diagnostic MakeError(Code code, SourceRange where, std::string message);

// Where `where` stands in file order: the rank of its file in `files` (the
// order files were given; a file not among them after all of them), then
// line, then column. Compare keys to order places.
std::tuple<size_t, uint32_t, uint32_t> FileOrderKey(std::span<const std::string> files,
                                                    const SourceRange& where);

}  // namespace corsc

#endif  // CORSC_COMPILER_DIAGNOSTIC_UTIL_H_

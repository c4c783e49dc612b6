// Copyright corsc developers.
//
// Stage 1, load: one policy file's text to its raw AST (ast.h).

#ifndef CORSC_COMPILER_LOAD_H_
#define CORSC_COMPILER_LOAD_H_

#include <optional>
#include <vector>

#include "ast.h"
#include "corsc/compiler.h"
#include "corsc/diagnostic.h"

namespace corsc {

// Parses `source` (the file at `index` in compile order) and checks its
// structure: every key known (CORS002), every value of the right type
// (CORS003), `version = 1` (CORS004), [[tests]] entries usable (CORS050).
// Returns nullopt when the text is not TOML (one CORS001 diagnostic);
// otherwise the file, with each mistaken key or value left out.
std::optional<ast::File> LoadFile(const SourceFile& source, size_t index,
                                  std::vector<Diagnostic>* diagnostics);

}  // namespace corsc

#endif  // CORSC_COMPILER_LOAD_H_

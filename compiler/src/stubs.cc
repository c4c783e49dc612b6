// Copyright corsc developers.
//
// TEMPORARY: placeholders so that the command line links while the
// compiler's stages are written. Removed when compiler/src lands.

#include "corsc/compiler.h"

namespace corsc {

Result<std::vector<SourceFile>> ReadSources(std::span<const std::string>) {
  return Status::NotSupported("the compiler is not implemented yet");
}

Compilation Compile(std::span<const SourceFile>, const CompileOptions&) {
  Compilation c;
  c.status = Status::NotSupported("the compiler is not implemented yet");
  return c;
}

TableSpec Lower(const ResolvedPolicy&, Strategy) { return {}; }

std::string RenderText(std::span<const Diagnostic>, std::span<const SourceFile>, bool) {
  return {};
}

std::string RenderJson(std::span<const Diagnostic>) { return "[]"; }

}  // namespace corsc

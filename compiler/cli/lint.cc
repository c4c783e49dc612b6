// Copyright corsc developers.
//
// corsc lint: parse, validate and lint; report every finding.

#include <iostream>

#include "commands.h"

namespace corsc::cli {

int RunLint(const LintArgs& args) {
  Result<std::vector<SourceFile>> sources = ReadSources(args.policy.paths);
  if (!sources.ok()) {
    PrintError(sources.status().message());
    return kExitUsage;
  }
  CompileOptions options;
  options.profile = args.policy.profile;
  options.prod_profile = args.policy.prod;
  options.lint = true;
  Compilation c = Compile(*sources, options);
  if (!c.status.ok() && !HasErrors(c.diagnostics)) {
    // A usage error (an unknown profile). A failure to build the table of
    // a policy with errors is expected and reported by the diagnostics.
    PrintError(c.status.message());
    return kExitUsage;
  }

  size_t errors = 0, warnings = 0, notes = 0;
  for (const Diagnostic& d : c.diagnostics) {
    switch (d.severity) {
      case Severity::kError:
        ++errors;
        break;
      case Severity::kWarning:
        ++warnings;
        break;
      case Severity::kNote:
        ++notes;
        break;
    }
  }
  if (args.format == "json") {
    std::cout << RenderJson(c.diagnostics) << '\n';
  } else {
    std::cerr << RenderText(c.diagnostics, *sources, WantColor(args.policy.color, stderr));
  }
  auto plural = [](size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  std::cerr << plural(sources->size(), "file") << " checked: " << plural(errors, "error")
            << ", " << plural(warnings, "warning") << ", " << plural(notes, "note") << '\n';
  if (errors > 0 || (args.werror && warnings > 0)) return kExitPolicyFailed;
  return kExitOk;
}

}  // namespace corsc::cli

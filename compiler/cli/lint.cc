// Copyright corsc developers.
//
// corsc lint: parse, validate and lint; report every finding.

#include <iostream>
#include <map>

#include "commands.h"
#include "text.h"

namespace corsc::cli {
namespace {

// Reads --warn, --error and --ignore into severity overrides. A code that
// is not in the catalogue, a code given to two of them, or an error of the
// language (below 100) given to --warn or --ignore is a usage error:
// returns false after printing it.
bool ReadOverrides(const LintArgs& args, std::map<Code, std::optional<Severity>>* out) {
  struct Option {
    const char* flag;
    const std::vector<std::string>* codes;
    std::optional<Severity> severity;
  };
  const Option options[] = {{"--warn", &args.warn, Severity::kWarning},
                            {"--error", &args.error, Severity::kError},
                            {"--ignore", &args.ignore, std::nullopt}};
  std::map<Code, const char*> given;
  for (const Option& o : options) {
    for (const std::string& raw : *o.codes) {
      const std::string item(text::TrimOws(raw));
      if (item.empty()) continue;  // "--ignore CORS103," leaves an empty item
      std::optional<Code> code = ParseCode(item);
      if (!code) {
        PrintError(std::string(o.flag) + ": unknown code \"" + item +
                   "\" (codes are CORSnnn, as docs/lint-rules.md lists them)");
        return false;
      }
      if (Status st = CheckSeverityOverrides({{*code, o.severity}}); !st.ok()) {
        PrintError(std::string(o.flag) + ": " + st.message());
        return false;
      }
      auto [it, inserted] = given.emplace(*code, o.flag);
      if (!inserted && std::string_view(it->second) != o.flag) {
        PrintError(FormatCode(*code) + " is given to both " + it->second + " and " + o.flag);
        return false;
      }
      (*out)[*code] = o.severity;
    }
  }
  return true;
}

}  // namespace

int RunLint(const LintArgs& args) {
  CompileOptions options;
  if (!ReadOverrides(args, &options.severity_overrides)) return kExitUsage;
  Result<std::vector<SourceFile>> sources = ReadSources(args.policy.paths);
  if (!sources.ok()) {
    PrintError(sources.status().message());
    return kExitUsage;
  }
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
  } else if (args.format == "sarif") {
    std::cout << RenderSarif(c.diagnostics, *sources) << '\n';
  } else {
    std::cerr << RenderText(c.diagnostics, *sources, WantColor(args.policy.color, stderr));
  }
  std::cerr << Plural(sources->size(), "file") << " checked: " << Plural(errors, "error") << ", "
            << Plural(warnings, "warning") << ", " << Plural(notes, "note") << '\n';
  if (errors > 0 || (args.werror && warnings > 0)) return kExitPolicyFailed;
  return kExitOk;
}

}  // namespace corsc::cli

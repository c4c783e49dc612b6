// Copyright corsc developers.
//
// The subcommands of cli.md. Each Run* function returns the exit status.

#ifndef CORSC_CLI_COMMANDS_H_
#define CORSC_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "common.h"

namespace corsc::cli {

struct LintArgs {
  PolicyOptions policy;
  std::string format = "text";  // text | json | sarif
  bool werror = false;          // warnings fail the run too
  // Severity overrides, as given ("CORS103"); each option may repeat and
  // take comma-separated lists.
  std::vector<std::string> warn;
  std::vector<std::string> error;
  std::vector<std::string> ignore;
};
int RunLint(const LintArgs& args);

struct CompileArgs {
  PolicyOptions policy;
  std::string out;
};
int RunCompile(const CompileArgs& args);

struct EvalArgs {
  PolicyOptions policy;  // --policy PATH...
  std::string table;     // --table FILE
  bool json = false;
  std::string requests;  // --requests FILE, "-" for stdin
  // One request, curl-style.
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::string> headers;   // "Name: value"
  bool single_request_flags = false;  // -X, --path or -H given at all
};
int RunEval(const EvalArgs& args);

struct TestArgs {
  PolicyOptions policy;
  bool verbose = false;  // also list the tests that pass
};
int RunTest(const TestArgs& args);

// corsc diff OLD NEW (diff.cc).
struct DiffArgs {
  PolicyOptions policy;  // --profile, --prod, --color; `paths` is unused
  std::string old_path;  // a policy (file or folder) or a compiled table
  std::string new_path;
  bool json = false;
  std::string fail_on;  // "" or "widen": exit 1 when access grows
};
int RunDiff(const DiffArgs& args);

}  // namespace corsc::cli

#endif  // CORSC_CLI_COMMANDS_H_

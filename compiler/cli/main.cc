// Copyright corsc developers.
//
// corsc: the command line of cli.md. This file only parses arguments (with
// CLI11) and hands them to the subcommands in commands.h.

#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.h"

namespace corsc::cli {
namespace {

void AddPolicyOptions(CLI::App* cmd, PolicyOptions* options, bool with_profile = true) {
  if (with_profile) {
    cmd->add_option("--profile", options->profile, "Profile overlay to apply ([profiles.NAME])");
    cmd->add_option("--prod", options->prod, "Name of the production profile")
        ->capture_default_str();
  }
  cmd->add_option("--color", options->color, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
}

int Main(int argc, char** argv) {
  CLI::App app{"corsc: CORS policies as code (lint, compile, eval, test, diff)", "corsc"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "corsc 0.1.0");
  bool verbose = false;
  app.add_flag("--verbose", verbose, "Log the compiler's stage timings to stderr");

  LintArgs lint;
  CLI::App* lint_cmd = app.add_subcommand("lint", "Parse, validate and lint policies");
  lint_cmd->add_option("PATH", lint.policy.paths, "Policy files or folders")->required();
  lint_cmd->add_option("--format", lint.format, "Output format: text, json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  lint_cmd->add_flag("--werror", lint.werror, "Treat warnings as errors");
  lint_cmd->add_option("--warn", lint.warn, "Report these lint codes as warnings (CORSnnn,...)")
      ->delimiter(',')
      ->allow_extra_args(false);
  lint_cmd->add_option("--error", lint.error, "Report these lint codes as errors (CORSnnn,...)")
      ->delimiter(',')
      ->allow_extra_args(false);
  lint_cmd->add_option("--ignore", lint.ignore, "Do not report these lint codes (CORSnnn,...)")
      ->delimiter(',')
      ->allow_extra_args(false);
  AddPolicyOptions(lint_cmd, &lint.policy);

  CompileArgs compile;
  std::string strategy = "table";
  CLI::App* compile_cmd = app.add_subcommand("compile", "Compile policies to a decision table");
  compile_cmd->add_option("PATH", compile.policy.paths, "Policy files or folders")->required();
  compile_cmd->add_option("-o,--output", compile.out, "Table file to write")->required();
  compile_cmd->add_option("--strategy", strategy, "Origin matching strategy")
      ->check(CLI::IsMember({"table", "re2set", "linear", "naive"}))
      ->capture_default_str();
  AddPolicyOptions(compile_cmd, &compile.policy);

  EvalArgs eval;
  CLI::App* eval_cmd = app.add_subcommand("eval", "Decide requests");
  eval_cmd->add_option("--policy", eval.policy.paths, "Policy files or folders")->expected(1, -1);
  eval_cmd->add_option("--table", eval.table, "A compiled table");
  eval_cmd->add_flag("--json", eval.json, "Print the decision as one JSON object");
  eval_cmd->add_option("--requests", eval.requests,
                       "JSON Lines requests to decide, one per line ('-': stdin)");
  const CLI::Option* eval_flags[] = {
      eval_cmd->add_option("-X,--request", eval.method, "Request method")->capture_default_str(),
      eval_cmd->add_option("--path", eval.path, "Request path")->capture_default_str(),
      eval_cmd->add_option("-H,--header", eval.headers, "Request header, \"Name: value\"")
          ->allow_extra_args(false)};
  AddPolicyOptions(eval_cmd, &eval.policy);

  TestArgs test;
  CLI::App* test_cmd = app.add_subcommand("test", "Run the [[tests]] of policies");
  test_cmd->add_option("PATH", test.policy.paths, "Policy files or folders")->required();
  test_cmd->add_flag("-v,--verbose", test.verbose, "Also list the tests that pass");
  AddPolicyOptions(test_cmd, &test.policy);

  DiffArgs diff;
  CLI::App* diff_cmd =
      app.add_subcommand("diff", "Difference in access between two policies or tables");
  diff_cmd->add_option("OLD", diff.old_path, "Old policy (file or folder) or compiled table")
      ->required();
  diff_cmd->add_option("NEW", diff.new_path, "New policy (file or folder) or compiled table")
      ->required();
  diff_cmd->add_flag("--json", diff.json, "Print the changes as one JSON object");
  diff_cmd->add_option("--fail-on", diff.fail_on, "Exit 1 when there is a widening: widen")
      ->check(CLI::IsMember({"widen"}));
  AddPolicyOptions(diff_cmd, &diff.policy);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message
    return kExitUsage;
  }
  SetVerbose(verbose);

  if (lint_cmd->parsed()) return RunLint(lint);
  if (compile_cmd->parsed()) {
    std::optional<Strategy> s = ParseStrategy(strategy);
    if (!s) {
      PrintError("unknown strategy \"" + strategy + "\"");
      return kExitUsage;
    }
    compile.policy.strategy = *s;
    return RunCompile(compile);
  }
  if (eval_cmd->parsed()) {
    for (const CLI::Option* flag : eval_flags) eval.single_request_flags |= flag->count() > 0;
    return RunEval(eval);
  }
  if (test_cmd->parsed()) return RunTest(test);
  if (diff_cmd->parsed()) return RunDiff(diff);
  return kExitUsage;
}

}  // namespace
}  // namespace corsc::cli

int main(int argc, char** argv) {
  try {
    return corsc::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    // Nothing below is meant to throw; if something does (out of memory),
    // say so and fail as an I/O error rather than abort.
    corsc::cli::PrintError(std::string("internal error: ") + e.what());
    return corsc::cli::kExitUsage;
  }
}

// Copyright corsc developers.
//
// Helpers for the compiler tests: compile policy text held in the test,
// find diagnostics, and read tests/testdata.

#ifndef CORSC_TESTS_COMPILER_TEST_UTIL_H_
#define CORSC_TESTS_COMPILER_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "corsc/compiler.h"

namespace corsc::testing {

inline Compilation CompileFiles(const std::vector<SourceFile>& files,
                                const CompileOptions& options = {}) {
  return Compile(files, options);
}

inline Compilation CompileText(const std::string& text, const CompileOptions& options = {}) {
  return Compile(std::vector<SourceFile>{{"policy.toml", text}}, options);
}

inline CompileOptions WithProfile(std::string profile, bool lint = false) {
  CompileOptions o;
  o.profile = std::move(profile);
  o.lint = lint;
  return o;
}

inline CompileOptions Linting() {
  CompileOptions o;
  o.lint = true;
  return o;
}

// The diagnostics with `code`.
inline std::vector<Diagnostic> WithCode(const Compilation& c, Code code) {
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : c.diagnostics) {
    if (d.code == code) out.push_back(d);
  }
  return out;
}

inline size_t ErrorCount(const Compilation& c) {
  size_t n = 0;
  for (const Diagnostic& d : c.diagnostics) n += d.severity == Severity::kError;
  return n;
}

// "policy.toml:7:12 CORS012 message" lines, for failure messages.
inline std::string Describe(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    out += d.where.file + ":" + std::to_string(d.where.line) + ":" +
           std::to_string(d.where.column) + " " + FormatCode(d.code) + " " +
           std::string(SeverityName(d.severity)) + ": " + d.message + "\n";
    for (const Diagnostic::Note& n : d.notes) {
      out += "    note " + n.where.file + ":" + std::to_string(n.where.line) + ":" +
             std::to_string(n.where.column) + ": " + n.message + "\n";
    }
  }
  return out.empty() ? "(no diagnostics)\n" : out;
}

// Passes when `c` has exactly one diagnostic, an error with `code` at
// `line` (and `column` when not 0).
inline ::testing::AssertionResult OneErrorAt(const Compilation& c, Code code, uint32_t line,
                                             uint32_t column = 0) {
  if (c.diagnostics.size() != 1) {
    return ::testing::AssertionFailure() << "expected one diagnostic, got:\n"
                                         << Describe(c.diagnostics);
  }
  const Diagnostic& d = c.diagnostics[0];
  if (d.code != code || d.severity != Severity::kError || d.where.line != line ||
      (column != 0 && d.where.column != column)) {
    return ::testing::AssertionFailure()
           << "expected " << FormatCode(code) << " error at " << line << ":" << column << ", got:\n"
           << Describe(c.diagnostics);
  }
  if (c.policy || c.spec) {
    return ::testing::AssertionFailure() << "a policy was produced despite the error";
  }
  return ::testing::AssertionSuccess();
}

// The values of a list of sourced values, in order.
inline std::vector<std::string> Values(const std::vector<Sourced<std::string>>& v) {
  std::vector<std::string> out;
  for (const Sourced<std::string>& s : v) out.push_back(s.value);
  return out;
}

// tests/testdata of the source tree (built in by tests/compiler/CMakeLists.txt).
inline std::string TestdataPath(const std::string& relative) {
  return std::string(CORSC_TESTDATA_DIR) + "/" + relative;
}

}  // namespace corsc::testing

#endif  // CORSC_TESTS_COMPILER_TEST_UTIL_H_

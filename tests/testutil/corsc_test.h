// Copyright corsc developers.
//
// CorscTest: the fixture of the tests that run the corsc binary as a user
// would. Each test gets a fresh temporary folder; corsc runs in the source
// tree, so relative paths look as they would in a CI job on a clone.

#ifndef CORSC_TESTS_CORSC_TEST_H_
#define CORSC_TESTS_CORSC_TEST_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "subprocess.h"

namespace corsc::testing {

// The whole content of a file ("" when it cannot be read).
inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `text` to `path`, creating its folder.
inline void Spit(const std::string& path, const std::string& text) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  std::ofstream(path, std::ios::binary) << text;
}

class CorscTest : public ::testing::Test {
 protected:
  void SetUp() override { tmp_ = MakeTempDir(); }
  void TearDown() override { std::filesystem::remove_all(tmp_); }

  // Runs corsc with `args` (and `input` on stdin) in the source tree.
  static ProcessResult Corsc(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), CorscBinary());
    return RunProcess(args, input, SourceDir());
  }

  // A path in this test's temporary folder.
  std::string Tmp(const std::string& name) const { return tmp_ + "/" + name; }

  // A file or folder of tests/testdata ("lint/clean"), relative to the
  // source tree, where Corsc() runs: corsc names it as written in what it
  // prints. Elsewhere (read by the test itself, given to a Child), prefix
  // SourceDir() + "/".
  static std::string TestData(const std::string& name) { return "tests/testdata/" + name; }

  std::string tmp_;
};

}  // namespace corsc::testing

#endif  // CORSC_TESTS_CORSC_TEST_H_

// Copyright corsc developers.
//
// Runs a program for an end-to-end test: arguments, optional stdin, a
// timeout, and the exit status, stdout and stderr it produced.

#ifndef CORSC_TESTS_SUBPROCESS_H_
#define CORSC_TESTS_SUBPROCESS_H_

#include <string>
#include <vector>

namespace corsc::testing {

struct ProcessResult {
  int exit_status = -1;  // -1: killed by a signal or timed out
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is the program path) with `input` on stdin, in
// `cwd` when not empty. Kills it after `timeout_seconds`.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& input = "",
                         const std::string& cwd = "", int timeout_seconds = 60);

// A child process with pipes, for tests that talk to it line by line.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool ok() const { return pid_ > 0; }
  // Writes to the child's stdin.
  bool Write(const std::string& data);
  // Reads one line from the child's stdout, waiting at most
  // `timeout_ms`; false on timeout or end of output.
  bool ReadLine(std::string* line, int timeout_ms);
  // Closes stdin and waits for the exit status (-1 on a signal).
  int CloseAndWait();

 private:
  int pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  std::string buffered_;
};

// The corsc binary under test ($CORSC_BIN, set by CTest) and the source
// tree ($CORSC_SOURCE_DIR).
std::string CorscBinary();
std::string SourceDir();
// A fresh empty directory under the system's temporary directory.
std::string MakeTempDir();

}  // namespace corsc::testing

#endif  // CORSC_TESTS_SUBPROCESS_H_

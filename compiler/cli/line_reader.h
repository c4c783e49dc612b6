// Copyright corsc developers.
//
// LineReader: reads lines from a file descriptor with bounded memory, and
// returns each line as soon as it is complete (a pipe is not read ahead
// until a buffer fills), so that `eval --requests -` answers each request
// before the next one arrives.

#ifndef CORSC_CLI_LINE_READER_H_
#define CORSC_CLI_LINE_READER_H_

#include <cstddef>
#include <string>

namespace corsc::cli {

class LineReader {
 public:
  enum class Result { kLine, kTooLong, kEnd, kError };

  // Lines longer than `max_line` bytes are skipped up to their newline and
  // reported as kTooLong; memory stays within about max_line + 64 KiB.
  LineReader(int fd, size_t max_line) : fd_(fd), max_line_(max_line) {}

  // Reads the next line into *line, without its "\n" (or "\r\n").
  Result Next(std::string* line);

 private:
  bool Fill();  // reads more bytes; false at end of input or on error

  int fd_;
  size_t max_line_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  bool error_ = false;
};

}  // namespace corsc::cli

#endif  // CORSC_CLI_LINE_READER_H_

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

  // A line of more than `max_line` bytes (not counting its "\n" or "\r\n")
  // is skipped up to its newline, or to the end of input, and reported as
  // one kTooLong. The buffer never holds more than max_line + 1 bytes and
  // one 64 KiB read block.
  LineReader(int fd, size_t max_line);

  // Reads the next line into *line, without its "\n" (or "\r\n").
  Result Next(std::string* line);

 private:
  bool Fill();  // reads more bytes; false at end of input or on error
  // The line buf_[start, end) (end at its '\n' or the end of input), less a
  // final '\r': kLine with *line set, or kTooLong.
  Result Take(size_t start, size_t end, std::string* line);

  int fd_;
  size_t max_line_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  bool error_ = false;
};

}  // namespace corsc::cli

#endif  // CORSC_CLI_LINE_READER_H_

// Copyright corsc developers.
//
// LineReader, the reader of `eval --requests`: one result per input line
// (D49), the length limit counted exactly (D51), and the same answers from
// a file as from a pipe that delivers its bytes a few at a time.

#include "line_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace corsc::cli {
namespace {

using Result = LineReader::Result;

// What a LineReader makes of `input`: each result up to kEnd (excluded),
// with the line's text for kLine.
using Lines = std::vector<std::pair<Result, std::string>>;

Lines ReadAll(int fd, size_t max_line) {
  LineReader reader(fd, max_line);
  Lines out;
  std::string line;
  for (Result r; (r = reader.Next(&line)) != Result::kEnd;) {
    out.emplace_back(r, r == Result::kLine ? line : "");
    if (r == Result::kError || out.size() > 100) break;
  }
  return out;
}

Lines ReadFromFile(const std::string& input, size_t max_line) {
  std::FILE* f = std::tmpfile();
  if (f == nullptr) return {{Result::kError, "tmpfile"}};
  std::fwrite(input.data(), 1, input.size(), f);
  std::fflush(f);
  std::rewind(f);
  Lines out = ReadAll(fileno(f), max_line);
  std::fclose(f);
  return out;
}

// Writes `input` into a pipe `piece` bytes per write().
Lines ReadFromPipe(const std::string& input, size_t max_line, size_t piece) {
  int fds[2];
  if (pipe(fds) != 0) return {{Result::kError, "pipe"}};
  std::thread writer([&] {
    for (size_t i = 0; i < input.size(); i += piece) {
      size_t n = std::min(piece, input.size() - i);
      if (write(fds[1], input.data() + i, n) != static_cast<ssize_t>(n)) break;
    }
    close(fds[1]);
  });
  Lines out = ReadAll(fds[0], max_line);
  close(fds[0]);
  writer.join();
  return out;
}

// Checks that a file and pipes of several write sizes give `want`.
void ExpectLines(const std::string& input, size_t max_line, const Lines& want) {
  EXPECT_EQ(ReadFromFile(input, max_line), want) << "from a file";
  for (size_t piece : {size_t{1000}, size_t{4096}, size_t{100000}}) {
    EXPECT_EQ(ReadFromPipe(input, max_line, piece), want) << "from a pipe, " << piece << " at once";
  }
}

const std::pair<Result, std::string> kTooLong = {Result::kTooLong, ""};

std::pair<Result, std::string> Line(std::string text) { return {Result::kLine, std::move(text)}; }

TEST(LineReaderTest, ReadsLinesWithOrWithoutAFinalNewline) {
  ExpectLines("a\nb\r\n\nc", 10, {Line("a"), Line("b"), Line(""), Line("c")});
  ExpectLines("a\n", 10, {Line("a")});
  ExpectLines("", 10, {});
}

// The repro of the review: an over-long last line without a newline, whose
// tail after the last dropped block is short enough to pass as a line. It
// is one line, so one kTooLong; never a second result for its tail.
TEST(LineReaderTest, AnOverLongLastLineWithoutNewlineIsOneResult) {
  const size_t max_line = 100;
  for (size_t head : {size_t{65 * 65536}, size_t{65536}, size_t{101}, size_t{150000}}) {
    ExpectLines(std::string(head, 'x') + "tail", max_line, {kTooLong});
    ExpectLines("ok\n" + std::string(head, 'x') + "tail", max_line, {Line("ok"), kTooLong});
  }
}

TEST(LineReaderTest, TheLineAfterAnOverLongLineIsReadWhole) {
  ExpectLines(std::string(300000, 'x') + "\nnext\n" + std::string(200, 'y') + "\r\nlast", 100,
              {kTooLong, Line("next"), kTooLong, Line("last")});
}

// The limit counts the line's bytes without "\n" or "\r\n", exactly, even
// when the line ends far into the block that was read after the limit.
TEST(LineReaderTest, TheLimitIsExact) {
  for (size_t max_line : {size_t{10}, size_t{70000}, size_t{4 << 20}}) {
    const std::string fits(max_line, 'x');
    const std::string over(max_line + 1, 'x');
    ExpectLines(fits + "\n" + over + "\n" + fits, max_line, {Line(fits), kTooLong, Line(fits)});
    ExpectLines(fits + "\r\n" + over + "\r\n" + over, max_line, {Line(fits), kTooLong, kTooLong});
    ExpectLines(over + "\n" + fits + "\r", max_line, {kTooLong, Line(fits)});
  }
}

// A line of the limit plus most of a read block, ended by a newline in the
// block read after the limit was passed (the review's 4 MiB + 59 KiB).
TEST(LineReaderTest, ALineEndingInTheBlockAfterTheLimitIsTooLong) {
  const size_t max_line = 4 << 20;
  ExpectLines(std::string(max_line + 59 * 1024, 'x') + "\nok\n", max_line, {kTooLong, Line("ok")});
}

}  // namespace
}  // namespace corsc::cli

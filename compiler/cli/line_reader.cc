// Copyright corsc developers.

#include "line_reader.h"

#include <unistd.h>

#include <cerrno>

namespace corsc::cli {
namespace {
constexpr size_t kChunk = 64 * 1024;
}  // namespace

LineReader::LineReader(int fd, size_t max_line) : fd_(fd), max_line_(max_line) {
  // The most the buffer ever holds: the start of a line that may still fit
  // (max_line bytes and a '\r' that may precede its '\n') and one read
  // block. Reserved once, because growing a std::string doubles its
  // capacity, which would make the bound twice the limit. Untouched pages
  // of the reservation cost no memory.
  buf_.reserve(max_line_ + 1 + kChunk);
}

bool LineReader::Fill() {
  if (eof_ || error_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  size_t old = buf_.size();
  buf_.resize(old + kChunk);
  ssize_t n;
  do {
    n = read(fd_, buf_.data() + old, kChunk);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) {
    buf_.resize(old);
    (n == 0 ? eof_ : error_) = true;
    return false;
  }
  buf_.resize(old + static_cast<size_t>(n));
  return true;
}

LineReader::Result LineReader::Next(std::string* line) {
  bool too_long = false;
  size_t searched = 0;  // bytes after pos_ already searched for '\n'
  while (true) {
    size_t nl = buf_.find('\n', pos_ + searched);
    if (nl != std::string::npos) {
      size_t start = pos_;
      pos_ = nl + 1;
      if (too_long) return Result::kTooLong;
      return Take(start, nl, line);
    }
    searched = buf_.size() - pos_;
    // Past max_line bytes and a '\r', no '\n' can end the line in time:
    // drop what we have of it and read on to its end. (A line that ends in
    // the block just read is measured exactly by Take().)
    if (searched > max_line_ + 1) {
      too_long = true;
      buf_.clear();
      pos_ = 0;
      searched = 0;
    }
    if (!Fill()) break;
  }
  if (error_) return Result::kError;
  if (too_long) {
    // The end of input ends the over-long line too. What was read of it
    // since the last drop is part of it, not a line of its own: answering
    // it on its own would give the input's line N two output lines (D49).
    buf_.clear();
    pos_ = 0;
    return Result::kTooLong;
  }
  if (pos_ == buf_.size()) return Result::kEnd;
  // A last line without "\n".
  size_t start = pos_;
  pos_ = buf_.size();
  return Take(start, buf_.size(), line);
}

LineReader::Result LineReader::Take(size_t start, size_t end, std::string* line) {
  if (end > start && buf_[end - 1] == '\r') --end;
  if (end - start > max_line_) return Result::kTooLong;
  line->assign(buf_, start, end - start);
  return Result::kLine;
}

}  // namespace corsc::cli

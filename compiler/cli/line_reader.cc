// Copyright corsc developers.

#include "line_reader.h"

#include <unistd.h>

#include <cerrno>

namespace corsc::cli {
namespace {
constexpr size_t kChunk = 64 * 1024;
}  // namespace

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
      size_t end = nl;
      if (end > start && buf_[end - 1] == '\r') --end;
      line->assign(buf_, start, end - start);
      return Result::kLine;
    }
    searched = buf_.size() - pos_;
    if (searched > max_line_) {
      // Drop what we have of this line and read on to its end.
      too_long = true;
      buf_.clear();
      pos_ = 0;
      searched = 0;
    }
    if (!Fill()) break;
  }
  if (error_) return Result::kError;
  if (too_long) return Result::kTooLong;
  if (pos_ == buf_.size()) return Result::kEnd;
  // A last line without "\n".
  line->assign(buf_, pos_, std::string::npos);
  if (!line->empty() && line->back() == '\r') line->pop_back();
  pos_ = buf_.size();
  return Result::kLine;
}

}  // namespace corsc::cli

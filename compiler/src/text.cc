// Copyright corsc developers.

#include "text.h"

#include <algorithm>

namespace corsc::text {

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToLower(c);
  return out;
}

std::string ToUpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToUpper(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != ToLower(b[i])) return false;
  }
  return true;
}

bool IsTokenChar(char c) {
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return IsAlpha(c) || IsDigit(c) || (c != '\0' && kSymbols.find(c) != std::string_view::npos);
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

bool IsNormalizedMethod(std::string_view upper) {
  static constexpr std::string_view kMethods[] = {"GET", "HEAD",   "POST",
                                                  "PUT", "DELETE", "OPTIONS"};
  return std::find(std::begin(kMethods), std::end(kMethods), upper) != std::end(kMethods);
}

bool IsForbiddenMethod(std::string_view upper) {
  return upper == "CONNECT" || upper == "TRACE" || upper == "TRACK";
}

std::string Quote(std::string_view s, size_t max_bytes) {
  bool cut = false;
  if (s.size() > max_bytes) {
    size_t n = max_bytes;
    // Do not split a UTF-8 sequence: back up over continuation bytes.
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s = s.substr(0, n);
    cut = true;
  }
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  out += '"';
  return out;
}

std::string Join(const std::vector<std::string>& items, size_t limit) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < limit; ++i) {
    if (!out.empty()) out += ", ";
    out += items[i];
  }
  if (items.size() > limit) out += " and " + std::to_string(items.size() - limit) + " more";
  return out.empty() ? "none" : out;
}

namespace {

// Optimal string alignment distance (Levenshtein plus adjacent
// transpositions), case-insensitive. Bounded inputs only: keys are short,
// and longer words are cut off by the caller.
size_t EditDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = ToLower(a[i - 1]) == ToLower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && ToLower(a[i - 1]) == ToLower(b[j - 2]) &&
          ToLower(a[i - 2]) == ToLower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

}  // namespace

std::optional<std::string_view> Suggest(std::string_view word,
                                        std::span<const std::string_view> candidates) {
  constexpr size_t kMaxEdits = 2;
  // A word much longer than every candidate is never within two edits.
  if (word.empty() || word.size() > 64) return std::nullopt;
  std::optional<std::string_view> best;
  size_t best_distance = kMaxEdits + 1;
  for (std::string_view c : candidates) {
    size_t d = EditDistance(word, c);
    if (d < best_distance && d < word.size()) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  size_t start = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  starts_.push_back(start);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
}

std::string_view LineIndex::Line(uint32_t line) const {
  if (line == 0 || line > starts_.size()) return {};
  size_t begin = starts_[line - 1];
  size_t end = line < starts_.size() ? starts_[line] - 1 : text_.size();
  std::string_view s = text_.substr(begin, end - begin);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

uint32_t LineIndex::ByteColumn(uint32_t line, uint32_t column) const {
  if (line == 0 || line > starts_.size() || column == 0) return column;
  std::string_view s = Line(line);
  if (ascii_.empty()) ascii_.assign(starts_.size(), 0);
  uint8_t& ascii = ascii_[line - 1];
  if (ascii == 0) {
    ascii =
        std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })
            ? 1
            : 2;
  }
  if (ascii == 1) return column;
  if (cached_line_ != line) {
    // Every byte that is not a UTF-8 continuation byte starts a code point.
    cached_offsets_.clear();
    for (size_t i = 0; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
        cached_offsets_.push_back(static_cast<uint32_t>(i));
      }
    }
    cached_line_ = line;
  }
  size_t cp = column - 1;
  if (cp < cached_offsets_.size()) return cached_offsets_[cp] + 1;
  // Past the end of the line (a position after its last character).
  return static_cast<uint32_t>(s.size() + (cp - cached_offsets_.size()) + 1);
}

std::pair<uint32_t, uint32_t> LineIndex::LineAndColumn(size_t offset) const {
  // The last line that starts at or before `offset`.
  size_t line = static_cast<size_t>(std::upper_bound(starts_.begin(), starts_.end(), offset) -
                                    starts_.begin());
  if (line == 0) return {1, 1};  // inside the byte order mark
  return {static_cast<uint32_t>(line), static_cast<uint32_t>(offset - starts_[line - 1] + 1)};
}

size_t TomlStringEnd(std::string_view text, size_t open) {
  const char quote = text[open];
  const bool escapes = quote == '"';
  const std::string triple(3, quote);
  const bool multi_line = text.substr(open, 3) == triple;
  size_t i = open + (multi_line ? 3 : 1);
  while (i < text.size()) {
    const char c = text[i];
    if (!multi_line && c == '\n') return i;
    if (escapes && c == '\\') {
      // Skip the escaped byte, unless it is the line break that ends a
      // single-line string.
      i += (!multi_line && i + 1 < text.size() && text[i + 1] == '\n') ? 1 : 2;
      continue;
    }
    if (c == quote && !multi_line) return i + 1;
    if (c == quote && text.substr(i, 3) == triple) {
      i += 3;
      for (int extra = 0; extra < 2 && i < text.size() && text[i] == quote; ++extra) ++i;
      return i;
    }
    ++i;
  }
  return text.size();
}

}  // namespace corsc::text

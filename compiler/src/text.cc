// Copyright corsc developers.

#include "text.h"

#include <algorithm>
#include <iterator>

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

namespace {

// Appends `s` with what a terminal would obey or mangle escaped: control
// characters (C0, DEL, and C1 written in UTF-8, which some terminals obey)
// and bytes that are not UTF-8, as "\n", "\t" or "\xNN" byte by byte; with
// `quoted`, '"' and '\' too.
void AppendEscaped(std::string_view s, bool quoted, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < s.size();) {
    const auto [cp, length] = DecodeUtf8(s, i);
    const bool not_utf8 = cp == 0xFFFD && length == 1;  // a real U+FFFD is 3 bytes
    if (not_utf8 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      for (size_t k = i; k < i + length; ++k) {
        const auto b = static_cast<unsigned char>(s[k]);
        if (b == '\n') {
          *out += "\\n";
        } else if (b == '\t') {
          *out += "\\t";
        } else {
          *out += "\\x";
          *out += kHex[b >> 4];
          *out += kHex[b & 0xF];
        }
      }
    } else {
      if (quoted && (s[i] == '"' || s[i] == '\\')) *out += '\\';
      out->append(s, i, length);
    }
    i += length;
  }
}

}  // namespace

std::string Escape(std::string_view s) {
  std::string out;
  AppendEscaped(s, /*quoted=*/false, &out);
  return out;
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
  AppendEscaped(s, /*quoted=*/true, &out);
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

std::optional<size_t> LineIndex::Offset(uint32_t line, uint32_t column) const {
  if (line == 0 || line > starts_.size() || column == 0) return std::nullopt;
  return starts_[line - 1] + column - 1;
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

namespace {

// The value of the hex digits s[0, n), or nullopt.
std::optional<char32_t> HexValue(std::string_view s, size_t n) {
  if (s.size() < n) return std::nullopt;
  char32_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    const char lower = ToLower(c);
    int digit = -1;
    if (IsDigit(c)) digit = c - '0';
    if (lower >= 'a' && lower <= 'f') digit = lower - 'a' + 10;
    if (digit < 0) return std::nullopt;
    v = v * 16 + static_cast<char32_t>(digit);
  }
  return v;
}

// `cp` in UTF-8; empty for a surrogate or a value above U+10FFFF.
std::string EncodeUtf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    if (cp >= 0xD800 && cp <= 0xDFFF) return out;
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp <= 0x10FFFF) {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

}  // namespace

std::optional<std::vector<SourceSpan>> TomlStringSources(std::string_view text, size_t open,
                                                         std::string_view value) {
  if (open >= text.size() || (text[open] != '"' && text[open] != '\'')) return std::nullopt;
  const char quote = text[open];
  const bool basic = quote == '"';
  const std::string triple(3, quote);
  const bool multi_line = text.substr(open, 3) == triple;
  // The string's bytes between its delimiters, by the scanner the other
  // passes over TOML strings use. An unclosed string (toml++ reported it)
  // does not end in its delimiter.
  const size_t delimiter = multi_line ? 3 : 1;
  const size_t close = TomlStringEnd(text, open);
  if (close < open + 2 * delimiter ||
      text.substr(close - delimiter, delimiter) != std::string_view(triple).substr(0, delimiter)) {
    return std::nullopt;
  }
  const size_t body_end = close - delimiter;
  std::string decoded;
  std::vector<SourceSpan> spans;
  auto emit = [&](std::string_view bytes, size_t begin, size_t end) {
    decoded += bytes;
    for (size_t k = 0; k < bytes.size(); ++k) spans.push_back({begin, end});
  };
  size_t i = open + delimiter;
  // TOML trims a newline right after a multi-line string's opening
  // delimiter: that line break is no part of the value.
  if (multi_line && text.substr(i, 1) == "\n") i += 1;
  if (multi_line && text.substr(i, 2) == "\r\n") i += 2;
  while (i < body_end) {
    const char c = text[i];
    if (multi_line && text.substr(i, 2) == "\r\n") {
      emit("\n", i, i + 2);  // a line break is "\n" in the value, as toml++ reads it
      i += 2;
      continue;
    }
    if (!basic || c != '\\') {
      emit(text.substr(i, 1), i, i + 1);
      ++i;
      continue;
    }
    const char e = i + 1 < text.size() ? text[i + 1] : '\0';
    static constexpr std::string_view kShort = "btnfre\"\\";
    static constexpr std::string_view kDecoded = "\b\t\n\f\r\x1b\"\\";
    if (size_t k = kShort.find(e); e != '\0' && k != std::string_view::npos) {
      emit(kDecoded.substr(k, 1), i, i + 2);
      i += 2;
    } else if (e == 'u' || e == 'U' || e == 'x') {
      const size_t digits = e == 'u' ? 4 : e == 'U' ? 8 : 2;
      std::optional<char32_t> cp = HexValue(text.substr(i + 2), digits);
      if (!cp) return std::nullopt;
      const std::string bytes = EncodeUtf8(*cp);
      if (bytes.empty()) return std::nullopt;
      emit(bytes, i, i + 2 + digits);
      i += 2 + digits;
    } else if (multi_line) {
      // A line-ending backslash: it and all white space and line breaks
      // after it are trimmed.
      size_t j = i + 1;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
      if (j >= text.size() || (text[j] != '\n' && text.substr(j, 2) != "\r\n")) {
        return std::nullopt;
      }
      while (j < text.size() &&
             (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r')) {
        ++j;
      }
      i = j;
    } else {
      return std::nullopt;
    }
  }
  if (decoded != value) return std::nullopt;
  return spans;
}

namespace {

struct Range {
  char32_t first, last;
};

bool InRanges(char32_t cp, std::span<const Range> ranges) {
  // Sorted and disjoint: the last range that starts at or before cp.
  auto it = std::upper_bound(ranges.begin(), ranges.end(), cp,
                             [](char32_t c, const Range& r) { return c < r.first; });
  return it != ranges.begin() && cp <= std::prev(it)->last;
}

// Combining marks and zero-width characters of the common scripts.
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0900, 0x0902}, {0x093C, 0x093C}, {0x0941, 0x0948},
    {0x094D, 0x094D}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},
    {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x202A, 0x202E},
    {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x302A, 0x302D}, {0x3099, 0x309A},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

// East Asian wide and full-width characters, and emoji.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x3029},
    {0x302E, 0x303E},   {0x3041, 0x3096},   {0x309B, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A},
    {0x1F200, 0x1F251}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB},
    {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

}  // namespace

int ColumnWidth(char32_t cp) {
  if (cp < 0x300) return 1;
  if (InRanges(cp, kZeroWidth)) return 0;
  return InRanges(cp, kWide) ? 2 : 1;
}

std::pair<char32_t, size_t> DecodeUtf8(std::string_view s, size_t i) {
  constexpr std::pair<char32_t, size_t> kInvalid = {0xFFFD, 1};
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return {b0, 1};
  size_t n;
  char32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, cp = b0 & 0x07;
  } else {
    return kInvalid;
  }
  if (i + n > s.size()) return kInvalid;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return kInvalid;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and code points past U+10FFFF.
  constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return kInvalid;
  return {cp, n};
}

}  // namespace corsc::text

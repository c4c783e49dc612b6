// Copyright corsc developers.
//
// Small text helpers shared by the compiler's stages and the command line
// (compiler/cli): ASCII case, HTTP token and white-space rules (never the
// locale), quoting values for messages, "did you mean" suggestions, and a
// line index over a source file that turns toml++'s positions (1-based
// lines, columns counted in code points) into ours (columns counted in
// bytes).

#ifndef CORSC_COMPILER_TEXT_H_
#define CORSC_COMPILER_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corsc::text {

constexpr char ToLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr char ToUpper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string ToLowerAscii(std::string_view s);
std::string ToUpperAscii(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// RFC 9110 5.6.2 token characters (tchar) and tokens (one or more tchar).
bool IsTokenChar(char c);
bool IsToken(std::string_view s);

// `s` without the optional white space (RFC 9110 5.6.3: spaces and
// horizontal tabs) at either end.
constexpr std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether `s` can be an HTTP field value as far as framing goes: it holds
// no CR, LF or NUL, which no HTTP parser lets through (RFC 9110 5.5), so no
// server could pass such a value on.
constexpr bool IsFieldValue(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Methods, given in upper case: the six that browsers normalize to upper
// case (Fetch "normalize"), and the three Fetch forbids (CONNECT, TRACE,
// TRACK).
bool IsNormalizedMethod(std::string_view upper);
bool IsForbiddenMethod(std::string_view upper);

// `s` made safe for a terminal: control characters (C0, DEL, and C1
// written in UTF-8, which some terminals obey) and bytes that are not UTF-8
// escaped as "\n", "\t" or "\xNN", byte by byte. Printed raw, a "\n" in a
// request's value would forge a line of eval's explanation and an ESC
// would drive the terminal.
std::string Escape(std::string_view s);

// `s` in double quotes for a message, escaped as Escape() does and `"` and
// `\` too; a value longer than `max_bytes` is cut (at a UTF-8 boundary)
// with "...".
std::string Quote(std::string_view s, size_t max_bytes = 120);

// "a, b, c"; "none" for no item; past `limit` items, " and N more".
std::string Join(const std::vector<std::string>& items,
                 size_t limit = std::numeric_limits<size_t>::max());

// The candidate closest to `word` (case-insensitive, optimal string
// alignment distance) when it is at most 2 edits away and closer than the
// word is long; nullopt otherwise.
std::optional<std::string_view> Suggest(std::string_view word,
                                        std::span<const std::string_view> candidates);

// The offset just past the TOML string that opens at text[open] (a quote):
// basic "..." with backslash escapes, literal '...', or their multi-line
// forms """...""" and '''...''', whose closing delimiter may follow up to
// two quotes of the string itself. An unclosed string ends at its line's
// end (single-line) or the text's end (multi-line); toml++ reports it. For
// the scans that must not read a string's bytes as TOML: suppression
// comments (suppressions.cc) and key depth (load.cc).
size_t TomlStringEnd(std::string_view text, size_t open);

// The bytes of the source text one byte of a string's value was written as.
struct SourceSpan {
  size_t begin = 0, end = 0;  // [begin, end) in the text
};

// Where each byte of the value of the TOML string that opens at text[open]
// was written: the byte itself, or the whole escape it decodes from
// (`\\`, `\"`, `\u00E9`, a "\r\n" line break). Every kind of TOML string
// is read, the newline right after a multi-line string's opening delimiter
// and a line-ending backslash of a multi-line basic string included. nullopt
// when the decoded text is not `value` (toml++'s reading of the token), so
// a caller never points at the wrong bytes. For lint findings and fixes
// inside a string that is not written verbatim, such as the dot of a regex
// in a basic string (CORS108).
std::optional<std::vector<SourceSpan>> TomlStringSources(std::string_view text, size_t open,
                                                         std::string_view value);

// Terminal columns the code point `cp` takes: 2 for East Asian wide and
// full-width characters and emoji (UAX #11 W and F), 0 for combining marks,
// zero-width characters and variation selectors, 1 otherwise. A compact
// table for drawing carets under source lines, not a full wcwidth: it
// covers the scripts and marks people put in comments and names.
int ColumnWidth(char32_t cp);

// The code point whose UTF-8 encoding starts at s[i], and its length in
// bytes; an invalid or cut sequence is one byte, U+FFFD.
std::pair<char32_t, size_t> DecodeUtf8(std::string_view s, size_t i);

// Lines of one source text. Line numbers are 1-based; a line excludes its
// "\n" (and a "\r" before it).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  size_t line_count() const { return starts_.size(); }
  // The text of line `line`; empty when out of range. A UTF-8 byte order
  // mark at the start of the file is not part of line 1.
  std::string_view Line(uint32_t line) const;
  // The byte column (1-based) of code point column `column` on `line`;
  // `column` itself when the line is unknown. Constant time on an ASCII
  // line; on another, linear in the line once, then constant for further
  // columns of the same line (a policy may hold 10^5 values on one line).
  uint32_t ByteColumn(uint32_t line, uint32_t column) const;
  // The line and byte column (1-based) of the byte at `offset` in the text.
  std::pair<uint32_t, uint32_t> LineAndColumn(size_t offset) const;
  // The offset in the text of byte column `column` (1-based) of `line`, the
  // inverse of LineAndColumn; nullopt when the line is unknown.
  std::optional<size_t> Offset(uint32_t line, uint32_t column) const;

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
  // Per line: 0 unknown, 1 ASCII, 2 not ASCII.
  mutable std::vector<uint8_t> ascii_;
  // The byte offset of every code point of the last non-ASCII line asked.
  mutable uint32_t cached_line_ = 0;
  mutable std::vector<uint32_t> cached_offsets_;
};

}  // namespace corsc::text

#endif  // CORSC_COMPILER_TEXT_H_

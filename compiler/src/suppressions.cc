// Copyright corsc developers.

#include "suppressions.h"

#include "text.h"

namespace corsc {
namespace {

constexpr std::string_view kDirective = "corsc:ignore";

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsWordChar(char c) { return text::IsAlpha(c) || text::IsDigit(c); }

// Reads the directive of one comment. `comment` is the text after `#`, up
// to the end of the line; `column` is the 1-based byte column of its first
// byte.
void ReadComment(std::string_view comment, uint32_t column, SuppressionComment* out) {
  size_t i = 0;
  while (i < comment.size() && IsBlank(comment[i])) ++i;
  if (comment.substr(i, kDirective.size()) != kDirective) return;
  const size_t directive_at = i;
  i += kDirective.size();
  if (i < comment.size() && !IsBlank(comment[i]) && comment[i] != '\r') return;  // corsc:ignored

  auto problem = [&](size_t at, size_t length, std::string message) {
    out->problems.push_back(
        {column + static_cast<uint32_t>(at), static_cast<uint32_t>(length), std::move(message)});
  };
  bool any = false;
  while (true) {
    while (i < comment.size() && (IsBlank(comment[i]) || comment[i] == ',')) ++i;
    size_t start = i;
    while (i < comment.size() && IsWordChar(comment[i])) ++i;
    std::string_view word = comment.substr(start, i - start);
    if (word.size() < 4 || !text::EqualsIgnoreCase(word.substr(0, 4), "CORS")) break;
    any = true;
    std::optional<Code> code = ParseCode(word);
    if (!code) {
      problem(start, word.size(),
              "unknown code " + text::Quote(word) + " in a corsc:ignore comment");
    } else if (static_cast<unsigned>(*code) < 100) {
      problem(start, word.size(),
              FormatCode(*code) +
                  " is an error of the policy language and cannot be ignored; fix the policy");
    } else {
      out->codes.push_back(*code);
    }
  }
  if (!any) {
    problem(directive_at, kDirective.size(),
            "corsc:ignore names no code; write the codes to ignore, e.g. "
            "\"# corsc:ignore CORS103\"");
  }
}

}  // namespace

std::vector<SuppressionComment> ScanSuppressions(std::string_view text) {
  std::vector<SuppressionComment> out;
  // Most files have no directive at all: skip the scan.
  if (text.find(kDirective) == std::string_view::npos) return out;

  uint32_t line = 1;
  size_t line_start = 0;
  bool code_on_line = false;
  const size_t n = text.size();
  size_t i = 0;
  auto newline = [&](size_t at) {
    ++line;
    line_start = at + 1;
    code_on_line = false;
  };
  while (i < n) {
    const char c = text[i];
    if (c == '\n') {
      newline(i);
    } else if (c == '#') {
      size_t end = text.find('\n', i);
      if (end == std::string_view::npos) end = n;
      SuppressionComment comment;
      comment.line = line;
      comment.own_line = !code_on_line;
      ReadComment(text.substr(i + 1, end - i - 1), static_cast<uint32_t>(i + 2 - line_start),
                  &comment);
      if (!comment.codes.empty() || !comment.problems.empty()) {
        out.push_back(std::move(comment));
      }
      i = end;
      continue;
    } else if (c == '"' || c == '\'') {
      // A string holds no comment; the lines of a multi-line one count.
      code_on_line = true;
      const size_t end = text::TomlStringEnd(text, i);
      for (size_t k = text.find('\n', i); k < end; k = text.find('\n', k + 1)) newline(k);
      i = end;
      continue;
    } else if (!IsBlank(c) && c != '\r') {
      code_on_line = true;
    }
    ++i;
  }
  return out;
}

}  // namespace corsc

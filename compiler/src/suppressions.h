// Copyright corsc developers.
//
// Inline suppressions: `# corsc:ignore CORS103[,CORS104]` comments in a
// policy file's text, found by a small scanner that knows TOML's four kinds
// of strings, so that a `#` inside a string is never taken for a comment.
//
// A comment applies to the line it is on. A comment alone on its line
// applies to the next line too, so that it can sit above the value it is
// about (docs/lint-rules.md, "Overriding severities").

#ifndef CORSC_COMPILER_SUPPRESSIONS_H_
#define CORSC_COMPILER_SUPPRESSIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corsc/diagnostic.h"

namespace corsc {

struct SuppressionComment {
  uint32_t line = 0;        // 1-based
  bool own_line = false;    // nothing but white space before the `#`
  std::vector<Code> codes;  // the lint codes it names (100 and above)
  // What is wrong with it: no code, an unknown code, an error's code.
  struct Problem {
    uint32_t column = 0;  // 1-based byte column of the offending word
    uint32_t length = 0;
    std::string message;
  };
  std::vector<Problem> problems;
};

// Every `corsc:ignore` comment of `text`, in line order. The directive must
// begin the comment (after `#` and white space); the codes follow,
// separated by commas or white space, and the first word that does not
// start with "CORS" (any case) ends them, so that a reason may follow:
// `# corsc:ignore CORS103 -- the partner's two hosts`. Linear in the size
// of the text.
std::vector<SuppressionComment> ScanSuppressions(std::string_view text);

}  // namespace corsc

#endif  // CORSC_COMPILER_SUPPRESSIONS_H_

// Copyright corsc developers.
//
// AnalyzeRegex(): see regex_plan.h. The regex is cut into top-level atoms
// (a literal byte, a class, ".", a group, an anchor, anything else), each
// with the quantifier that follows it; the prefix is the run of
// unquantified literals at the start, the suffix the run at the end.

#include "regex_plan.h"

#include <algorithm>
#include <vector>

#include "ascii.h"
#include "corsc/origin.h"

namespace corsc {
namespace {

enum class AtomKind { kLiteral, kClass, kOther, kBegin, kEnd };

struct Atom {
  AtomKind kind = AtomKind::kOther;
  char literal = 0;
  std::array<uint64_t, 4> cls{};  // kClass
  bool quantified = false;
  char quantifier = 0;  // '*', '+', '?', '{'
};

void Set(std::array<uint64_t, 4>& cls, unsigned c) { cls[c >> 6] |= uint64_t{1} << (c & 63); }
void SetRange(std::array<uint64_t, 4>& cls, unsigned lo, unsigned hi) {
  for (unsigned c = lo; c <= hi; ++c) Set(cls, c);
}

bool IsPunct(char c) {
  return std::string_view(".-/\\^$*+?()[]{}|:").find(c) != std::string_view::npos;
}
using ascii::IsDigit;

// Parses "[...]" at re[i] (re[i] == '['): its class into *cls, returns the
// index after it, or npos when it is not a simple class.
size_t ParseClass(std::string_view re, size_t i, std::array<uint64_t, 4>* cls) {
  constexpr size_t npos = std::string_view::npos;
  ++i;
  bool negated = false;
  if (i < re.size() && re[i] == '^') {
    negated = true;
    ++i;
  }
  if (i < re.size() && re[i] == ']') return npos;  // "[]a]": leave it to RE2
  std::array<uint64_t, 4> c{};
  auto item = [&](size_t* j, unsigned* value) -> int {  // 1 a byte, 2 \d, 0 not simple
    if (*j >= re.size()) return 0;
    const char ch = re[*j];
    if (ch == '\\') {
      if (*j + 1 >= re.size()) return 0;
      const char e = re[*j + 1];
      *j += 2;
      if (e == 'd') return 2;
      if (!IsPunct(e)) return 0;
      *value = static_cast<unsigned char>(e);
      return 1;
    }
    if (ch == '[' || static_cast<unsigned char>(ch) >= 0x80) return 0;
    *value = static_cast<unsigned char>(ch);
    ++*j;
    return 1;
  };
  while (i < re.size() && re[i] != ']') {
    unsigned lo = 0;
    const int kind = item(&i, &lo);
    if (kind == 0) return npos;
    if (kind == 2) {
      SetRange(c, '0', '9');
      continue;
    }
    if (i + 1 < re.size() && re[i] == '-' && re[i + 1] != ']') {
      ++i;
      unsigned hi = 0;
      if (item(&i, &hi) != 1 || hi < lo) return npos;
      SetRange(c, lo, hi);
    } else {
      Set(c, lo);
    }
  }
  if (i >= re.size()) return npos;
  if (negated) {
    for (uint64_t& w : c) w = ~w;
    c[2] = c[3] = 0;  // bytes >= 0x80 never occur in a canonical origin
    c[0] &= ~(uint64_t{1} << '\n');
  }
  *cls = c;
  return i + 1;
}

// The top-level atoms of `re`, or false when the regex is outside what
// the analysis understands as a whole (top-level "|", flags, non-ASCII).
bool Atoms(std::string_view re, std::vector<Atom>* out) {
  for (char ch : re) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  size_t i = 0;
  while (i < re.size()) {
    Atom a;
    const char c = re[i];
    if (c == '|' || c == ')') return false;  // top-level alternation; unbalanced
    if (c == '*' || c == '+' || c == '?' || c == '{') return false;  // a quantifier alone
    if (c == '\\') {
      if (i + 1 >= re.size()) return false;
      const char e = re[i + 1];
      if (IsPunct(e)) {
        a.kind = AtomKind::kLiteral;
        a.literal = e;
      } else if (e == 'd') {
        a.kind = AtomKind::kClass;
        SetRange(a.cls, '0', '9');
      }  // else another escape: kOther
      i += 2;
    } else if (c == '[') {
      const size_t end = ParseClass(re, i, &a.cls);
      if (end != std::string_view::npos) {
        a.kind = AtomKind::kClass;
        i = end;
      } else {
        // Skip to the class's end without understanding it: RE2 decides.
        size_t j = i + 1;
        if (j < re.size() && re[j] == '^') ++j;
        if (j < re.size() && re[j] == ']') ++j;
        while (j < re.size() && re[j] != ']') j += re[j] == '\\' ? 2 : 1;
        if (j >= re.size()) return false;
        i = j + 1;
      }
    } else if (c == '(') {
      if (i + 1 < re.size() && re[i + 1] == '?' && !(i + 2 < re.size() && re[i + 2] == ':')) {
        return false;  // flags, named groups: not understood
      }
      int depth = 0;
      size_t j = i;
      for (; j < re.size(); ++j) {
        if (re[j] == '\\') {
          ++j;
        } else if (re[j] == '[') {
          ++j;
          if (j < re.size() && re[j] == '^') ++j;
          if (j < re.size() && re[j] == ']') ++j;
          while (j < re.size() && re[j] != ']') j += re[j] == '\\' ? 2 : 1;
        } else if (re[j] == '(') {
          if (j + 1 < re.size() && re[j + 1] == '?' && !(j + 2 < re.size() && re[j + 2] == ':')) {
            return false;
          }
          ++depth;
        } else if (re[j] == ')') {
          if (--depth == 0) break;
        }
      }
      if (j >= re.size()) return false;
      i = j + 1;  // a group: kOther
    } else if (c == '.') {
      a.kind = AtomKind::kClass;
      SetRange(a.cls, 0, 127);
      a.cls[0] &= ~(uint64_t{1} << '\n');
      ++i;
    } else if (c == '^') {
      a.kind = AtomKind::kBegin;
      ++i;
    } else if (c == '$') {
      a.kind = AtomKind::kEnd;
      ++i;
    } else {
      a.kind = AtomKind::kLiteral;
      a.literal = c;
      ++i;
    }
    // Quantifiers (with an optional lazy "?").
    if (i < re.size() && (re[i] == '*' || re[i] == '+' || re[i] == '?' || re[i] == '{')) {
      if (re[i] == '{') {
        // {m}, {m,} or {m,n}; anything else is literal text to RE2.
        size_t j = i + 1;
        const size_t digits = j;
        while (j < re.size() && IsDigit(re[j])) ++j;
        const bool has_min = j > digits;
        if (j < re.size() && re[j] == ',') {
          ++j;
          while (j < re.size() && IsDigit(re[j])) ++j;
        }
        if (!has_min || j >= re.size() || re[j] != '}') {
          // RE2 reads a "{" that opens no repetition as a literal: give up.
          return false;
        }
        a.quantifier = '{';
        i = j + 1;
      } else {
        a.quantifier = re[i];
        ++i;
      }
      a.quantified = true;
      if (i < re.size() && re[i] == '?') ++i;
      if (i < re.size() && (re[i] == '*' || re[i] == '+' || re[i] == '?' || re[i] == '{')) {
        return false;  // a repeated repetition: RE2 refuses or reads it its own way
      }
    }
    out->push_back(a);
  }
  return true;
}

bool IsHostByte(unsigned c) { return c < 0x80 && ascii::IsLabelChar(static_cast<char>(c)); }

// RegexPlan::canonical_matches for a simple plan. A match is prefix, m,
// suffix, with m a string of the middle's class. When the prefix is
// scheme "://" and host bytes or dots, the class holds host bytes only,
// and the suffix has a dot before any ':' (so m lies inside a host label
// that is not the last), ParseCanonicalOrigin reads every byte of m the
// same way whatever it is: a host byte of a label that is empty only if
// m is. So its answer for any non-empty m is its answer for "a", and for
// an empty m its answer for prefix + suffix.
bool MatchesAreCanonical(const RegexPlan& plan) {
  const size_t sep = plan.prefix.find("://");
  if (sep == std::string::npos || plan.prefix.find(':') != sep) return false;
  for (size_t i = sep + 3; i < plan.prefix.size(); ++i) {
    const auto c = static_cast<unsigned char>(plan.prefix[i]);
    if (!IsHostByte(c) && c != '.') return false;
  }
  bool any = false;
  for (unsigned c = 0; c < 256; ++c) {
    if ((plan.middle[c >> 6] >> (c & 63) & 1) == 0) continue;
    if (!IsHostByte(c)) return false;
    any = true;
  }
  const size_t colon = plan.suffix.find(':');
  const size_t dot = plan.suffix.find('.');
  if (dot == std::string::npos || dot > colon) return false;
  for (size_t i = 0; i < std::min(colon, plan.suffix.size()); ++i) {
    const auto c = static_cast<unsigned char>(plan.suffix[i]);
    if (!IsHostByte(c) && c != '.') return false;
  }
  if (plan.min_middle == 0 && !ParseCanonicalOrigin(plan.prefix + plan.suffix).has_value()) {
    return false;
  }
  if (any && !ParseCanonicalOrigin(plan.prefix + "a" + plan.suffix).has_value()) return false;
  return true;
}

// RegexPlan::head, tail and their masks.
void SetWords(RegexPlan* plan) {
  const size_t h = std::min<size_t>(8, plan->prefix.size());
  for (size_t i = 0; i < h; ++i) {
    plan->head |= uint64_t{static_cast<unsigned char>(plan->prefix[i])} << (8 * i);
    plan->head_mask |= uint64_t{0xff} << (8 * i);
  }
  const size_t t = std::min<size_t>(8, plan->suffix.size());
  for (size_t i = 0; i < t; ++i) {
    const size_t byte = 8 - t + i;  // its place in the last 8 bytes of a string
    plan->tail |= uint64_t{static_cast<unsigned char>(plan->suffix[plan->suffix.size() - t + i])}
                  << (8 * byte);
    plan->tail_mask |= uint64_t{0xff} << (8 * byte);
  }
}

RegexPlan Analyze(std::string_view re) {
  RegexPlan plan;
  std::vector<Atom> atoms;
  if (!Atoms(re, &atoms)) return plan;
  // Anchors at the very ends mean nothing under a full match.
  size_t begin = 0, end = atoms.size();
  while (begin < end && atoms[begin].kind == AtomKind::kBegin && !atoms[begin].quantified) ++begin;
  while (end > begin && atoms[end - 1].kind == AtomKind::kEnd && !atoms[end - 1].quantified) --end;
  auto literal = [&](size_t k) {
    return atoms[k].kind == AtomKind::kLiteral && !atoms[k].quantified;
  };
  size_t p = begin;
  while (p < end && literal(p)) plan.prefix += atoms[p++].literal;
  if (p == end) {
    // All literal: the prefix is the whole text, with no middle or suffix.
    plan.simple = true;  // Match() checks the length
    return plan;
  }
  size_t s = end;
  while (s > p && literal(s - 1)) --s;
  for (size_t k = s; k < end; ++k) plan.suffix += atoms[k].literal;
  // The simple shape: exactly one class atom between, repeated by * or +.
  if (s == p + 1 && atoms[p].kind == AtomKind::kClass &&
      (atoms[p].quantifier == '*' || atoms[p].quantifier == '+')) {
    plan.simple = true;
    plan.middle = atoms[p].cls;
    plan.min_middle = atoms[p].quantifier == '+' ? 1 : 0;
    plan.canonical_matches = MatchesAreCanonical(plan);
  }
  return plan;
}

}  // namespace

RegexPlan AnalyzeRegex(std::string_view re) {
  RegexPlan plan = Analyze(re);
  SetWords(&plan);
  return plan;
}

}  // namespace corsc

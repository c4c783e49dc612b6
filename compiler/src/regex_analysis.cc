// Copyright corsc developers.

#include "regex_analysis.h"

#include <re2/re2.h>

#include <algorithm>
#include <bitset>
#include <memory>
#include <span>
#include <variant>

#include "corsc/origin.h"
#include "origin_coverage.h"
#include "origin_pattern.h"
#include "text.h"

namespace corsc {
namespace {

using ByteSet = std::bitset<256>;

// Bounds on the parse tree of an analysed regex: within kMaxAnalyzedRegex
// bytes, RE2's own limits would allow deeper nesting and larger counts than
// any origin regex needs.
constexpr int kMaxDepth = 32;
constexpr size_t kMaxNodes = 4096;
constexpr int kMaxCount = 1000;  // RE2's repetition limit
constexpr int kUnbounded = -1;

struct Node {
  enum class Kind : uint8_t { kLit, kSet, kConcat, kAlt, kRepeat, kEmpty };
  Kind kind = Kind::kEmpty;
  char lit = 0;
  ByteSet set;
  bool dot = false;  // a kSet written as "."
  int min = 0;       // kRepeat
  int max = 0;       // kRepeat; kUnbounded for none
  std::vector<int> kids;
  size_t offset = 0;  // in the regex text
  size_t length = 0;
};

ByteSet Range(unsigned char lo, unsigned char hi) {
  ByteSet s;
  for (unsigned c = lo; c <= hi; ++c) s.set(c);
  return s;
}
ByteSet Digits() { return Range('0', '9'); }
ByteSet WordChars() {
  return Range('0', '9') | Range('a', 'z') | Range('A', 'Z') | Range('_', '_');
}
ByteSet Spaces() {
  ByteSet s;
  for (char c : std::string_view(" \t\n\r\f\v")) s.set(static_cast<unsigned char>(c));
  return s;
}

// A recursive-descent parser for the subset of RE2 syntax that origin
// regexes use. Anything else fails the parse (and the analysis is skipped).
class Parser {
 public:
  explicit Parser(std::string_view re) : re_(re) {}

  // The root's index, or -1.
  int Parse() {
    int root = Alt(0);
    if (failed_ || pos_ != re_.size()) return -1;
    return root;
  }

  std::vector<Node>& nodes() { return nodes_; }

 private:
  int Add(Node node) {
    if (nodes_.size() >= kMaxNodes) {
      failed_ = true;
      return -1;
    }
    nodes_.push_back(std::move(node));
    return static_cast<int>(nodes_.size() - 1);
  }
  int Fail() {
    failed_ = true;
    return -1;
  }
  bool AtEnd() const { return pos_ >= re_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < re_.size() ? re_[pos_ + ahead] : '\0'; }

  int Alt(int depth) {
    if (depth > kMaxDepth) return Fail();
    size_t start = pos_;
    std::vector<int> kids = {Concat(depth)};
    while (!failed_ && !AtEnd() && Peek() == '|') {
      ++pos_;
      kids.push_back(Concat(depth));
    }
    if (failed_) return -1;
    if (kids.size() == 1) return kids[0];
    Node n;
    n.kind = Node::Kind::kAlt;
    n.kids = std::move(kids);
    n.offset = start;
    n.length = pos_ - start;
    return Add(std::move(n));
  }

  int Concat(int depth) {
    size_t start = pos_;
    std::vector<int> kids;
    while (!failed_ && !AtEnd() && Peek() != '|' && Peek() != ')') kids.push_back(Repeat(depth));
    if (failed_) return -1;
    if (kids.size() == 1) return kids[0];
    Node n;
    n.kind = kids.empty() ? Node::Kind::kEmpty : Node::Kind::kConcat;
    n.kids = std::move(kids);
    n.offset = start;
    n.length = pos_ - start;
    return Add(std::move(n));
  }

  // Reads a decimal count at pos_; -1 when there is none.
  int Count() {
    if (!text::IsDigit(Peek())) return -1;
    int v = 0;
    while (text::IsDigit(Peek())) {
      v = v * 10 + (Peek() - '0');
      if (v > kMaxCount) return -1;
      ++pos_;
    }
    return v;
  }

  int Repeat(int depth) {
    size_t start = pos_;
    int atom = Atom(depth);
    while (!failed_ && !AtEnd()) {
      int min = 0, max = 0;
      char c = Peek();
      if (c == '*') {
        min = 0, max = kUnbounded;
        ++pos_;
      } else if (c == '+') {
        min = 1, max = kUnbounded;
        ++pos_;
      } else if (c == '?') {
        min = 0, max = 1;
        ++pos_;
      } else if (c == '{') {
        // {n}, {n,} or {n,m}; anything else is a literal "{" for RE2.
        size_t save = pos_;
        ++pos_;
        min = Count();
        max = min;
        if (min >= 0 && Peek() == ',') {
          ++pos_;
          max = Peek() == '}' ? kUnbounded : Count();
        }
        if (min < 0 || (max != kUnbounded && max < min) || Peek() != '}') {
          pos_ = save;
          break;
        }
        ++pos_;
      } else {
        break;
      }
      if (Peek() == '?') ++pos_;  // non-greedy: the same language
      Node n;
      n.kind = Node::Kind::kRepeat;
      n.min = min;
      n.max = max;
      n.kids = {atom};
      n.offset = start;
      n.length = pos_ - start;
      atom = Add(std::move(n));
    }
    return atom;
  }

  // An escape after "\\" (pos_ at the escaped byte), in or out of a class.
  // Sets *set for a class escape, else *lit.
  bool Escape(bool* is_set, ByteSet* set, char* lit) {
    char e = Peek();
    if (AtEnd()) return false;
    ++pos_;
    *is_set = true;
    switch (e) {
      case 'd':
        *set = Digits();
        return true;
      case 'D':
        *set = ~Digits();
        return true;
      case 'w':
        *set = WordChars();
        return true;
      case 'W':
        *set = ~WordChars();
        return true;
      case 's':
        *set = Spaces();
        return true;
      case 'S':
        *set = ~Spaces();
        return true;
      default:
        break;
    }
    *is_set = false;
    switch (e) {
      case 'n':
        *lit = '\n';
        return true;
      case 't':
        *lit = '\t';
        return true;
      case 'r':
        *lit = '\r';
        return true;
      case 'f':
        *lit = '\f';
        return true;
      case 'v':
        *lit = '\v';
        return true;
      case 'a':
        *lit = '\a';
        return true;
      case 'x': {
        // \xHH or \x{H...}: ASCII only (origins are ASCII).
        unsigned v = 0;
        auto hex = [](char c) -> int {
          if (text::IsDigit(c)) return c - '0';
          c = text::ToLower(c);
          return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        };
        if (Peek() == '{') {
          ++pos_;
          int digits = 0;
          while (!AtEnd() && Peek() != '}') {
            int h = hex(Peek());
            if (h < 0 || ++digits > 6) return false;
            v = v * 16 + static_cast<unsigned>(h);
            ++pos_;
          }
          if (Peek() != '}' || digits == 0) return false;
          ++pos_;
        } else {
          for (int i = 0; i < 2; ++i) {
            int h = hex(Peek());
            if (h < 0) return false;
            v = v * 16 + static_cast<unsigned>(h);
            ++pos_;
          }
        }
        if (v >= 0x80) return false;
        *lit = static_cast<char>(v);
        return true;
      }
      default:
        // Escaped punctuation is itself; letters and digits are escapes
        // this parser does not know (\b, \p, \Q, \1...).
        if (text::IsAlpha(e) || text::IsDigit(e) || static_cast<unsigned char>(e) >= 0x80) {
          return false;
        }
        *lit = e;
        return true;
    }
  }

  int Class() {
    size_t start = pos_;
    ++pos_;  // '['
    bool negate = false;
    if (Peek() == '^') {
      negate = true;
      ++pos_;
    }
    ByteSet set;
    bool first = true;
    while (true) {
      if (AtEnd()) return Fail();
      char c = Peek();
      if (c == ']' && !first) {
        ++pos_;
        break;
      }
      first = false;
      if (c == '[' && Peek(1) == ':') return Fail();  // POSIX class
      char lo = 0;
      if (c == '\\') {
        ++pos_;
        bool is_set = false;
        ByteSet s;
        if (!Escape(&is_set, &s, &lo)) return Fail();
        if (is_set) {
          set |= s;
          continue;
        }
      } else {
        lo = c;
        ++pos_;
      }
      char hi = lo;
      if (Peek() == '-' && Peek(1) != ']' && pos_ + 1 < re_.size()) {
        ++pos_;
        char h = Peek();
        if (h == '\\') {
          ++pos_;
          bool is_set = false;
          ByteSet s;
          if (!Escape(&is_set, &s, &h) || is_set) return Fail();
        } else {
          ++pos_;
        }
        hi = h;
      }
      if (static_cast<unsigned char>(hi) < static_cast<unsigned char>(lo)) return Fail();
      set |= Range(static_cast<unsigned char>(lo), static_cast<unsigned char>(hi));
    }
    Node n;
    n.kind = Node::Kind::kSet;
    n.set = negate ? ~set : set;
    n.offset = start;
    n.length = pos_ - start;
    return Add(std::move(n));
  }

  int Atom(int depth) {
    size_t start = pos_;
    char c = Peek();
    Node n;
    n.offset = start;
    switch (c) {
      case '(': {
        ++pos_;
        if (Peek() == '?') {
          if (Peek(1) == ':') {
            pos_ += 2;
          } else if (Peek(1) == '<' || (Peek(1) == 'P' && Peek(2) == '<')) {
            size_t close = re_.find('>', pos_);
            if (close == std::string_view::npos) return Fail();
            pos_ = close + 1;
          } else {
            return Fail();  // flags such as (?i): not analysed
          }
        }
        int inner = Alt(depth + 1);
        if (failed_ || Peek() != ')') return Fail();
        ++pos_;
        return inner;  // groups are transparent
      }
      case '[':
        return Class();
      case '.':
        ++pos_;
        n.kind = Node::Kind::kSet;
        n.set = ~ByteSet().set('\n');
        n.dot = true;
        n.length = 1;
        return Add(std::move(n));
      case '^':
      case '$':
        ++pos_;
        n.kind = Node::Kind::kEmpty;
        n.length = 1;
        return Add(std::move(n));
      case '\\': {
        ++pos_;
        if (Peek() == 'A' || Peek() == 'z') {
          ++pos_;
          n.kind = Node::Kind::kEmpty;
          n.length = 2;
          return Add(std::move(n));
        }
        bool is_set = false;
        ByteSet s;
        char lit = 0;
        if (!Escape(&is_set, &s, &lit)) return Fail();
        n.kind = is_set ? Node::Kind::kSet : Node::Kind::kLit;
        n.set = s;
        n.lit = lit;
        n.length = pos_ - start;
        return Add(std::move(n));
      }
      case '*':
      case '+':
      case '?':
      case ')':
      case '|':
        return Fail();
      default:
        if (static_cast<unsigned char>(c) >= 0x80) return Fail();
        ++pos_;
        n.kind = Node::Kind::kLit;
        n.lit = c;
        n.length = 1;
        return Add(std::move(n));
    }
  }

  std::string_view re_;
  size_t pos_ = 0;
  bool failed_ = false;
  std::vector<Node> nodes_;
};

struct Tree {
  std::vector<Node> nodes;
  int root = -1;
};

std::optional<Tree> ParseTree(std::string_view regex) {
  if (regex.size() > kMaxAnalyzedRegex) return std::nullopt;
  Parser p(regex);
  Tree t;
  t.root = p.Parse();
  if (t.root < 0) return std::nullopt;
  t.nodes = std::move(p.nodes());
  return t;
}

std::unique_ptr<RE2> Compile(std::string_view regex) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kRegexMaxMem);
  auto re = std::make_unique<RE2>(re2::StringPiece(regex.data(), regex.size()), options);
  if (!re->ok()) return nullptr;
  return re;
}

bool FullMatch(const RE2& re, std::string_view s) {
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
}

// A set that can put a dot *and* a letter into a host: what makes a
// look-alike possible.
bool IsWild(const ByteSet& set) {
  if (!set['.']) return false;
  for (unsigned c = 'a'; c <= 'z'; ++c) {
    if (set[c]) return true;
  }
  return false;
}

// The byte a class stands for in a sample: a letter if it has one.
char Preferred(const ByteSet& set) {
  for (char c : std::string_view("a0123456789-")) {
    if (set[static_cast<unsigned char>(c)]) return c;
  }
  for (unsigned c = 0x21; c < 0x7F; ++c) {
    if (set[c]) return static_cast<char>(c);
  }
  for (unsigned c = 0; c < 256; ++c) {
    if (set[c]) return static_cast<char>(c);
  }
  return 'a';
}

// Builds sample strings of a tree: every node at its plain reading, except
// `focus`, which takes `filler` (or, with `plain`, its own plain reading: a
// lone "." a dot, a repeat nothing).
class Sampler {
 public:
  explicit Sampler(const Tree& tree) : t_(tree) {}

  // `fill` is what the other wild repeats (".*") read as: nothing, or one
  // letter where nothing would leave an empty label.
  std::string Sample(int focus, std::string_view filler, bool plain, bool fill = false) {
    focus_ = focus;
    filler_ = filler;
    plain_ = plain;
    fill_ = fill;
    std::string out;
    Emit(t_.root, true, &out);
    return out;
  }

  bool Contains(int node, int target) const {
    if (node == target) return true;
    for (int k : t_.nodes[node].kids) {
      if (Contains(k, target)) return true;
    }
    return false;
  }

 private:
  void Emit(int i, bool with_focus, std::string* out) {
    const Node& n = t_.nodes[i];
    if (with_focus && i == focus_) {
      if (!plain_) {
        *out += filler_;
      } else if (n.kind == Node::Kind::kSet) {
        *out += '.';
      }
      return;
    }
    switch (n.kind) {
      case Node::Kind::kLit:
        *out += n.lit;
        break;
      case Node::Kind::kSet:
        *out += n.dot ? '.' : Preferred(n.set);
        break;
      case Node::Kind::kEmpty:
        break;
      case Node::Kind::kConcat:
        for (int k : n.kids) Emit(k, with_focus, out);
        break;
      case Node::Kind::kAlt: {
        int pick = n.kids[0];
        if (with_focus) {
          for (int k : n.kids) {
            if (Contains(k, focus_)) pick = k;
          }
        }
        Emit(pick, with_focus, out);
        break;
      }
      case Node::Kind::kRepeat: {
        const Node& kid = t_.nodes[n.kids[0]];
        const bool has_focus = with_focus && Contains(n.kids[0], focus_);
        if (kid.kind == Node::Kind::kSet && !has_focus) {
          // A repeated class reads as that many letters; a wild one (".*")
          // as nothing.
          int count = IsWild(kid.set) ? (fill_ ? std::max(n.min, 1) : n.min) : n.min;
          out->append(static_cast<size_t>(count), Preferred(kid.set));
          break;
        }
        int count = std::max(n.min, has_focus ? 1 : 0);
        for (int c = 0; c < count; ++c) Emit(n.kids[0], has_focus && c == 0, out);
        break;
      }
    }
  }

  const Tree& t_;
  int focus_ = -1;
  std::string_view filler_;
  bool plain_ = false;
  bool fill_ = false;
};

// The host of a sample "scheme://host[:port]", as text: no canonical-form
// check (the plain reading of a regex need not be an origin).
std::string_view HostOf(std::string_view sample) {
  size_t sep = sample.find("://");
  if (sep == std::string_view::npos) return {};
  std::string_view rest = sample.substr(sep + 3);
  if (!rest.empty() && rest[0] == '[') return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

std::string Registrable(std::string_view host, bool* listed) {
  while (!host.empty() && host.front() == '.') host.remove_prefix(1);
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  *listed = false;
  std::string h = text::ToLowerAscii(host);
  if (h.empty() || h.front() == '[') return h;
  // Label starts, left to right; the public suffix is the longest listed
  // suffix, or the last label (the list's implicit "*" rule).
  std::vector<size_t> starts = {0};
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i] == '.') starts.push_back(i + 1);
  }
  size_t ps = starts.size() - 1;
  for (size_t i = 0; i < starts.size(); ++i) {
    if (IsPublicSuffix(std::string_view(h).substr(starts[i]))) {
      ps = i;
      *listed = true;
      break;
    }
  }
  return ps == 0 ? h : h.substr(starts[ps - 1]);
}

// Fillers tried for a wild atom, most telling first: "evil" before a
// suffix makes "evilexample.com"; ".evil.net" after a host makes
// "example.com.evil.net".
constexpr std::string_view kLoneFillers[] = {"x", "-"};
constexpr std::string_view kRepeatFillers[] = {"evil",  ".evil.net", "evil-", "evil.net",
                                               "evil.", "-evil",     "x",     "-"};

bool Fits(const Node& n, const Tree& t, std::string_view filler) {
  const Node& set_node = n.kind == Node::Kind::kRepeat ? t.nodes[n.kids[0]] : n;
  if (n.kind == Node::Kind::kRepeat) {
    int len = static_cast<int>(filler.size());
    if (len < n.min || (n.max != kUnbounded && len > n.max)) return false;
  } else if (filler.size() != 1) {
    return false;
  }
  for (char c : filler) {
    if (!set_node.set[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

// The shape EquivalentPatterns and SingleLabelWildcard read.
struct Shape {
  enum class Prefix { kNone, kSubdomain, kApexAndSubdomain, kSingleLabel };
  Prefix prefix = Prefix::kNone;
  std::string scheme;
  std::string host;
  std::string port;  // "", ":8443" or ":*"
};

bool IsDotRepeat(const Tree& t, int i) {
  const Node& n = t.nodes[i];
  return n.kind == Node::Kind::kRepeat && n.min <= 1 && n.max == kUnbounded &&
         t.nodes[n.kids[0]].kind == Node::Kind::kSet && t.nodes[n.kids[0]].dot;
}
bool IsLit(const Tree& t, int i, char c) {
  return t.nodes[i].kind == Node::Kind::kLit && t.nodes[i].lit == c;
}
bool IsLabelClassRepeat(const Tree& t, int i) {
  const Node& n = t.nodes[i];
  if (n.kind != Node::Kind::kRepeat || n.min < 1 || n.max != kUnbounded) return false;
  const Node& k = t.nodes[n.kids[0]];
  if (k.kind != Node::Kind::kSet || k.dot) return false;
  // Label characters only: no dot, nothing that could end the host.
  ByteSet label =
      Range('a', 'z') | Range('0', '9') | Range('-', '-') | Range('_', '_') | Range('A', 'Z');
  return (k.set & ~label).none() && (k.set & Range('a', 'z')).any();
}

std::optional<Shape> ReadShape(const Tree& t) {
  std::vector<int> items;
  if (t.nodes[t.root].kind == Node::Kind::kConcat) {
    items = t.nodes[t.root].kids;
  } else {
    items = {t.root};
  }
  size_t i = 0, end = items.size();
  while (i < end && t.nodes[items[i]].kind == Node::Kind::kEmpty) ++i;
  while (end > i && t.nodes[items[end - 1]].kind == Node::Kind::kEmpty) --end;
  Shape s;
  // scheme "://"
  while (i < end && t.nodes[items[i]].kind == Node::Kind::kLit && t.nodes[items[i]].lit != ':') {
    s.scheme += t.nodes[items[i]].lit;
    ++i;
  }
  if (s.scheme.empty() || end - i < 3 || !IsLit(t, items[i], ':') || !IsLit(t, items[i + 1], '/') ||
      !IsLit(t, items[i + 2], '/')) {
    return std::nullopt;
  }
  i += 3;
  // An optional prefix of labels.
  if (i + 1 < end && IsDotRepeat(t, items[i]) && IsLit(t, items[i + 1], '.')) {
    s.prefix = Shape::Prefix::kSubdomain;
    i += 2;
  } else if (i + 1 < end && IsLabelClassRepeat(t, items[i]) && IsLit(t, items[i + 1], '.')) {
    s.prefix = Shape::Prefix::kSingleLabel;
    i += 2;
  } else if (i < end) {
    const Node& n = t.nodes[items[i]];
    if (n.kind == Node::Kind::kRepeat && n.min == 0 && n.max == 1) {
      const Node& g = t.nodes[n.kids[0]];
      if (g.kind == Node::Kind::kConcat && g.kids.size() == 2 && IsDotRepeat(t, g.kids[0]) &&
          IsLit(t, g.kids[1], '.')) {
        s.prefix = Shape::Prefix::kApexAndSubdomain;
        ++i;
      }
    }
  }
  // The host, literally.
  while (i < end && t.nodes[items[i]].kind == Node::Kind::kLit && t.nodes[items[i]].lit != ':') {
    s.host += t.nodes[items[i]].lit;
    ++i;
  }
  if (s.host.empty()) return std::nullopt;
  // The port: none, ":digits", or "(:[0-9]+)?".
  if (i < end && IsLit(t, items[i], ':')) {
    s.port = ":";
    ++i;
    while (i < end && t.nodes[items[i]].kind == Node::Kind::kLit &&
           text::IsDigit(t.nodes[items[i]].lit)) {
      s.port += t.nodes[items[i]].lit;
      ++i;
    }
    if (s.port.size() == 1) return std::nullopt;
  } else if (i < end) {
    const Node& n = t.nodes[items[i]];
    if (n.kind != Node::Kind::kRepeat || n.min != 0 || n.max != 1) return std::nullopt;
    const Node& g = t.nodes[n.kids[0]];
    if (g.kind != Node::Kind::kConcat || g.kids.size() != 2 || !IsLit(t, g.kids[0], ':')) {
      return std::nullopt;
    }
    const Node& digits = t.nodes[g.kids[1]];
    if (digits.kind != Node::Kind::kRepeat || digits.min != 1 ||
        (digits.max != kUnbounded && digits.max < 5) ||
        t.nodes[digits.kids[0]].kind != Node::Kind::kSet ||
        t.nodes[digits.kids[0]].set != Digits()) {
      return std::nullopt;
    }
    s.port = ":*";
    ++i;
  }
  if (i != end) return std::nullopt;
  return s;
}

// Parses `text` as a plain pattern that is already canonical.
std::optional<OriginPattern> CanonicalPattern(const std::string& text) {
  OriginPatternResult r = ParseOriginPattern(text);
  const OriginPattern* p = std::get_if<OriginPattern>(&r);
  if (p == nullptr || p->canonical != text) return std::nullopt;
  return *p;
}

// Canonical origins near `host`: the host, its subdomains, look-alikes on
// either side, on several ports and both web schemes.
std::vector<std::string> Probes(const std::string& scheme, const std::string& host) {
  std::vector<std::string> out;
  const std::string other = scheme == "https" ? "http" : "https";
  for (const std::string& sch : {scheme, other}) {
    for (const std::string& h : {host, "a." + host, "a.b." + host, "a-b." + host, "evil" + host,
                                 host + ".evil.net", "a" + host.substr(host.find('.') + 1)}) {
      for (const char* port : {"", ":8443", ":1"}) {
        std::string o = sch + "://" + h + port;
        if (ParseCanonicalOrigin(o)) out.push_back(std::move(o));
      }
    }
  }
  return out;
}

}  // namespace

std::string RegistrableDomain(std::string_view host) {
  bool listed = false;
  return Registrable(host, &listed);
}

std::vector<LookAlike> FindLookAlikes(std::string_view regex) {
  std::vector<LookAlike> out;
  std::optional<Tree> tree = ParseTree(regex);
  if (!tree) return out;
  std::unique_ptr<RE2> re = Compile(regex);
  if (!re) return out;

  // The wild atoms in text order: repeats of a wild class, and wild classes
  // not directly repeated.
  std::vector<bool> repeated(tree->nodes.size(), false);
  for (const Node& n : tree->nodes) {
    if (n.kind == Node::Kind::kRepeat) repeated[static_cast<size_t>(n.kids[0])] = true;
  }
  std::vector<int> atoms;
  for (size_t i = 0; i < tree->nodes.size(); ++i) {
    const Node& n = tree->nodes[i];
    if (n.kind == Node::Kind::kRepeat && tree->nodes[n.kids[0]].kind == Node::Kind::kSet &&
        IsWild(tree->nodes[n.kids[0]].set)) {
      atoms.push_back(static_cast<int>(i));
    } else if (n.kind == Node::Kind::kSet && IsWild(n.set) && !repeated[i]) {
      atoms.push_back(static_cast<int>(i));
    }
  }
  std::sort(atoms.begin(), atoms.end(),
            [&](int a, int b) { return tree->nodes[a].offset < tree->nodes[b].offset; });
  if (atoms.size() > kMaxLookAlikeAtoms) atoms.resize(kMaxLookAlikeAtoms);

  Sampler sampler(*tree);
  for (int atom : atoms) {
    const Node& n = tree->nodes[atom];
    const bool lone = n.kind == Node::Kind::kSet;
    const std::string plain = sampler.Sample(atom, {}, /*plain=*/true);
    bool ignored = false;
    const std::string intended = Registrable(HostOf(plain), &ignored);
    auto try_fillers = [&](std::span<const std::string_view> fillers) {
      for (bool fill : {false, true}) {
        for (std::string_view filler : fillers) {
          if (!Fits(n, *tree, filler)) continue;
          std::string sample = sampler.Sample(atom, filler, false, fill);
          std::optional<OriginParts> parts = ParseCanonicalOrigin(sample);
          if (!parts || parts->host.empty() || parts->host.front() == '[') continue;
          bool listed = false;
          std::string domain = Registrable(parts->host, &listed);
          if (!listed || domain == intended || !FullMatch(*re, sample)) continue;
          out.push_back({std::move(sample), n.offset, n.length, lone && n.dot});
          return;
        }
      }
    };
    if (lone) {
      try_fillers(kLoneFillers);
    } else {
      try_fillers(kRepeatFillers);
    }
  }
  return out;
}

std::optional<std::vector<std::string>> EquivalentPatterns(std::string_view regex) {
  std::optional<Tree> tree = ParseTree(regex);
  if (!tree) return std::nullopt;
  std::optional<Shape> shape = ReadShape(*tree);
  if (!shape || shape->prefix == Shape::Prefix::kSingleLabel) return std::nullopt;
  std::vector<std::string> texts;
  const std::string base = shape->scheme + "://";
  switch (shape->prefix) {
    case Shape::Prefix::kNone:
      texts = {base + shape->host + shape->port};
      break;
    case Shape::Prefix::kSubdomain:
      texts = {base + "*." + shape->host + shape->port};
      break;
    case Shape::Prefix::kApexAndSubdomain:
      texts = {base + shape->host + shape->port, base + "*." + shape->host + shape->port};
      break;
    case Shape::Prefix::kSingleLabel:
      return std::nullopt;
  }
  std::vector<OriginPattern> patterns;
  for (const std::string& text : texts) {
    std::optional<OriginPattern> p = CanonicalPattern(text);
    if (!p) return std::nullopt;
    patterns.push_back(std::move(*p));
  }
  std::unique_ptr<RE2> re = Compile(regex);
  if (!re) return std::nullopt;
  for (const std::string& probe : Probes(shape->scheme, shape->host)) {
    bool expected = false;
    for (const OriginPattern& p : patterns) expected = expected || PlainPatternMatches(p, probe);
    if (expected != FullMatch(*re, probe)) return std::nullopt;
  }
  return texts;
}

std::optional<std::string> SingleLabelWildcard(std::string_view regex) {
  std::optional<Tree> tree = ParseTree(regex);
  if (!tree) return std::nullopt;
  std::optional<Shape> shape = ReadShape(*tree);
  if (!shape || shape->prefix != Shape::Prefix::kSingleLabel) return std::nullopt;
  std::string text = shape->scheme + "://*." + shape->host + shape->port;
  std::optional<OriginPattern> wildcard = CanonicalPattern(text);
  if (!wildcard) return std::nullopt;
  std::unique_ptr<RE2> re = Compile(regex);
  if (!re) return std::nullopt;
  // The regex must match a one-label name and nothing the wildcard refuses.
  std::string port = shape->port == ":*" ? "" : shape->port;
  if (!FullMatch(*re, shape->scheme + "://a." + shape->host + port)) return std::nullopt;
  for (const std::string& probe : Probes(shape->scheme, shape->host)) {
    if (FullMatch(*re, probe) && !PlainPatternMatches(*wildcard, probe)) return std::nullopt;
  }
  return text;
}

}  // namespace corsc

// Copyright corsc developers.
//
// Stage 1, load: TOML text to the raw AST of one file (ast.h).
//
// toml++ parses the text (a syntax error is CORS001 at its line and column,
// and the file contributes nothing else). Before it does, the text must be
// UTF-8 and no key may have more than 256 dotted parts (CORS001 too): those
// toml++ reports a character early, or does not survive. The loader then
// walks the document against the language's schema:
//
//   version = 1            name = "..."
//   [defaults]             FIELDS
//   [[routes]]             path = "..."  sensitive = BOOL  FIELDS
//   [profiles.NAME]        defaults = { FIELDS }   routes = [ { path, FIELDS } ]
//   [[tests]]              name, profile, request = {...}, expect = {...}
//
//   FIELDS: origins (or origins.add), methods, allow_headers,
//           expose_headers, credentials, max_age, private_network,
//           preflight_status
//
// An unknown key is CORS002 (with a "did you mean" when a known key is
// close), a value of the wrong type CORS003; either is left out and the walk
// goes on, so one run reports every mistake. Values are kept as written,
// with their places; check.cc gives them meaning.
//
// Positions: toml++ counts columns in code points; diagnostics count bytes,
// so every position goes through text::LineIndex. toml++ iterates a table in
// key order, not file order, so entries are sorted by position wherever the
// order is kept (lists, test headers).

#include "load.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "diagnostic_util.h"
#include "text.h"

namespace corsc {
namespace {

using std::string_view_literals::operator""sv;

constexpr std::array kTopKeys = {"version"sv, "name"sv,     "defaults"sv,
                                 "routes"sv,  "profiles"sv, "tests"sv};
constexpr std::array kFieldKeys = {"origins"sv,         "methods"sv,         "allow_headers"sv,
                                   "expose_headers"sv,  "credentials"sv,     "max_age"sv,
                                   "private_network"sv, "preflight_status"sv};
constexpr std::array kRouteKeys = {
    "path"sv,        "origins"sv, "methods"sv,         "allow_headers"sv,    "expose_headers"sv,
    "credentials"sv, "max_age"sv, "private_network"sv, "preflight_status"sv, "sensitive"sv};
constexpr std::array kProfileKeys = {"defaults"sv, "routes"sv};
constexpr std::array kOriginsTableKeys = {"add"sv};
constexpr std::array kRegexKeys = {"regex"sv};
constexpr std::array kTestKeys = {"name"sv, "profile"sv, "request"sv, "expect"sv};
constexpr std::array kRequestKeys = {"method"sv, "path"sv, "headers"sv};
constexpr std::array kExpectKeys = {"allowed"sv, "reason"sv,      "kind"sv,   "status"sv,
                                    "route"sv,   "origin_rule"sv, "headers"sv};
// The spellings ParseReason() and ParseKind() accept, in enum order.
template <typename Enum, size_t kCount>
std::array<std::string_view, kCount> NamesOf(std::string_view (*name)(Enum)) {
  std::array<std::string_view, kCount> names;
  for (size_t i = 0; i < kCount; ++i) names[i] = name(static_cast<Enum>(i));
  return names;
}

// "unknown reason "x"", then a suggestion or the list of the names.
std::string UnknownName(std::string_view what, std::string_view value,
                        std::span<const std::string_view> names) {
  std::string message = "unknown " + std::string(what) + " " + text::Quote(value);
  if (std::optional<std::string_view> m = text::Suggest(value, names)) {
    return message + "; did you mean " + text::Quote(*m) + "?";
  }
  message += " (one of ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i != 0) message += ", ";
    message += names[i];
  }
  return message + ")";
}

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// Where a field sits, for messages: "[defaults]", "[[routes]]", ...
enum class Place { kDefaults, kRoute, kProfileDefaults, kProfileRoute };

using Entry = std::pair<const toml::key*, const toml::node*>;

// A table's entries in file order.
std::vector<Entry> Sorted(const toml::table& table) {
  std::vector<Entry> entries;
  for (auto&& [key, node] : table) entries.emplace_back(&key, &node);
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    const toml::source_position& pa = a.first->source().begin;
    const toml::source_position& pb = b.first->source().begin;
    return std::pair(pa.line, pa.column) < std::pair(pb.line, pb.column);
  });
  return entries;
}

std::string LowerFirst(std::string s) {
  if (!s.empty()) s[0] = text::ToLower(s[0]);
  while (!s.empty() && (s.back() == '.' || s.back() == ' ' || s.back() == '\n')) s.pop_back();
  return s;
}

// Checks of the text before toml++ reads it: toml++ must not be given a
// text that it would report at the wrong place or not survive.

// A key of more parts than this is refused. toml++ makes a table per part,
// then walks and frees the tables recursively: past 30 000 parts it runs
// out of stack. Nesting of arrays and inline tables it stops itself at
// TOML_MAX_NESTED_VALUES, the same 256.
constexpr size_t kMaxKeyParts = 256;

// Where the text must be refused, and why.
struct TextError {
  size_t offset = 0;
  std::string message;
};

std::string Hex(unsigned char b) {
  constexpr std::string_view kDigits = "0123456789ABCDEF";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 0xF];
}

// The first ill-formed UTF-8 sequence of `text`, at its first byte (TOML
// requires the whole document to be UTF-8). toml++ finds them too, but
// reports the character before. This follows Unicode's table 3-7, so it
// refuses overlong forms, surrogates, code points above U+10FFFF and
// sequences cut short.
std::optional<TextError> FindInvalidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    auto error = [&](std::string_view why) {
      return TextError{i, "invalid UTF-8: byte " + Hex(lead) + " " + std::string(why) +
                              " (a policy file must be UTF-8 text)"};
    };
    if (lead < 0xC0) return error("continues no character");
    if (lead < 0xC2) return error("starts an overlong encoding");
    if (lead > 0xF4) return error("cannot start a character");
    // The length of the sequence, and the range of its second byte: it is
    // narrower after E0 and F0 (overlong forms), ED (surrogates) and F4
    // (above U+10FFFF).
    const size_t length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const std::string cut_short =
        "starts a " + std::to_string(length) + "-byte character cut short";
    unsigned char low = 0x80, high = 0xBF;
    std::string_view out_of_range;
    if (lead == 0xE0 || lead == 0xF0) {
      low = lead == 0xE0 ? 0xA0 : 0x90;
      out_of_range = "starts an overlong encoding";
    } else if (lead == 0xED) {
      high = 0x9F;
      out_of_range = "starts a UTF-16 surrogate (U+D800 to U+DFFF)";
    } else if (lead == 0xF4) {
      high = 0x8F;
      out_of_range = "starts a code point above U+10FFFF";
    }
    for (size_t k = 1; k < length; ++k) {
      if (i + k >= text.size()) return error(cut_short);
      const auto b = static_cast<unsigned char>(text[i + k]);
      if (b < 0x80 || b > 0xBF) return error(cut_short);
      if (k == 1 && (b < low || b > high)) return error(out_of_range);
    }
    i += length;
  }
  return std::nullopt;
}

// The first dot that gives a key more than kMaxKeyParts parts. A key's dots
// are those outside strings and comments before its "=" in a run of text
// that none of , [ ] { } or a line break interrupts; a key inside an inline
// table also counts the dots of the keys of the tables it is in, as toml++
// nests a table per part and frees them recursively. A value's dots (a
// float, a time) are not counted; nor are brackets, as toml++ bounds their
// nesting itself (TOML_MAX_NESTED_VALUES).
std::optional<TextError> FindDeepKey(std::string_view text) {
  // An open [ or {: the dots of the key it is the value of (or 0), whether
  // a value came before it, and whether values come inside (an array's
  // elements) or keys (an inline table's, or a table header's).
  struct Open {
    size_t dots;
    bool value_outside;
    bool value_inside;
  };
  // Beyond this, toml++ refuses the nesting before it reaches the rest.
  constexpr size_t kMaxOpen = 1024;
  std::vector<Open> open;
  size_t dots = 0;
  bool in_value = false;
  for (size_t i = 0; i < text.size();) {
    switch (text[i]) {
      case '"':
      case '\'':
        i = text::TomlStringEnd(text, i);
        continue;
      case '#':
        i = std::min(text.find('\n', i), text.size());  // the line break ends the run
        continue;
      case '.':
        if (!in_value && ++dots == kMaxKeyParts) {
          return TextError{i, "invalid TOML: a key of more than " + std::to_string(kMaxKeyParts) +
                                  " dotted parts (with the keys of the inline tables around it)"};
        }
        break;
      case '=':
        in_value = true;
        break;
      case '{':
      case '[':
        if (open.size() == kMaxOpen) return std::nullopt;
        open.push_back({dots, in_value, text[i] == '[' && in_value});
        in_value = open.back().value_inside;
        break;
      case '}':
      case ']':
        dots = open.empty() ? 0 : open.back().dots;
        in_value = !open.empty() && open.back().value_outside;
        if (!open.empty()) open.pop_back();
        break;
      case ',':
      case '\n':
        dots = open.empty() ? 0 : open.back().dots;
        in_value = !open.empty() && open.back().value_inside;
        break;
      default:
        break;
    }
    ++i;
  }
  return std::nullopt;
}

// The first place where the text must be refused before toml++ reads it.
std::optional<TextError> CheckText(std::string_view text) {
  std::optional<TextError> utf8 = FindInvalidUtf8(text);
  std::optional<TextError> key = FindDeepKey(text);
  if (utf8 && key) return utf8->offset < key->offset ? utf8 : key;
  return utf8 ? utf8 : key;
}

class Loader {
 public:
  Loader(const SourceFile& source, size_t index, std::vector<Diagnostic>* diagnostics)
      : source_(source), index_(index), lines_(source.text), diagnostics_(diagnostics) {}

  std::optional<ast::File> Run();

 private:
  // Positions.
  SourceRange At(const toml::source_region& region) const;
  SourceRange KeyAt(const toml::key& key) const;
  // A table's place: the header it was opened with, or its key when it is
  // an inline table or was made by a dotted key.
  SourceRange TableAt(const toml::key& key, const toml::table& table) const;
  // Where a syntax error is. At the end of the text toml++ may give a
  // position past the last line or past its line's end: that becomes the
  // end of the last line, where the caret is drawn.
  SourceRange SyntaxErrorAt(const toml::source_position& position) const;

  void Error(Code code, SourceRange where, std::string message) {
    diagnostics_->push_back(MakeError(code, std::move(where), std::move(message)));
  }
  template <size_t N>
  void UnknownKey(const toml::key& key, std::string_view context,
                  const std::array<std::string_view, N>& known);
  void WrongType(const toml::node& node, std::string_view what, std::string_view expected) {
    Error(Code::kWrongType, At(node.source()),
          what.empty() ? std::string(expected) + " expected, not " + std::string(TypeName(node))
                       : std::string(what) + " must be " + std::string(expected) + ", not " +
                             std::string(TypeName(node)));
  }

  ast::StringValue MakeString(const toml::value<std::string>& node) const;
  std::optional<ast::StringValue> GetString(const toml::key& key, const toml::node& node);
  std::optional<ast::Scalar<bool>> GetBool(const toml::key& key, const toml::node& node);
  std::optional<ast::Scalar<int64_t>> GetInteger(const toml::key& key, const toml::node& node);

  void LoadFields(const toml::table& table, Place place, std::string_view context,
                  ast::Fields* fields, ast::Route* route);
  std::optional<ast::OriginList> LoadOriginList(const toml::key& key, const toml::node& node,
                                                std::string_view what);
  std::optional<ast::StringList> LoadStringList(const toml::key& key, const toml::node& node);
  std::optional<ast::Defaults> LoadDefaults(const toml::key& key, const toml::node& node,
                                            Place place, std::string_view context);
  std::optional<ast::Route> LoadRoute(const toml::node& node, Place place,
                                      std::string_view context);
  void LoadRoutes(const toml::key& key, const toml::node& node, Place place,
                  std::string_view context, std::vector<ast::Route>* routes);
  void LoadProfile(const toml::key& key, const toml::node& node, ast::File* file);
  void LoadTest(const toml::node& node, size_t number, ast::File* file);
  // Calls `each(name, value)` for the entries of a test's "headers" table
  // in file order; a name that is not an HTTP token is CORS050, its
  // message starting with `what`.
  template <typename Each>
  void ForEachTestHeader(const toml::node& node, std::string_view what, Each each);
  void LoadRequest(const toml::table& table, PolicyTest* test);
  void LoadExpect(const toml::table& table, PolicyTest* test);
  // The lines of an expected header given as an array, joined with ", "
  // (D55); nullopt, with a diagnostic, when the array is empty or holds
  // something other than strings.
  std::optional<std::string> ExpectedLines(const toml::key& name, const toml::array& lines);

  const SourceFile& source_;
  size_t index_;
  text::LineIndex lines_;
  std::vector<Diagnostic>* diagnostics_;
};

SourceRange Loader::At(const toml::source_region& region) const {
  SourceRange r;
  r.file = source_.path;
  r.line = region.begin.line;
  r.column = lines_.ByteColumn(region.begin.line, region.begin.column);
  if (region.end.line == region.begin.line && region.end.column > region.begin.column) {
    uint32_t end = lines_.ByteColumn(region.end.line, region.end.column);
    if (end > r.column) r.length = end - r.column;
  }
  return r;
}

SourceRange Loader::SyntaxErrorAt(const toml::source_position& position) const {
  SourceRange r{source_.path, std::max<uint32_t>(position.line, 1), 0, 0};
  // The last line; a text that ends with a line break ends on the line it
  // breaks.
  auto last = static_cast<uint32_t>(lines_.line_count());
  if (last > 1 && source_.text.back() == '\n') --last;
  if (r.line > last) {
    r.line = last;
    r.column = static_cast<uint32_t>(lines_.Line(last).size() + 1);
    return r;
  }
  const auto end = static_cast<uint32_t>(lines_.Line(r.line).size() + 1);
  r.column = std::min(lines_.ByteColumn(r.line, std::max<uint32_t>(position.column, 1)), end);
  return r;
}

SourceRange Loader::KeyAt(const toml::key& key) const {
  SourceRange r = At(key.source());
  // A bare key's region ends where the key ends; a quoted one may not:
  // underline the key's bytes as written when they are on the line.
  std::string_view line = lines_.Line(r.line);
  if (r.column >= 1 && r.column - 1 <= line.size() &&
      line.substr(r.column - 1, key.str().size()) == key.str()) {
    r.length = static_cast<uint32_t>(key.str().size());
  }
  return r;
}

SourceRange Loader::TableAt(const toml::key& key, const toml::table& table) const {
  if (table.is_inline()) return KeyAt(key);
  SourceRange r = At(table.source());
  std::string_view line = lines_.Line(r.line);
  if (r.column >= 1 && r.column <= line.size() && line[r.column - 1] == '[') {
    // Underline the header "[...]" or "[[...]]".
    size_t close = line.find(']', r.column - 1);
    if (close != std::string_view::npos) {
      while (close + 1 < line.size() && line[close + 1] == ']') ++close;
      r.length = static_cast<uint32_t>(close + 2 - r.column);
    }
    return r;
  }
  return KeyAt(key);
}

template <size_t N>
void Loader::UnknownKey(const toml::key& key, std::string_view context,
                        const std::array<std::string_view, N>& known) {
  std::string message = "unknown key " + text::Quote(key.str()) + " in " + std::string(context);
  if (std::optional<std::string_view> s = text::Suggest(key.str(), known)) {
    message += "; did you mean " + text::Quote(*s) + "?";
  }
  Error(Code::kUnknownKey, KeyAt(key), std::move(message));
}

ast::StringValue Loader::MakeString(const toml::value<std::string>& node) const {
  ast::StringValue s;
  s.value = node.get();
  s.where = At(node.source());
  // Verbatim when the source holds the value right after a single quote
  // character and the matching closing quote right after it.
  std::string_view line = lines_.Line(s.where.line);
  size_t open = s.where.column - 1;
  if (s.where.column >= 1 && open < line.size()) {
    char q = line[open];
    bool triple = line.substr(open, 3) == "\"\"\"" || line.substr(open, 3) == "'''";
    if ((q == '"' || q == '\'') && !triple && open + 1 + s.value.size() < line.size() &&
        line.substr(open + 1, s.value.size()) == s.value && line[open + 1 + s.value.size()] == q) {
      s.verbatim = true;
      s.where.length = static_cast<uint32_t>(s.value.size() + 2);
    }
  }
  return s;
}

std::optional<ast::StringValue> Loader::GetString(const toml::key& key, const toml::node& node) {
  if (const toml::value<std::string>* s = node.as_string()) return MakeString(*s);
  WrongType(node, text::Quote(key.str()), "a string");
  return std::nullopt;
}

std::optional<ast::Scalar<bool>> Loader::GetBool(const toml::key& key, const toml::node& node) {
  if (const toml::value<bool>* b = node.as_boolean()) {
    return ast::Scalar<bool>{b->get(), KeyAt(key), At(node.source())};
  }
  WrongType(node, text::Quote(key.str()), "a boolean (true or false)");
  return std::nullopt;
}

std::optional<ast::Scalar<int64_t>> Loader::GetInteger(const toml::key& key,
                                                       const toml::node& node) {
  if (const toml::value<int64_t>* i = node.as_integer()) {
    return ast::Scalar<int64_t>{i->get(), KeyAt(key), At(node.source())};
  }
  WrongType(node, text::Quote(key.str()), "an integer");
  return std::nullopt;
}

std::optional<ast::OriginList> Loader::LoadOriginList(const toml::key& key, const toml::node& node,
                                                      std::string_view what) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    WrongType(node, what, "an array of origin patterns");
    return std::nullopt;
  }
  ast::OriginList list;
  list.key = KeyAt(key);
  for (const toml::node& element : *array) {
    if (const toml::value<std::string>* s = element.as_string()) {
      ast::OriginEntry entry;
      entry.text = MakeString(*s);
      entry.where = entry.text.where;
      list.entries.push_back(std::move(entry));
    } else if (const toml::table* t = element.as_table()) {
      std::optional<ast::StringValue> regex;
      for (const auto& [k, v] : Sorted(*t)) {
        if (k->str() == "regex") {
          regex = GetString(*k, *v);
        } else {
          UnknownKey(*k, "an origin pattern table (only \"regex\" is allowed)", kRegexKeys);
        }
      }
      if (regex) {
        ast::OriginEntry entry;
        entry.text = std::move(*regex);
        entry.regex = true;
        entry.where = At(t->source());
        list.entries.push_back(std::move(entry));
      } else if (t->empty()) {
        Error(Code::kWrongType, At(t->source()),
              "an origin pattern table must be { regex = \"...\" }");
      }
    } else {
      Error(Code::kWrongType, At(element.source()),
            "an origin pattern must be a string or { regex = \"...\" }, not " +
                std::string(TypeName(element)));
    }
  }
  return list;
}

std::optional<ast::StringList> Loader::LoadStringList(const toml::key& key,
                                                      const toml::node& node) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    WrongType(node, text::Quote(key.str()), "an array of strings");
    return std::nullopt;
  }
  ast::StringList list;
  list.key = KeyAt(key);
  for (const toml::node& element : *array) {
    if (const toml::value<std::string>* s = element.as_string()) {
      list.items.push_back(MakeString(*s));
    } else {
      Error(Code::kWrongType, At(element.source()),
            "the elements of " + text::Quote(key.str()) + " must be strings, not " +
                std::string(TypeName(element)));
    }
  }
  return list;
}

void Loader::LoadFields(const toml::table& table, Place place, std::string_view context,
                        ast::Fields* fields, ast::Route* route) {
  const bool is_route = place == Place::kRoute || place == Place::kProfileRoute;
  for (const auto& [key, node] : Sorted(table)) {
    const std::string k(key->str());
    if (k == "path" && is_route) {
      route->path = GetString(*key, *node);
    } else if (k == "sensitive" && place == Place::kRoute) {
      route->sensitive = GetBool(*key, *node);
    } else if (k == "sensitive" && place == Place::kProfileRoute) {
      // The mark says how production treats the route; a profile that could
      // lift it would defeat the check it asks for (CORS140).
      Error(Code::kUnknownKey, KeyAt(*key),
            "\"sensitive\" marks a route of the base policy: set it in [[routes]]; a profile "
            "cannot change it");
    } else if (k == "origins") {
      if (node->is_array()) {
        fields->origins = LoadOriginList(*key, *node, "\"origins\"");
      } else if (const toml::table* t = node->as_table(); t != nullptr && !t->empty()) {
        // `origins.add = [...]` (a dotted key) or `origins = { add = [...] }`.
        for (const auto& [k2, n2] : Sorted(*t)) {
          if (k2->str() != "add") {
            UnknownKey(*k2, "\"origins\" (a table of origins holds only \"add\")",
                       kOriginsTableKeys);
          } else if (place == Place::kDefaults) {
            Error(Code::kUnknownKey, KeyAt(*k2),
                  "\"origins.add\" extends the defaults' origins and has nothing to extend "
                  "in [defaults]; write \"origins = [...]\"");
          } else {
            fields->origins_add = LoadOriginList(*k2, *n2, "\"origins.add\"");
          }
        }
      } else {
        WrongType(*node, "\"origins\"", "an array of origin patterns");
        // The route still set its origins: no "route without origins" too.
        fields->origins = ast::OriginList{KeyAt(*key), {}};
      }
    } else if (k == "methods") {
      fields->methods = LoadStringList(*key, *node);
    } else if (k == "allow_headers") {
      fields->allow_headers = LoadStringList(*key, *node);
    } else if (k == "expose_headers") {
      fields->expose_headers = LoadStringList(*key, *node);
    } else if (k == "credentials") {
      fields->credentials = GetBool(*key, *node);
    } else if (k == "private_network") {
      fields->private_network = GetBool(*key, *node);
    } else if (k == "max_age") {
      fields->max_age = GetInteger(*key, *node);
    } else if (k == "preflight_status") {
      fields->preflight_status = GetInteger(*key, *node);
    } else if (is_route) {
      UnknownKey(*key, context, kRouteKeys);
    } else {
      UnknownKey(*key, context, kFieldKeys);
    }
  }
}

// [defaults] or a profile's "defaults".
std::optional<ast::Defaults> Loader::LoadDefaults(const toml::key& key, const toml::node& node,
                                                  Place place, std::string_view context) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    WrongType(node, "\"defaults\"", "a table");
    return std::nullopt;
  }
  ast::Defaults defaults;
  defaults.header = TableAt(key, *table);
  LoadFields(*table, place, context, &defaults.fields, nullptr);
  return defaults;
}

std::optional<ast::Route> Loader::LoadRoute(const toml::node& node, Place place,
                                            std::string_view context) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    Error(Code::kWrongType, At(node.source()),
          "a route must be a table, not " + std::string(TypeName(node)));
    return std::nullopt;
  }
  ast::Route route;
  route.header = At(table->source());
  if (!table->is_inline()) {
    std::string_view line = lines_.Line(route.header.line);
    size_t close = line.find("]]", route.header.column - 1);
    if (close != std::string_view::npos) {
      route.header.length = static_cast<uint32_t>(close + 3 - route.header.column);
    }
  }
  LoadFields(*table, place, context, &route.fields, &route);
  if (!route.path && table->get("path") == nullptr) {
    Error(Code::kMalformedPath, route.header, "route has no \"path\"");
  }
  return route;
}

void Loader::LoadRoutes(const toml::key& key, const toml::node& node, Place place,
                        std::string_view context, std::vector<ast::Route>* routes) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    WrongType(node, text::Quote(key.str()),
              "an array of tables (write " + std::string(context) + ")");
    return;
  }
  for (const toml::node& element : *array) {
    if (std::optional<ast::Route> route = LoadRoute(element, place, context)) {
      routes->push_back(std::move(*route));
    }
  }
}

void Loader::LoadProfile(const toml::key& key, const toml::node& node, ast::File* file) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    WrongType(node, "profile " + text::Quote(key.str()), "a table");
    return;
  }
  const std::string name(key.str());
  ast::Profile profile;
  profile.name = name;
  profile.where = KeyAt(key);
  const std::string context = "[profiles." + name + "]";
  for (const auto& [k, v] : Sorted(*table)) {
    if (k->str() == "defaults") {
      profile.defaults =
          LoadDefaults(*k, *v, Place::kProfileDefaults, "[profiles." + name + ".defaults]");
    } else if (k->str() == "routes") {
      LoadRoutes(*k, *v, Place::kProfileRoute, "[[profiles." + name + ".routes]]", &profile.routes);
    } else {
      UnknownKey(*k, context, kProfileKeys);
    }
  }
  file->profiles.push_back(std::move(profile));
}

template <typename Each>
void Loader::ForEachTestHeader(const toml::node& node, std::string_view what, Each each) {
  const toml::table* headers = node.as_table();
  if (headers == nullptr) {
    WrongType(node, "\"headers\"", "a table of header names to values");
    return;
  }
  for (const auto& [name, value] : Sorted(*headers)) {
    if (!text::IsToken(name->str())) {
      Error(Code::kInvalidTest, KeyAt(*name),
            std::string(what) + " " + text::Quote(name->str()) + " is not an HTTP token");
      continue;
    }
    each(*name, *value);
  }
}

void Loader::LoadRequest(const toml::table& table, PolicyTest* test) {
  for (const auto& [k, v] : Sorted(table)) {
    if (k->str() == "method") {
      if (std::optional<ast::StringValue> m = GetString(*k, *v)) {
        if (!text::IsToken(m->value)) {
          Error(Code::kInvalidTest, m->where,
                "test request method " + text::Quote(m->value) + " is not an HTTP token");
        }
        test->method = m->value;
      }
    } else if (k->str() == "path") {
      if (std::optional<ast::StringValue> p = GetString(*k, *v)) test->path = p->value;
    } else if (k->str() == "headers") {
      ForEachTestHeader(
          *v, "test request header name", [&](const toml::key& name, const toml::node& value) {
            auto add = [&](const toml::node& n) {
              const toml::value<std::string>* s = n.as_string();
              if (s == nullptr) {
                WrongType(n, "header " + text::Quote(name.str()),
                          "a string or an array of strings");
                return;
              }
              if (!text::IsFieldValue(s->get())) {
                Error(Code::kInvalidTest, At(n.source()),
                      "test request header " + text::Quote(name.str()) +
                          " holds a line break or a NUL byte");
                return;
              }
              test->headers.emplace_back(name.str(), s->get());
            };
            if (const toml::array* lines = value.as_array()) {
              for (const toml::node& line : *lines) add(line);
            } else {
              add(value);
            }
          });
    } else {
      UnknownKey(*k, "a test's \"request\"", kRequestKeys);
    }
  }
}

std::optional<std::string> Loader::ExpectedLines(const toml::key& name, const toml::array& lines) {
  if (lines.empty()) {
    Error(Code::kInvalidTest, At(lines.source()),
          "expected header " + text::Quote(name.str()) +
              " is an empty array: give its lines, or false for \"absent\"");
    return std::nullopt;
  }
  std::string joined;
  bool ok = true;
  for (size_t i = 0; i < lines.size(); ++i) {
    const toml::value<std::string>* s = lines[i].as_string();
    if (s == nullptr) {
      WrongType(lines[i], "a line of expected header " + text::Quote(name.str()), "a string");
      ok = false;
      continue;
    }
    if (i > 0) joined += ", ";
    joined += s->get();
  }
  if (!ok) return std::nullopt;
  return joined;
}

void Loader::LoadExpect(const toml::table& table, PolicyTest* test) {
  for (const auto& [k, v] : Sorted(table)) {
    const std::string key(k->str());
    if (key == "allowed") {
      if (std::optional<ast::Scalar<bool>> b = GetBool(*k, *v)) test->allowed = b->value;
    } else if (key == "reason") {
      if (std::optional<ast::StringValue> s = GetString(*k, *v)) {
        if (std::optional<Reason> r = ParseReason(s->value)) {
          test->reason = *r;
        } else {
          Error(Code::kInvalidTest, s->where,
                UnknownName("reason", s->value, NamesOf<Reason, kReasonCount>(ReasonName)));
        }
      }
    } else if (key == "kind") {
      if (std::optional<ast::StringValue> s = GetString(*k, *v)) {
        if (std::optional<Kind> kind = ParseKind(s->value)) {
          test->kind = *kind;
        } else {
          Error(Code::kInvalidTest, s->where,
                UnknownName("kind", s->value, NamesOf<Kind, kKindCount>(KindName)));
        }
      }
    } else if (key == "status") {
      if (std::optional<ast::Scalar<int64_t>> i = GetInteger(*k, *v)) {
        if (i->value == 0 || (i->value >= 100 && i->value <= 599)) {
          test->status = static_cast<uint16_t>(i->value);
        } else {
          Error(Code::kInvalidTest, i->where,
                "expected status " + std::to_string(i->value) +
                    " is not an HTTP status (0 for \"no status\", or 100 to 599)");
        }
      }
    } else if (key == "route") {
      if (std::optional<ast::StringValue> s = GetString(*k, *v)) test->route = s->value;
    } else if (key == "origin_rule") {
      if (std::optional<ast::StringValue> s = GetString(*k, *v)) test->origin_rule = s->value;
    } else if (key == "headers") {
      // Every key of `expect` must check something (D23): an empty table
      // is an expectation left unwritten, not one that holds (D56).
      if (const toml::table* headers = v->as_table(); headers != nullptr && headers->empty()) {
        Error(Code::kInvalidTest, At(v->source()),
              "expected \"headers\" is empty, so it checks nothing: name a header with its "
              "value (or false for \"absent\"), or remove the key");
      }
      ForEachTestHeader(
          *v, "expected header name", [&](const toml::key& name, const toml::node& value) {
            if (const toml::value<std::string>* s = value.as_string()) {
              test->headers_expected.emplace_back(name.str(), s->get());
            } else if (const toml::value<bool>* b = value.as_boolean(); b && !b->get()) {
              test->headers_expected.emplace_back(name.str(), std::nullopt);
            } else if (const toml::array* lines = value.as_array()) {
              // One string per field line, as in a request: the header's
              // value is its lines joined with ", " (D55), so the array
              // says what that joined string says.
              if (std::optional<std::string> joined = ExpectedLines(name, *lines)) {
                test->headers_expected.emplace_back(name.str(), std::move(*joined));
              }
            } else {
              Error(Code::kWrongType, At(value.source()),
                    "expected header " + text::Quote(name.str()) +
                        " must be a string, an array of strings (its lines), or false for "
                        "\"absent\"");
            }
          });
    } else {
      UnknownKey(*k, "a test's \"expect\"", kExpectKeys);
    }
  }
}

void Loader::LoadTest(const toml::node& node, size_t number, ast::File* file) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    Error(Code::kWrongType, At(node.source()),
          "a test must be a table, not " + std::string(TypeName(node)));
    return;
  }
  ast::Test entry;
  PolicyTest& test = entry.test;
  test.where = At(table->source());
  bool has_request = false, has_expect = false;
  for (const auto& [k, v] : Sorted(*table)) {
    const std::string key(k->str());
    if (key == "name") {
      if (std::optional<ast::StringValue> s = GetString(*k, *v)) test.name = s->value;
    } else if (key == "profile") {
      entry.profile = GetString(*k, *v);
      if (entry.profile) test.profile = entry.profile->value;
    } else if (key == "request") {
      has_request = true;
      if (const toml::table* t = v->as_table()) {
        LoadRequest(*t, &test);
      } else {
        WrongType(*v, "\"request\"", "a table");
      }
    } else if (key == "expect") {
      has_expect = true;
      test.expect_where = At(v->source());
      if (const toml::table* t = v->as_table()) {
        if (t->empty()) {
          Error(Code::kInvalidTest, test.expect_where,
                "test expects nothing: give at least one of allowed, reason, kind, "
                "status, route, origin_rule, headers");
        }
        LoadExpect(*t, &test);
      } else {
        WrongType(*v, "\"expect\"", "a table");
      }
    } else {
      UnknownKey(*k, "[[tests]]", kTestKeys);
    }
  }
  if (test.name.empty()) test.name = "test " + std::to_string(number);
  if (!has_request) {
    Error(Code::kInvalidTest, test.where, "test " + text::Quote(test.name) + " has no \"request\"");
  }
  if (!has_expect) {
    Error(Code::kInvalidTest, test.where, "test " + text::Quote(test.name) + " has no \"expect\"");
  }
  file->tests.push_back(std::move(entry));
}

std::optional<ast::File> Loader::Run() {
  if (std::optional<TextError> e = CheckText(source_.text)) {
    auto [line, column] = lines_.LineAndColumn(e->offset);
    Error(Code::kTomlSyntax, SourceRange{source_.path, line, column, 0}, std::move(e->message));
    return std::nullopt;
  }
  toml::table root;
  try {
    root = toml::parse(source_.text, source_.path);
  } catch (const toml::parse_error& e) {
    SourceRange where = SyntaxErrorAt(e.source().begin);
    std::string description(e.description());
    constexpr std::string_view kPrefix = "Error while parsing ";
    std::string message;
    if (description.compare(0, kPrefix.size(), kPrefix) == 0) {
      message = "invalid TOML in " + LowerFirst(description.substr(kPrefix.size()));
    } else {
      message = "invalid TOML: " + LowerFirst(description);
    }
    Error(Code::kTomlSyntax, std::move(where), std::move(message));
    return std::nullopt;
  } catch (const std::exception& e) {
    Error(Code::kTomlSyntax, SourceRange{source_.path, 1, 1, 0},
          "cannot parse the file: " + LowerFirst(e.what()));
    return std::nullopt;
  }

  ast::File file;
  file.index = index_;
  file.path = source_.path;
  bool has_version = false;
  size_t tests = 0;
  for (const auto& [key, node] : Sorted(root)) {
    const std::string k(key->str());
    if (k == "version") {
      has_version = true;
      const toml::value<int64_t>* v = node->as_integer();
      if (v == nullptr) {
        Error(Code::kBadVersion, At(node->source()),
              "\"version\" must be the integer 1, not " + std::string(TypeName(*node)));
      } else if (v->get() != 1) {
        Error(Code::kBadVersion, At(node->source()),
              "unsupported policy-language version " + std::to_string(v->get()) +
                  " (this compiler reads version 1)");
      }
    } else if (k == "name") {
      file.name = GetString(*key, *node);
    } else if (k == "defaults") {
      file.defaults = LoadDefaults(*key, *node, Place::kDefaults, "[defaults]");
    } else if (k == "routes") {
      LoadRoutes(*key, *node, Place::kRoute, "[[routes]]", &file.routes);
    } else if (k == "profiles") {
      if (const toml::table* t = node->as_table()) {
        for (const auto& [name, profile] : Sorted(*t)) LoadProfile(*name, *profile, &file);
      } else {
        WrongType(*node, "\"profiles\"", "a table of profiles");
      }
    } else if (k == "tests") {
      if (const toml::array* a = node->as_array()) {
        for (const toml::node& test : *a) LoadTest(test, ++tests, &file);
      } else {
        WrongType(*node, "\"tests\"", "an array of tables (write [[tests]])");
      }
    } else {
      UnknownKey(*key, "the top level", kTopKeys);
    }
  }
  if (!has_version) {
    Error(Code::kBadVersion, SourceRange{source_.path, 1, 1, 0},
          "missing \"version = 1\" (every policy file states its language version)");
  }
  return file;
}

}  // namespace

std::optional<ast::File> LoadFile(const SourceFile& source, size_t index,
                                  std::vector<Diagnostic>* diagnostics) {
  return Loader(source, index, diagnostics).Run();
}

}  // namespace corsc

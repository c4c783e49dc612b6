// Copyright corsc developers.
//
// Rendering diagnostics for people (RenderText, the way compilers print
// them) and for programs (RenderJson).
//
//   policies/api.toml:7:12: error[CORS012]: wildcard directly above ...
//       origins = ["https://*.com"]
//                  ^~~~~~~~~~~~~~~
//       fix: replace "..." with "..."
//   policies/api.toml:5:1: note: ...
//       [defaults]
//       ^~~~~~~~~~
//
// Source lines come from the policy files, which may be hostile: control
// bytes are shown as '?' (no escape sequence reaches the terminal), and a
// long line is cut to a window around the column, so that output stays
// proportional to the number of diagnostics, not to the size of a line.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "corsc/compiler.h"
#include "text.h"

namespace corsc {
namespace {

// Bytes of a source line shown around the column, at most.
constexpr size_t kWindowBefore = 60;
constexpr size_t kWindowBytes = 160;

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kMagenta = "\x1b[1;35m";
constexpr std::string_view kCyan = "\x1b[1;36m";
constexpr std::string_view kGreen = "\x1b[1;32m";

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

class TextRenderer {
 public:
  TextRenderer(std::span<const SourceFile> sources, bool color) : color_(color) {
    for (const SourceFile& s : sources) {
      if (!lines_.count(s.path)) lines_.emplace(s.path, text::LineIndex(s.text));
    }
  }

  void Render(const Diagnostic& d) {
    Location(d.where);
    std::string head = std::string(SeverityName(d.severity)) + "[" + FormatCode(d.code) + "]";
    Paint(Color(d.severity), head);
    out_ += ": ";
    out_ += d.message;
    out_ += '\n';
    Snippet(d.where);
    if (d.fix) Fix(*d.fix);
    for (const Diagnostic::Note& note : d.notes) {
      Location(note.where);
      Paint(Color(Severity::kNote), "note");
      out_ += ": ";
      out_ += note.message;
      out_ += '\n';
      Snippet(note.where);
    }
  }

  std::string Take() { return std::move(out_); }

 private:
  std::string_view Color(Severity s) const {
    switch (s) {
      case Severity::kError:
        return kRed;
      case Severity::kWarning:
        return kMagenta;
      case Severity::kNote:
        return kCyan;
    }
    return kRed;
  }

  void Paint(std::string_view color, std::string_view s) {
    if (color_) out_ += color;
    out_ += s;
    if (color_) out_ += kReset;
  }

  void Location(const SourceRange& r) {
    std::string loc = r.file;
    if (r.line > 0) {
      loc += ":" + std::to_string(r.line);
      if (r.column > 0) loc += ":" + std::to_string(r.column);
    }
    loc += ": ";
    Paint(kBold, loc);
  }

  // The source line `r` names; nullopt when the file or the line is not
  // known.
  std::optional<std::string_view> SourceLine(const SourceRange& r) const {
    auto it = lines_.find(r.file);
    if (it == lines_.end() || r.line == 0 || r.line > it->second.line_count()) {
      return std::nullopt;
    }
    return it->second.Line(r.line);
  }

  // Appends `s` with control bytes replaced, for display.
  void AppendShown(std::string_view s, std::string* out) const {
    for (char c : s) {
      unsigned char u = static_cast<unsigned char>(c);
      *out += (u < 0x20 && c != '\t') || u == 0x7F ? '?' : c;
    }
  }

  void Snippet(const SourceRange& r) {
    std::optional<std::string_view> source_line = SourceLine(r);
    if (!source_line || r.column == 0) return;
    std::string_view line = *source_line;
    size_t col = std::min<size_t>(r.column - 1, line.size());
    // The window of the line to show.
    size_t begin = 0, end = line.size();
    if (line.size() > kWindowBytes) {
      begin = col > kWindowBefore ? col - kWindowBefore : 0;
      while (begin > 0 && IsContinuation(line[begin])) --begin;
      end = std::min(line.size(), begin + kWindowBytes);
      while (end < line.size() && end > begin && IsContinuation(line[end])) --end;
      if (col > end) col = end;
    }
    std::string shown = "    ";
    std::string caret = "    ";
    if (begin > 0) {
      shown += "...";
      caret += "   ";
    }
    AppendShown(line.substr(begin, end - begin), &shown);
    if (end < line.size()) shown += "...";
    // The caret line keeps tabs, so that it lines up in any terminal, and
    // counts one column per code point.
    for (size_t i = begin; i < col; ++i) {
      if (line[i] == '\t') {
        caret += '\t';
      } else if (!IsContinuation(line[i])) {
        caret += ' ';
      }
    }
    std::string marks = "^";
    size_t last = std::min<size_t>(col + (r.length > 0 ? r.length : 1), end);
    for (size_t i = col + 1; i < last; ++i) {
      if (!IsContinuation(line[i])) marks += '~';
    }
    out_ += shown;
    out_ += '\n';
    out_ += caret;
    Paint(kGreen, marks);
    out_ += '\n';
  }

  void Fix(const FixIt& fix) {
    out_ += "    fix: replace ";
    std::string_view line = SourceLine(fix.where).value_or(std::string_view());
    if (fix.where.column >= 1 && fix.where.column - 1 + fix.where.length <= line.size() &&
        fix.where.length > 0) {
      out_ += text::Quote(line.substr(fix.where.column - 1, fix.where.length));
      out_ += " ";
    }
    out_ += "with ";
    out_ += text::Quote(fix.replacement);
    out_ += '\n';
  }

  bool color_;
  std::map<std::string, text::LineIndex> lines_;
  std::string out_;
};

nlohmann::json Place(const SourceRange& r) {
  return {{"file", r.file}, {"line", r.line}, {"column", r.column}};
}

}  // namespace

std::string RenderText(std::span<const Diagnostic> diagnostics, std::span<const SourceFile> sources,
                       bool color) {
  TextRenderer renderer(sources, color);
  for (const Diagnostic& d : diagnostics) renderer.Render(d);
  return renderer.Take();
}

std::string RenderJson(std::span<const Diagnostic> diagnostics) {
  nlohmann::json array = nlohmann::json::array();
  for (const Diagnostic& d : diagnostics) {
    nlohmann::json o = Place(d.where);
    o["code"] = FormatCode(d.code);
    o["name"] = std::string(Info(d.code).name);
    o["severity"] = std::string(SeverityName(d.severity));
    o["length"] = d.where.length;
    o["message"] = d.message;
    if (d.fix) {
      nlohmann::json fix = Place(d.fix->where);
      fix["length"] = d.fix->where.length;
      fix["replacement"] = d.fix->replacement;
      o["fix"] = std::move(fix);
    } else {
      o["fix"] = nullptr;
    }
    nlohmann::json notes = nlohmann::json::array();
    for (const Diagnostic::Note& n : d.notes) {
      nlohmann::json note = Place(n.where);
      note["message"] = n.message;
      notes.push_back(std::move(note));
    }
    o["notes"] = std::move(notes);
    array.push_back(std::move(o));
  }
  // Paths and messages may hold invalid UTF-8 (a file name); replace it
  // rather than fail.
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace corsc

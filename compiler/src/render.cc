// Copyright corsc developers.
//
// Rendering diagnostics for people (RenderText, the way compilers print
// them) and for programs (RenderJson, and RenderSarif for code-scanning
// tools).
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
    // gives each character the columns a terminal gives it: two for a wide
    // (CJK) character, none for a combining mark.
    for (size_t i = begin; i < col;) {
      auto [cp, n] = text::DecodeUtf8(line, i);
      if (cp == '\t') {
        caret += '\t';
      } else {
        caret.append(text::ColumnWidth(cp), ' ');
      }
      i += n;
    }
    // One '^' and then a '~' for each further column underlined.
    size_t last = std::min<size_t>(col + (r.length > 0 ? r.length : 1), end);
    size_t columns = 0;
    for (size_t i = col; i < last;) {
      auto [cp, n] = text::DecodeUtf8(line, i);
      columns += cp == '\t' ? 1 : text::ColumnWidth(cp);
      i += n;
    }
    std::string marks = "^";
    if (columns > 1) marks.append(columns - 1, '~');
    out_ += shown;
    out_ += '\n';
    out_ += caret;
    Paint(kGreen, marks);
    out_ += '\n';
  }

  // "fix: replace "old" with "new"", or "fix: remove "old"" when the
  // replacement is empty (a list element and its comma).
  void Fix(const FixIt& fix) {
    std::string_view line = SourceLine(fix.where).value_or(std::string_view());
    std::string old;
    if (fix.where.column >= 1 && fix.where.column - 1 + fix.where.length <= line.size() &&
        fix.where.length > 0) {
      old = text::Quote(line.substr(fix.where.column - 1, fix.where.length));
    }
    if (fix.replacement.empty() && !old.empty()) {
      out_ += "    fix: remove " + old + "\n";
      return;
    }
    out_ += "    fix: replace ";
    if (!old.empty()) out_ += old + " ";
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

// ------------------------------------------------------------------ SARIF

constexpr std::string_view kSarifSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

// SARIF's result levels "error", "warning" and "note" are our severity
// names (SARIF 2.1.0, 3.27.10).
std::string_view SarifLevel(Severity s) { return SeverityName(s); }

// A file path as a URI reference: a relative path stays relative (to
// %SRCROOT%, the folder corsc ran in), with forward slashes and without
// "./"; an absolute path becomes a file: URI. Bytes outside RFC 3986's
// unreserved set (and "/") are percent-encoded.
std::pair<std::string, bool> ArtifactUri(std::string_view path) {
  const bool absolute = !path.empty() && path[0] == '/';
  while (path.starts_with("./")) path.remove_prefix(2);
  std::string out = absolute ? "file://" : "";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : path) {
    unsigned char u = static_cast<unsigned char>(c);
    if (text::IsAlpha(c) || text::IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        c == '/') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return {out, !absolute};
}

class SarifRenderer {
 public:
  explicit SarifRenderer(std::span<const SourceFile> sources) {
    for (const SourceFile& s : sources) {
      if (!lines_.count(s.path)) lines_.emplace(s.path, text::LineIndex(s.text));
    }
  }

  nlohmann::json Location(const SourceRange& r) const {
    auto [uri, relative] = ArtifactUri(r.file);
    nlohmann::json artifact = {{"uri", uri}};
    if (relative) artifact["uriBaseId"] = "%SRCROOT%";
    nlohmann::json physical = {{"artifactLocation", std::move(artifact)}};
    if (r.line > 0) physical["region"] = Region(r);
    return physical;
  }

  // SARIF's default columnKind counts UTF-16 code units; ours count bytes.
  nlohmann::json Region(const SourceRange& r) const {
    nlohmann::json region = {{"startLine", r.line}};
    if (r.column == 0) return region;
    region["startColumn"] = Utf16Column(r, r.column);
    if (r.length > 0) region["endColumn"] = Utf16Column(r, r.column + r.length);
    return region;
  }

 private:
  uint32_t Utf16Column(const SourceRange& r, uint32_t byte_column) const {
    auto it = lines_.find(r.file);
    if (it == lines_.end() || r.line > it->second.line_count()) return byte_column;
    std::string_view line = it->second.Line(r.line);
    size_t bytes = byte_column - 1;
    uint32_t units = 0;
    size_t i = 0;
    while (i < bytes && i < line.size()) {
      unsigned char u = static_cast<unsigned char>(line[i]);
      size_t len = u < 0x80           ? 1
                   : (u >> 5) == 0x6  ? 2
                   : (u >> 4) == 0xE  ? 3
                   : (u >> 3) == 0x1E ? 4
                                      : 1;
      units += len == 4 ? 2 : 1;
      i += len;
    }
    if (bytes > i) units += static_cast<uint32_t>(bytes - i);  // past the line's end
    return units + 1;
  }

  std::map<std::string, text::LineIndex> lines_;
};

nlohmann::json SarifRules() {
  nlohmann::json rules = nlohmann::json::array();
  for (const CodeInfo& info : Catalogue()) {
    const std::string id = FormatCode(info.code);
    const std::string level(SarifLevel(info.severity));
    const std::string doc = "docs/lint-rules.md, " + id;
    const bool lint = static_cast<unsigned>(info.code) >= 100;
    std::string override_text =
        lint ? "Change its severity with `corsc lint --warn " + id + "`, `--error " + id +
                   "` or `--ignore " + id + "`, or silence one finding with a `# corsc:ignore " +
                   id + "` comment on its line."
             : "An error of the policy language: it cannot be downgraded or ignored.";
    rules.push_back({
        {"id", id},
        {"name", std::string(info.name)},
        {"shortDescription", {{"text", std::string(info.summary)}}},
        {"fullDescription", {{"text", std::string(info.help)}}},
        {"help",
         {{"text", std::string(info.help) + " " + override_text + " See " + doc + "."},
          {"markdown", "**" + id + " " + std::string(info.name) +
                           "**: " + std::string(info.summary) + "\n\n" + std::string(info.help) +
                           "\n\n" + override_text + "\n\nSee `" + doc + "`."}}},
        {"defaultConfiguration", {{"level", level}}},
        {"properties", {{"tags", nlohmann::json::array({"cors", lint ? "lint" : "error"})}}},
    });
  }
  return rules;
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

std::string RenderSarif(std::span<const Diagnostic> diagnostics,
                        std::span<const SourceFile> sources) {
  SarifRenderer r(sources);
  std::span<const CodeInfo> catalogue = Catalogue();
  nlohmann::json results = nlohmann::json::array();
  for (const Diagnostic& d : diagnostics) {
    size_t index = 0;
    while (index < catalogue.size() && catalogue[index].code != d.code) ++index;
    nlohmann::json result = {
        {"ruleId", FormatCode(d.code)},
        {"ruleIndex", index},
        {"level", std::string(SarifLevel(d.severity))},
        {"message", {{"text", d.message}}},
        {"locations", nlohmann::json::array({{{"physicalLocation", r.Location(d.where)}}})},
    };
    if (!d.notes.empty()) {
      nlohmann::json related = nlohmann::json::array();
      int id = 0;
      for (const Diagnostic::Note& n : d.notes) {
        related.push_back({{"id", id++},
                           {"physicalLocation", r.Location(n.where)},
                           {"message", {{"text", n.message}}}});
      }
      result["relatedLocations"] = std::move(related);
    }
    if (d.fix && d.fix->where.line > 0) {
      nlohmann::json deleted = r.Region(d.fix->where);
      if (!deleted.contains("endColumn") && deleted.contains("startColumn")) {
        deleted["endColumn"] = deleted["startColumn"];  // an insertion
      }
      nlohmann::json location = r.Location(d.fix->where);
      result["fixes"] = nlohmann::json::array(
          {{{"description", {{"text", "Replace with " + text::Quote(d.fix->replacement)}}},
            {"artifactChanges",
             nlohmann::json::array(
                 {{{"artifactLocation", location["artifactLocation"]},
                   {"replacements",
                    nlohmann::json::array(
                        {{{"deletedRegion", std::move(deleted)},
                          {"insertedContent", {{"text", d.fix->replacement}}}}})}}})}}});
    }
    results.push_back(std::move(result));
  }
  nlohmann::json driver = {
      {"name", "corsc"},
      {"version", CORSC_VERSION},
      {"semanticVersion", CORSC_VERSION},
      {"rules", SarifRules()},
  };
  // The project's home page, when the build names one (it has none yet).
  if (std::string_view(CORSC_INFORMATION_URI).size() > 0) {
    driver["informationUri"] = CORSC_INFORMATION_URI;
  }
  nlohmann::json log = {
      {"$schema", std::string(kSarifSchema)},
      {"version", "2.1.0"},
      {"runs", nlohmann::json::array({{{"tool", {{"driver", std::move(driver)}}},
                                       {"columnKind", "utf16CodeUnits"},
                                       {"results", std::move(results)}}})},
  };
  return log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace corsc

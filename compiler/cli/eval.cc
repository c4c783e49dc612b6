// Copyright corsc developers.
//
// corsc eval: decide one request given curl-style, or a stream of JSON
// Lines requests (cli.md). The batch mode streams: each answer is written
// and flushed as soon as its line is read, and memory does not grow with
// the number of lines.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <variant>

#include "commands.h"
#include "decision_output.h"
#include "line_reader.h"
#include "request_json.h"
#include "text.h"

namespace corsc::cli {
namespace {

// Longest request line read. The largest legitimate request is dominated by
// Access-Control-Request-Headers, which the engine refuses past 8 KiB
// anyway; 4 MiB leaves room for tests of hostile headers and bounds memory.
constexpr size_t kMaxRequestLine = 4 << 20;

void WriteLine(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

// {"error":"line N: ..."} (cli.md), preceded by the request's "id" when it
// could be read, as in a decision (D54).
std::string ErrorLine(size_t line_no, std::string_view message,
                      const std::optional<nlohmann::json>& id = std::nullopt) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (id) out["id"] = *id;
  out["error"] = "line " + std::to_string(line_no) + ": " + std::string(message);
  return DumpLine(out);
}

int RunBatch(const CompiledTable& table, const std::string& file) {
  int fd = 0;
  if (file != "-") {
    fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      PrintError("cannot open " + file + ": " + std::strerror(errno));
      return kExitUsage;
    }
  }
  LineReader reader(fd, kMaxRequestLine);
  std::string line;
  size_t line_no = 0;
  bool any_error = false;
  int status = kExitOk;
  while (true) {
    LineReader::Result r = reader.Next(&line);
    if (r == LineReader::Result::kEnd) break;
    if (r == LineReader::Result::kError) {
      PrintError("cannot read " + (file == "-" ? std::string("standard input") : file));
      status = kExitUsage;
      break;
    }
    ++line_no;
    if (r == LineReader::Result::kTooLong) {
      WriteLine(ErrorLine(line_no, "line longer than 4 MiB"));
      any_error = true;
      continue;
    }
    // A blank line is a malformed request like any other: skipping it
    // would make output line N answer some other input line than N.
    if (text::TrimOws(line).empty()) {
      WriteLine(ErrorLine(line_no, "empty line, not a JSON object"));
      any_error = true;
      continue;
    }
    std::variant<OwnedRequest, RequestError> parsed = ParseRequestLine(line);
    if (auto* err = std::get_if<RequestError>(&parsed)) {
      WriteLine(ErrorLine(line_no, err->message, err->id));
      any_error = true;
      continue;
    }
    const OwnedRequest& request = std::get<OwnedRequest>(parsed);
    RequestBuilder builder;
    FillBuilder(request, &builder);
    Decision d = table.Evaluate(builder.request());
    WriteLine(DumpLine(DecisionToJson(table, d, request)));
  }
  if (fd != 0) close(fd);
  if (status == kExitOk && any_error) status = kExitPolicyFailed;
  return status;
}

}  // namespace

int RunEval(const EvalArgs& args) {
  bool has_policy = !args.policy.paths.empty();
  if (has_policy == !args.table.empty()) {
    PrintError("eval needs exactly one of --policy PATH... and --table FILE");
    return kExitUsage;
  }
  // Each line of --requests is a whole request: flags that describe one
  // request would be ignored, and a user who wrote them expects otherwise.
  if (!args.requests.empty() && args.single_request_flags) {
    PrintError("-X, --path and -H describe one request; with --requests, each line is a request");
    return kExitUsage;
  }

  std::shared_ptr<const CompiledTable> table;
  if (has_policy) {
    int status = kExitOk;
    std::optional<Compilation> c = LoadPolicy(args.policy, /*lint=*/false, &status);
    if (!c) return status;
    table = c->table;
  } else {
    if (!args.policy.profile.empty()) {
      PrintError("--profile applies to --policy; a table has its profile compiled in");
      return kExitUsage;
    }
    table = LoadTable(args.table);
    if (table == nullptr) return kExitUsage;
  }

  if (!args.requests.empty()) return RunBatch(*table, args.requests);

  OwnedRequest request;
  request.method = args.method;
  request.path = args.path;
  if (std::optional<std::string> err = CheckMethod(request.method)) {
    PrintError("-X: " + *err);
    return kExitUsage;
  }
  for (const std::string& h : args.headers) {
    std::variant<std::pair<std::string, std::string>, std::string> header = ParseHeaderArg(h);
    if (auto* err = std::get_if<std::string>(&header)) {
      PrintError(*err);
      return kExitUsage;
    }
    request.headers.push_back(std::move(std::get<0>(header)));
  }
  RequestBuilder builder;
  FillBuilder(request, &builder);
  Decision d = table->Evaluate(builder.request());
  if (args.json) {
    WriteLine(DumpLine(DecisionToJson(*table, d, request)));
  } else {
    std::cout << DecisionToText(*table, d, request) << std::flush;
  }
  return kExitOk;
}

}  // namespace corsc::cli

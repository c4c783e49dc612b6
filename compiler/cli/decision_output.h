// Copyright corsc developers.
//
// A Decision as `corsc eval` prints it: one JSON object (cli.md), or text
// for a person, with the route and origin rule that decided and why.

#ifndef CORSC_CLI_DECISION_OUTPUT_H_
#define CORSC_CLI_DECISION_OUTPUT_H_

#include <nlohmann/json.hpp>
#include <string>

#include "corsc/decision.h"
#include "corsc/table.h"
#include "request_json.h"

namespace corsc::cli {

// {"kind":..., "allowed":..., "reason":..., "status": 204 | null,
//  "route": "/x" | null, "route_source": "file:line:col" | null,
//  "origin_rule": ... | null, "origin_rule_source": ... | null,
//  "headers": [[name, value], ...]}, preceded by the request's "id" if any.
nlohmann::ordered_json DecisionToJson(const CompiledTable& table, const Decision& d,
                                      const OwnedRequest& request);

// Several lines: the verdict, the headers to send, and the explanation.
std::string DecisionToText(const CompiledTable& table, const Decision& d,
                           const OwnedRequest& request);

// One JSON value on one line, invalid UTF-8 replaced (header values from a
// command line need not be UTF-8).
std::string DumpLine(const nlohmann::ordered_json& value);

}  // namespace corsc::cli

#endif  // CORSC_CLI_DECISION_OUTPUT_H_

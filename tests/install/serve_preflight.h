// Copyright corsc developers.
//
// What both consumers of the installed package check (tests/install/run.sh):
// one preflight served through an Engine on `table`, whose policy allows
// https://app.example.com with GET and PUT. Returns 0, or 1 after saying
// on stderr what differs.

#ifndef CORSC_TESTS_INSTALL_SERVE_PREFLIGHT_H_
#define CORSC_TESTS_INSTALL_SERVE_PREFLIGHT_H_

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "corsc/engine.h"

inline int Fail(const char* who, const std::string& why) {
  std::fprintf(stderr, "%s: %s\n", who, why.c_str());
  return 1;
}

inline int ServePreflight(const char* who, std::shared_ptr<const corsc::CompiledTable> table) {
  corsc::Engine engine(std::move(table));
  corsc::Engine::Reader reader = engine.NewReader();
  corsc::RequestBuilder b("OPTIONS", "/users/42");
  b.AddHeader("Origin", "https://app.example.com");
  b.AddHeader("Access-Control-Request-Method", "PUT");
  std::string origin, methods;
  bool allowed = false;
  reader.Evaluate(b.request(), [&](const corsc::Decision& d) {
    allowed = d.allowed;
    origin = std::string(d.headers.Find("Access-Control-Allow-Origin").value_or(""));
    methods = std::string(d.headers.Find("Access-Control-Allow-Methods").value_or(""));
  });
  if (!allowed) return Fail(who, "the preflight is refused");
  if (origin != "https://app.example.com") return Fail(who, "Allow-Origin is \"" + origin + "\"");
  if (methods != "GET, PUT") return Fail(who, "Allow-Methods is \"" + methods + "\"");
  return 0;
}

#endif  // CORSC_TESTS_INSTALL_SERVE_PREFLIGHT_H_

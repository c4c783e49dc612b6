// Copyright corsc developers.
//
// corsc compile -o OUT: the policy to a decision table, written atomically;
// nothing is written when the policy has errors.

#include <iostream>
#include <string>
#include <string_view>

#include "commands.h"

namespace corsc::cli {

int RunCompile(const CompileArgs& args) {
  int status = kExitOk;
  std::optional<Compilation> c = LoadPolicy(args.policy, /*lint=*/false, &status);
  if (!c) return status;

  std::string_view bytes = c->table->bytes();
  if (Status s = WriteFileAtomically(args.out, bytes); !s.ok()) {
    PrintError(s.message());
    return kExitUsage;
  }
  TableStats st = c->table->stats();
  uint32_t any = st.origin_rules - st.exact_origins - st.wildcard_origins - st.regex_origins;
  std::cout << "wrote " << args.out << ": " << Plural(st.routes, "route") << ", "
            << Plural(st.origin_rules, "origin rule") << " (" << st.exact_origins << " exact, "
            << Plural(st.wildcard_origins, "wildcard") << ", " << Plural(st.regex_origins, "regex")
            << ", " << any << " \"*\"), " << Plural(st.bytes, "byte");
  if (!c->table->profile().empty()) std::cout << ", profile " << c->table->profile();
  std::cout << ", strategy " << StrategyName(c->table->strategy()) << '\n';
  return kExitOk;
}

}  // namespace corsc::cli

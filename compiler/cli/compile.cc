// Copyright corsc developers.
//
// corsc compile -o OUT: the policy to a decision table, written atomically;
// nothing is written when the policy has errors.

#include <iostream>

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
  std::cout << "wrote " << args.out << ": " << st.routes << (st.routes == 1 ? " route" : " routes")
            << ", " << st.origin_rules << " origins (" << st.exact_origins << " exact, "
            << st.wildcard_origins << " wildcards, " << st.regex_origins << " regexes), "
            << st.bytes << " bytes";
  if (!c->table->profile().empty()) std::cout << ", profile " << c->table->profile();
  std::cout << ", strategy " << StrategyName(c->table->strategy()) << '\n';
  return kExitOk;
}

}  // namespace corsc::cli

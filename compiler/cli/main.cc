// Copyright corsc developers.
//
// corsc: the command line (cli.md). Placeholder until the subcommands land.

#include <cstdio>

int main() {
  std::fputs("usage: corsc <lint|compile|eval|test|diff> ...\n", stderr);
  return 2;
}

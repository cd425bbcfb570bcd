// The db20 program: `db20 run FILE` or `db20 run -` (SPEC §7).
#include <fstream>
#include <iostream>
#include <string>

#include "db20/script.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc != 3 || std::string(argv[1]) != "run") {
    std::cerr << "usage: db20 run FILE|-\n";
    return 2;
  }
  const std::string path = argv[2];
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      std::cerr << "db20 run: " << path << ": cannot open\n";
      return 2;
    }
  }
  std::istream& in = path == "-" ? std::cin : file;
  db20::script::ScriptRunner runner(std::cout);
  try {
    runner.run(in);
  } catch (const db20::script::ScriptError& e) {
    std::cout.flush();
    std::cerr << e.what() << '\n';
    return 2;
  }
  return 0;
}

// `sohoa status --archive DIR`: last runs, a run going now, what awaits people.
#include <boost/program_options.hpp>
#include <iostream>

#include "cli/commands.h"
#include "pipeline/archive_status.h"

namespace sohoa::cli {
namespace po = boost::program_options;

int StatusMain(int argc, char** argv) {
  std::string archive;
  size_t runs = 5, items = 20;
  po::options_description d("sohoa status options");
  d.add_options()("archive", po::value(&archive)->required(), "archive folder")
      ("runs", po::value(&runs)->default_value(5), "how many recent runs to show")
      ("items", po::value(&items)->default_value(20), "how many review/quarantine items to list")
      ("help,h", "");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) {
      std::cout << "usage: sohoa status --archive DIR\n" << d;
      return kExitOk;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sohoa status: " << e.what() << "\n";
    return kExitUsage;
  }
  StatusOr<ArchiveStatus> status = ReadArchiveStatus(archive, runs);
  if (!status.ok()) {
    std::cerr << "sohoa status: " << status.status().message() << "\n";
    return kExitUsage;
  }
  std::cout << FormatArchiveStatus(*status, items);
  return kExitOk;
}

}  // namespace sohoa::cli

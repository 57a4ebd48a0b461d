// `sohoa status [--archive DIR] [--ledger URL]`: last runs, a run going now,
// what awaits people; with the shared PostgreSQL ledger (issue 8) also the
// work queue and every worker: alive or not, leases held, throughput.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/report/archive_status.h"

namespace sohoa::cli {
namespace po = boost::program_options;

namespace {

std::string WorkerState(const WorkerInfo& w) {
  if (w.alive) return "alive";
  if (w.expired) return "DEAD (heartbeat expired)";
  return w.state;
}

Status PrintFleet(WorkLedger& ledger, std::ostream& out) {
  StatusOr<WorkCounts> work = ledger.CountWork();
  if (!work.ok()) return work.status();
  StatusOr<std::vector<WorkerInfo>> workers = ledger.Workers();
  if (!workers.ok()) return workers.status();
  int alive = 0, count = 0;
  for (const WorkerInfo& w : *workers) {
    alive += w.worker && w.alive;
    count += w.worker;
  }
  out << "\nWork queue: " << work->queued << " waiting, " << work->claimed << " held under a lease, "
      << work->done << " done.\n";
  out << "Workers: " << alive << " alive of " << count << ".\n";
  for (const WorkerInfo& w : *workers) {
    char line[512];
    const double per_hour = w.seconds > 0 ? 3600.0 * static_cast<double>(w.pages) / w.seconds : 0;
    std::snprintf(line, sizeof line,
                  "  %s%s  %s  host %s pid %lld  started %s%s%s\n"
                  "      leases held %lld; %lld documents, %lld pages in %.0f s (%.0f pages/hour)\n",
                  w.worker_id.c_str(), w.worker ? "" : " (sohoa run)", WorkerState(w).c_str(), w.host.c_str(),
                  static_cast<long long>(w.pid), w.started_at.c_str(),
                  w.finished_at.empty() ? "" : ", finished ", w.finished_at.c_str(),
                  static_cast<long long>(w.leases_held), static_cast<long long>(w.documents),
                  static_cast<long long>(w.pages), w.seconds, per_hour);
    out << line;
  }
  return Status::Ok();
}

}  // namespace

int StatusMain(int argc, char** argv) {
  std::string archive, ledger_flag;
  size_t runs = 5, items = 20;
  po::options_description d("sohoa status options");
  d.add_options()("archive", po::value(&archive), "archive folder")(
      "ledger", po::value(&ledger_flag),
      "ledger: postgresql://… (or SOHOA_LEDGER); default the archive's ledger.sqlite")(
      "runs", po::value(&runs)->default_value(5), "how many recent runs to show")(
      "items", po::value(&items)->default_value(20), "how many review/quarantine items to list")("help,h",
                                                                                                 kHelpText);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) {
      std::cout << "usage: sohoa status --archive DIR | --ledger postgresql://…\n" << d;
      return kExitOk;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sohoa status: " << e.what() << "\n";
    return kExitUsage;
  }
  const std::string location = ResolveLedgerLocation(ledger_flag);
  if (archive.empty() && !IsSharedLedger(location)) {
    std::cerr << "sohoa status: --archive (or --ledger postgresql://…) is required\n";
    return kExitUsage;
  }
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(location, archive, LedgerAccess::kExisting);
  if (!ledger.ok()) {
    std::cerr << "sohoa status: " << ledger.status().message() << "\n";
    return kExitUsage;
  }
  StatusOr<ArchiveStatus> status = ReadArchiveStatus(**ledger, archive, runs, items);
  if (!status.ok()) {
    std::cerr << "sohoa status: " << status.status().message() << "\n";
    return kExitUsage;
  }
  if (IsSharedLedger(location)) std::cout << "Ledger: " << DescribeLedger(location, archive) << "\n";
  std::cout << FormatArchiveStatus(*status, items);
  if (WorkLedger* fleet = AsWorkLedger(ledger->get())) {
    Status s = PrintFleet(*fleet, std::cout);
    if (!s.ok()) {
      std::cerr << "sohoa status: " << s.message() << "\n";
      return kExitUsage;
    }
  }
  return kExitOk;
}

}  // namespace sohoa::cli

// `sohoa status [--archive DIR] [--ledger URL] [--ui-lang vi|en]`: last runs, a run going now,
// what awaits people; with the shared PostgreSQL ledger (issue 8) also the
// work queue and every worker: alive or not, leases held, throughput.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/ui_text.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/messages.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/report/archive_status.h"

namespace sohoa::cli {
namespace po = boost::program_options;

namespace {

std::string WorkerState(const WorkerInfo& w, UiLang lang) {
  if (w.alive) return Tr(lang, N_("alive"));
  if (w.expired) return Tr(lang, N_("DEAD (heartbeat expired)"));
  return w.state;
}

std::string N(long long n) { return std::to_string(n); }

Status PrintFleet(WorkLedger& ledger, UiLang lang, std::ostream& out) {
  StatusOr<WorkCounts> work = ledger.CountWork();
  if (!work.ok()) return work.status();
  StatusOr<std::vector<WorkerInfo>> workers = ledger.Workers();
  if (!workers.ok()) return workers.status();
  int alive = 0, count = 0;
  for (const WorkerInfo& w : *workers) {
    alive += w.worker && w.alive;
    count += w.worker;
  }
  out << "\n"
      << Fill(Tr(lang, N_("Work queue: {queued} waiting, {claimed} held under a lease, {done} done.")),
              {{"queued", N(work->queued)}, {"claimed", N(work->claimed)}, {"done", N(work->done)}})
      << "\n"
      << Fill(Tr(lang, N_("Workers: {alive} alive of {count}.")), {{"alive", N(alive)}, {"count", N(count)}})
      << "\n";
  for (const WorkerInfo& w : *workers) {
    char per_hour[32], seconds[32];
    std::snprintf(per_hour, sizeof per_hour, "%.0f",
                  w.seconds > 0 ? 3600.0 * static_cast<double>(w.pages) / w.seconds : 0);
    std::snprintf(seconds, sizeof seconds, "%.0f", w.seconds);
    out << "  " << w.worker_id << (w.worker ? "" : " (sohoa run)") << "  " << WorkerState(w, lang) << "  "
        << Fill(Tr(lang, N_("host {host} pid {pid}  started {time}")),
                {{"host", w.host}, {"pid", N(w.pid)}, {"time", w.started_at}});
    if (!w.finished_at.empty()) out << Fill(Tr(lang, N_(", finished {time}")), {{"time", w.finished_at}});
    out << "\n      "
        << Fill(Tr(lang,
                   N_("leases held {leases}; {documents} documents, {pages} pages in {seconds} s ({per_hour} "
                      "pages/hour)")),
                {{"leases", N(w.leases_held)},
                 {"documents", N(w.documents)},
                 {"pages", N(w.pages)},
                 {"seconds", seconds},
                 {"per_hour", per_hour}})
        << "\n";
  }
  return Status::Ok();
}

}  // namespace

int StatusMain(int argc, char** argv) {
  std::string archive, ledger_flag, lang_name;
  size_t runs = 5, items = 20;
  UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa status options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder"))(
      "ledger", po::value(&ledger_flag),
      N_("ledger: postgresql://… (or SOHOA_LEDGER); default the archive's ledger.sqlite"))(
      "runs", po::value(&runs)->default_value(5), N_("how many recent runs to show"))(
      "items", po::value(&items)->default_value(20), N_("how many review/quarantine items to list"))(
      "ui-lang", po::value(&lang_name), kUiLangText)("help,h", kHelpText);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) {
      std::cout << Tr(lang, N_("usage: sohoa status --archive DIR | --ledger postgresql://…\n"))
                << OptionTable(d);
      return kExitOk;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sohoa status: " << OptionError(e, lang) << "\n";
    return kExitUsage;
  }
  if (!lang_name.empty() && !ParseUiLang(lang_name, &lang)) {
    std::cerr << "sohoa status: " << Tr(lang, N_("--ui-lang must be vi or en")) << "\n";
    return kExitUsage;
  }
  if (const std::string problem = CatalogProblem(lang); !problem.empty())
    std::cerr << "sohoa status: " << Tr(lang, N_("warning")) << ": " << problem << "\n";
  const std::string location = ResolveLedgerLocation(ledger_flag);
  if (archive.empty() && !IsSharedLedger(location)) {
    std::cerr << "sohoa status: " << Tr(lang, N_("--archive (or --ledger postgresql://…) is required"))
              << "\n";
    return kExitUsage;
  }
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(location, archive, LedgerAccess::kRead);
  if (!ledger.ok()) {
    std::cerr << "sohoa status: " << ErrorInLang(ledger.status().message(), lang) << "\n";
    return kExitUsage;
  }
  StatusOr<ArchiveStatus> status = ReadArchiveStatus(**ledger, archive, runs, items);
  if (!status.ok()) {
    std::cerr << "sohoa status: " << ErrorInLang(status.status().message(), lang) << "\n";
    return kExitUsage;
  }
  if (IsSharedLedger(location))
    std::cout << Fill(Tr(lang, N_("Ledger: {ledger}")), {{"ledger", DescribeLedger(location, archive)}})
              << "\n";
  std::cout << FormatArchiveStatus(*status, items, lang);
  if (WorkLedger* fleet = AsWorkLedger(ledger->get())) {
    Status s = PrintFleet(*fleet, lang, std::cout);
    if (!s.ok()) {
      std::cerr << "sohoa status: " << ErrorInLang(s.message(), lang) << "\n";
      return kExitUsage;
    }
  }
  return kExitOk;
}

}  // namespace sohoa::cli

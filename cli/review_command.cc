// `sohoa review --archive DIR [--listen 127.0.0.1:8080] [--ledger URL]`: the
// review station (issue 9), a local web application where staff confirm and
// correct the documents the pipeline marked "review". Wires the concrete
// pieces together: the ledger (the archive's, or one shared by several
// stations, issue 18), the assignment of entries to operators, the document-type catalog, the pipeline's field
// validators, the PDF revision, the accounts, and the HTTP server.
#include <signal.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "cli/review/code_lists.h"
#include "cli/review/field_checker.h"
#include "cli/review/server.h"
#include "cli/signing_options.h"
#include "cli/ui_text.h"
#include "pipeline/core/clock.h"
#include "pipeline/core/credentials.h"
#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/error_text.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/review/accounts.h"
#include "pipeline/review/assignments.h"
#include "pipeline/review/double_keying.h"
#include "pipeline/review/drafts.h"
#include "pipeline/review/review.h"
#include "stages/signing/extract_cover.h"
#include "stages/signing/pdf_revision.h"

namespace sohoa::cli {
namespace po = boost::program_options;
namespace {

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

int ReviewMain(int argc, char** argv) {
  std::string archive, listen = "127.0.0.1:8080", ui_lang, doctypes, public_url;
  std::string org_key, org_name, org_key_secret_file, pdfa = "2b", signature_level, ledger_flag;
  RunOptions tsa_options;  // --tsa and --tsa-trust, as `sohoa run` takes them
  int idle_minutes = 30, lease_minutes = kDefaultReviewLeaseSeconds / 60;
  bool allow_remote = false;
  int clerk_searches_per_minute = 10;
  std::vector<std::string> double_keying;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa review options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive)->required(), N_("archive folder"))(
      "ledger", po::value(&ledger_flag),
      N_("the ledger to review from: postgresql://… shared by several stations and operators (default: "
         "$SOHOA_LEDGER, else the archive's ledger.sqlite)"))(
      "lease-minutes", po::value(&lease_minutes),
      N_("an operator's hold on the entry they key; one left this long (browser closed) goes to the next "
         "operator (default 10)"))("listen", po::value(&listen),
                                   N_("HOST:PORT to serve on (default 127.0.0.1:8080, this machine only)"))(
      "allow-remote", po::bool_switch(&allow_remote),
      N_("allow --listen on an address other machines can reach (put TLS in front)"))(
      "public-url", po::value(&public_url),
      N_("the address people open, e.g. https://review.example.vn behind a TLS proxy: its host name is "
         "accepted in requests, and https makes the session cookie Secure"))(
      "ui-lang", po::value(&ui_lang), N_("default interface language: vi (default) or en"))(
      "session-minutes", po::value(&idle_minutes), N_("log out after this many idle minutes (default 30)"))(
      "doctypes", po::value(&doctypes), N_("document-type folder (default: the schemas' doctypes)"))(
      "org-key", po::value(&org_key),
      N_("sign each corrected version with this key (PKCS#12 file or pkcs11: URI); secret from "
         "SOHOA_ORG_KEY_SECRET or --org-key-secret-file, never an option"))(
      "org-name", po::value(&org_name), N_("signer name in the appearance (default: the certificate's CN)"))(
      "org-key-secret-file", po::value(&org_key_secret_file), N_("file holding the key's password/PIN"))(
      "pdfa", po::value(&pdfa), N_("PDF/A part of the archive: 2b (default) or 1b"))(
      "signature-level", po::value(&signature_level),
      N_("PAdES level of the corrected versions' signature: b, t, lt or lta (default lta with --tsa, b "
         "without)"))(
      "clerk-searches-per-minute", po::value(&clerk_searches_per_minute),
      N_("each clerk account's searches a minute before the station answers 429 (default 10)"))(
      "double-keying", po::value(&double_keying)->composing(),
      N_("key these inputs twice, blind, with an arbiter for disagreements (repeatable): all, handwritten, "
         "batch=RUN_ID or book=[KIND:]BOOK_NO (e.g. book=khai_sinh:01/2018)"))("help,h", kHelpText);
  d.add(DescribeTsaOptions(&tsa_options, lang));
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) {
      std::cout << Tr(lang,
                      N_("usage: sohoa review --archive DIR [--listen 127.0.0.1:8080] [--ui-lang vi|en]\n"
                         "       [--ledger postgresql://…] [--lease-minutes 10]\n"
                         "Serves the review station: log in (accounts: sohoa user add), confirm or correct\n"
                         "the documents awaiting review; each confirmation archives a new PDF version.\n"))
                << OptionTable(d);
      return kExitOk;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sohoa review: " << OptionError(e, lang) << "\n";
    return kExitUsage;
  }
  ReviewServerOptions options;
  const size_t colon = listen.rfind(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no port");
    options.host = listen.substr(0, colon);
    options.port = std::stoi(listen.substr(colon + 1));
    if (options.port <= 0 || options.port > 65535) throw std::out_of_range("port");
  } catch (const std::exception&) {
    std::cerr << "sohoa review: "
              << Fill(Tr(lang, N_("--listen must be HOST:PORT, e.g. 127.0.0.1:8080 (got '{value}')")),
                      {{"value", listen}})
              << "\n";
    return kExitUsage;
  }
  if (options.host.size() > 2 && options.host.front() == '[')
    options.host = options.host.substr(1, options.host.size() - 2);
  if (!IsLoopback(options.host) && !allow_remote) {
    std::cerr << "sohoa review: "
              << Fill(Tr(lang,
                         N_("{host} is reachable from other machines and the station serves personal data "
                            "over plain HTTP;\n  listen on 127.0.0.1 (the default), or add --allow-remote "
                            "behind a TLS proxy")),
                      {{"host", options.host}})
              << "\n";
    return kExitUsage;
  }
  if (ui_lang.empty()) ui_lang = lang == UiLang::kEn ? "en" : "vi";  // SOHOA_UI_LANG, else Vietnamese
  if (ui_lang != "vi" && ui_lang != "en") {
    std::cerr << "sohoa review: " << Tr(lang, N_("--ui-lang must be vi or en")) << "\n";
    return kExitUsage;
  }
  if (clerk_searches_per_minute < 1 || clerk_searches_per_minute > 10000) {
    std::cerr << "sohoa review: " << Tr(lang, N_("--clerk-searches-per-minute must be 1 to 10000")) << "\n";
    return kExitUsage;
  }
  if (idle_minutes < 1) {
    std::cerr << "sohoa review: " << Tr(lang, N_("--session-minutes must be at least 1")) << "\n";
    return kExitUsage;
  }
  if (lease_minutes < 1 || lease_minutes > 24 * 60) {
    std::cerr << "sohoa review: " << Tr(lang, N_("--lease-minutes must be between 1 and 1440")) << "\n";
    return kExitUsage;
  }
  std::string public_host;
  bool https = false;
  if (!public_url.empty() && !ParsePublicUrl(public_url, &public_host, &https)) {
    std::cerr << "sohoa review: "
              << Tr(lang, N_("--public-url must be http(s)://HOST[:PORT], e.g. https://review.example.vn"))
              << "\n";
    return kExitUsage;
  }
  DoubleKeyingScope keying_scope;
  for (const std::string& scope : double_keying) {
    if (Status added = AddDoubleKeyingScope(scope, &keying_scope); !added.ok()) {
      std::cerr << "sohoa review: " << ErrorInLang(added.message(), lang) << "\n";
      return kExitUsage;
    }
  }
  options.public_url = public_url;
  options.ui_lang = ui_lang;
  options.sessions.idle_seconds = int64_t{idle_minutes} * 60;

  const std::string ledger_location = ResolveLedgerLocation(ledger_flag);
  StatusOr<std::unique_ptr<Ledger>> ledger = OpenLedger(ledger_location, archive, LedgerAccess::kExisting);
  if (!ledger.ok()) {
    std::cerr << "sohoa review: " << ErrorInLang(ledger.status().message(), lang) << "\n";
    return kExitUsage;
  }
  StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(doctypes.empty() ? DefaultDocTypesDir() : doctypes);
  if (!catalog.ok()) {
    std::cerr << "sohoa review: " << ErrorInLang(catalog.status().message(), lang) << "\n";
    return kExitUsage;
  }
  StatusOr<std::unique_ptr<AccountStore>> accounts = OpenAccountStore(AccountStorePath(archive));
  if (!accounts.ok()) {
    std::cerr << "sohoa review: " << ErrorInLang(accounts.status().message(), lang) << "\n";
    return kExitUsage;
  }
  StatusOr<std::vector<Account>> users = (*accounts)->Users();
  if (!users.ok() || users->empty()) {
    std::cerr << "sohoa review: "
              << Fill(Tr(lang,
                         N_("no accounts yet; create one first:\n  sohoa user add --archive {archive} NAME "
                            "--role admin")),
                      {{"archive", archive}})
              << "\n";
    return kExitUsage;
  }

  // The key is loaded and checked before serving: a wrong PIN or an expired
  // certificate stops here, never on a reviewer's confirmation.
  std::shared_ptr<ReviewSigner> signer;
  SignatureLevel level = tsa_options.tsa.empty() ? SignatureLevel::kB : SignatureLevel::kLTA;
  if (!signature_level.empty() && !ParseSignatureLevel(signature_level, &level)) {
    std::cerr << "sohoa review: " << Tr(lang, N_("--signature-level must be b, t, lt or lta")) << "\n";
    return kExitUsage;
  }
  if (org_key.empty() && (!tsa_options.tsa.empty() || !signature_level.empty())) {
    std::cerr << "sohoa review: " << Tr(lang, N_("--tsa and --signature-level need --org-key")) << "\n";
    return kExitUsage;
  }
  if (level != SignatureLevel::kB && tsa_options.tsa.empty()) {
    std::cerr << "sohoa review: "
              << Fill(Tr(lang, N_("signature level {level} needs a time-stamp authority (--tsa URL)")),
                      {{"level", SignatureLevelName(level)}})
              << "\n";
    return kExitUsage;
  }
  if (!org_key.empty()) {
    StatusOr<std::shared_ptr<ReviewSigner>> opened =
        OpenOrgSigner(org_key, org_key_secret_file, org_name, pdfa == "1b" ? 1 : 2);
    if (!opened.ok()) {
      std::cerr << "sohoa review: " << ErrorInLang(opened.status().message(), lang) << "\n";
      return kExitUsage;
    }
    signer = *opened;
    signer->level = level;
    if (level != SignatureLevel::kB) {
      StatusOr<TsaOptions> tsa = TsaOptionsFrom(tsa_options);
      if (!tsa.ok()) {
        std::cerr << "sohoa review: " << ErrorInLang(tsa.status().message(), lang) << "\n";
        return kExitUsage;
      }
      signer->tsa = *tsa;
    }
  }
  // The clerk's search (issue 22): extracts carry a signed cover when the
  // station has the organisation's key.
  ClerkDeskOptions clerk_options;
  clerk_options.searches_per_minute = clerk_searches_per_minute;
  if (signer) clerk_options.cover = NewCoverMaker(signer);
  ClerkDesk clerk(ledger->get(), archive, clerk_options);
  options.clerk = &clerk;
  // The keying station's drafts and type-ahead lists (issue 18).
  StatusOr<std::unique_ptr<DraftStore>> drafts = OpenDraftStore(DraftStorePath(archive));
  if (!drafts.ok()) {
    std::cerr << "sohoa review: " << ErrorInLang(drafts.status().message(), lang) << "\n";
    return kExitUsage;
  }
  options.drafts = drafts->get();
  StatusOr<std::string> code_lists = CodeListsJson("");
  if (!code_lists.ok()) {
    std::cerr << "sohoa review: " << ErrorInLang(code_lists.status().message(), lang) << "\n";
    return kExitUsage;
  }
  options.code_lists_json = std::move(*code_lists);
  ReviewService service(archive, ledger->get(), &*catalog, NewFieldChecker(), NewPdfReviser(signer));
  // Blind keyings live where every station on the ledger sees them: in a
  // shared ledger, else in the archive's draft file (keying_store.h).
  KeyingStore* keyings = (*ledger)->shared_keyings();
  DoubleKeying keying(ledger->get(), &service, keyings != nullptr ? keyings : drafts->get(), keying_scope);
  options.keying = &keying;
  Assignments assignments(ledger->get(), &service, &keying, lease_minutes * 60);
  options.assignments = &assignments;
  std::unique_ptr<ReviewServer> server = NewReviewServer(&service, accounts->get(), options, &std::cerr);

  // SIGINT/SIGTERM stop the server cleanly (sessions stay in the store).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  StatusOr<int> port = server->Bind();
  if (!port.ok()) {
    std::cerr << "sohoa review: " << ErrorInLang(port.status().message(), lang) << "\n";
    return kExitUsage;
  }
  const std::string url =
      "http://" + (options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host) +
      ":" + std::to_string(*port) + "/";
  std::cerr << "sohoa review: "
            << Fill(
                   Tr(lang, N_("serving {archive} (ledger {ledger}) on {url} (Ctrl+C to stop)")),
                   {{"archive", archive}, {"ledger", DescribeLedger(ledger_location, archive)}, {"url", url}})
            << "\n";
  std::atomic<bool> signalled{false};
  std::thread waiter([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    signalled = true;
    server->Stop();
  });
  server->Serve();
  // Serve() also returns if the socket failed: wake the waiter then.
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::cerr << "sohoa review: " << Tr(lang, N_("stopped")) << "\n";
  return kExitOk;
}

}  // namespace sohoa::cli

// `sohoa extract --archive DIR --record SHA256 --purpose "…" (--out DIR |
// --zip FILE) [--org-key KEY [--org-name NAME]]`: a citizen's copy of one
// archived record — the PDF/A byte for byte as archived and, with the
// organisation's key, a signed certified cover beside it
// (pipeline/report/extract.h, stages/signing/extract_cover.h). Audited in
// the ledger's access log like a search.
#include <boost/program_options.hpp>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/signing_options.h"
#include "cli/ui_text.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"
#include "pipeline/ledger/ledger_factory.h"
#include "pipeline/report/extract.h"
#include "stages/signing/extract_cover.h"

namespace sohoa::cli {
namespace po = boost::program_options;

int ExtractMain(int argc, char** argv) {
  std::string archive, ledger_flag, out_dir, zip_path, org_key, org_key_secret_file, org_name, pdfa = "2b";
  ExtractRequest request;
  const UiLang lang = CommandLang(argc, argv);
  po::options_description d(Tr(lang, N_("sohoa extract options")), kUnwrapped);
  OptionsIn(d, lang)("archive", po::value(&archive), N_("archive folder (the PDFs are read from it)"))(
      "ledger", po::value(&ledger_flag),
      N_("ledger: postgresql://… (or SOHOA_LEDGER); default the archive's ledger.sqlite"))(
      "record", po::value(&request.sha256), N_("the record's sha256, as `sohoa find` shows it"))(
      "purpose", po::value(&request.purpose), N_("why the copy is made (required; kept in the access log)"))(
      "out", po::value(&out_dir), N_("write the original and the cover into this folder"))(
      "zip", po::value(&zip_path), N_("or write both into this .zip file"))(
      "org-key", po::value(&org_key),
      N_("add a certified cover signed with this key (PKCS#12 file or pkcs11: URI); secret from "
         "SOHOA_ORG_KEY_SECRET or --org-key-secret-file, never an option"))(
      "org-key-secret-file", po::value(&org_key_secret_file), N_("file holding the key's password/PIN"))(
      "org-name", po::value(&org_name), N_("issuer named on the cover (default: the certificate's CN)"))(
      "pdfa", po::value(&pdfa), N_("PDF/A part of the cover: 2b (default) or 1b"))(
      "ui-lang", po::value<std::string>(), kUiLangText)("help,h", kHelpText);
  auto usage = [&](std::ostream& out) {
    out << Tr(lang,
              N_("usage: sohoa extract --archive DIR --record SHA256 --purpose \"WHY\" (--out DIR | --zip "
                 "FILE)\n"
                 "                     [--org-key KEY [--org-name NAME]]\n\n"
                 "A citizen's copy of an archived record: its PDF/A exactly as archived (its signatures\n"
                 "stay valid) and, with --org-key, a certified cover (a separate PDF/A signed by the\n"
                 "organisation: who issued it, when, why, the record's type, number and date, the\n"
                 "original's SHA-256). Recorded in the ledger's access log.\n\n"))
        << OptionTable(d);
  };
  po::variables_map vm;
  if (const std::optional<int> ended = ParseCommandLine(argc, argv, d, "sohoa extract", lang, usage, &vm))
    return *ended;
  if (archive.empty() || request.sha256.empty() || out_dir.empty() == zip_path.empty()) {
    std::cerr << "sohoa extract: "
              << Tr(lang, N_("--archive, --record and one of --out or --zip are required")) << "\n";
    return kExitUsage;
  }
  if (Status purpose = CheckPurpose(request.purpose); !purpose.ok()) {
    std::cerr << "sohoa extract: " << ErrorInLang(purpose.message(), lang) << "\n";
    return kExitUsage;
  }
  if (pdfa != "2b" && pdfa != "1b") {
    std::cerr << "sohoa extract: " << Tr(lang, N_("--pdfa must be 2b or 1b")) << "\n";
    return kExitUsage;
  }
  // The key first: a wrong secret stops here, before anything is disclosed.
  CoverMaker cover;
  if (!org_key.empty()) {
    StatusOr<std::shared_ptr<ReviewSigner>> signer =
        OpenOrgSigner(org_key, org_key_secret_file, org_name, pdfa == "1b" ? 1 : 2);
    if (!signer.ok()) {
      std::cerr << "sohoa extract: " << ErrorInLang(signer.status().message(), lang) << "\n";
      return kExitUsage;
    }
    cover = NewCoverMaker(*signer);
  }
  StatusOr<std::unique_ptr<Ledger>> ledger =
      OpenLedger(ResolveLedgerLocation(ledger_flag), archive, LedgerAccess::kExisting);
  if (!ledger.ok()) {
    std::cerr << "sohoa extract: " << ErrorInLang(ledger.status().message(), lang) << "\n";
    return kExitUsage;
  }
  request.who = OsUser();
  request.via = "cli";
  StatusOr<CitizenExtract> extract = MakeCitizenExtract(**ledger, archive, request, cover ? &cover : nullptr);
  if (!extract.ok()) {
    std::cerr << "sohoa extract: " << ErrorInLang(extract.status().message(), lang) << "\n";
    return kExitUsage;
  }
  Status written = Status::Ok();
  if (!out_dir.empty()) {
    written = WriteExtractFiles(*extract, out_dir);
  } else {
    StatusOr<std::string> zip = ExtractZipBytes(*extract);
    written = zip.ok() ? WriteFileAtomically(zip_path, *zip) : zip.status();
  }
  if (!written.ok()) {
    std::cerr << "sohoa extract: " << ErrorInLang(written.message(), lang) << "\n";
    return kExitUsage;
  }
  const std::string where = out_dir.empty() ? zip_path : out_dir;
  std::cout << Fill(Tr(lang, N_("{file}  sha256 {sha256}  (as archived)")),
                    {{"file", extract->original_name}, {"sha256", extract->original_sha256}})
            << "\n";
  if (!extract->cover_name.empty())
    std::cout << Fill(Tr(lang, N_("{file}  (certified cover, signed)")), {{"file", extract->cover_name}})
              << "\n";
  std::cout << Fill(Tr(lang, N_("written to {where}")), {{"where", where}}) << "\n";
  return kExitOk;
}

}  // namespace sohoa::cli

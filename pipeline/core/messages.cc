#include "pipeline/core/messages.h"

#include <cstdio>

#include "pipeline/core/file_name.h"

namespace sohoa {

bool ParseUiLang(const std::string& text, UiLang* lang) {
  if (text == "vi")
    *lang = UiLang::kVi;
  else if (text == "en")
    *lang = UiLang::kEn;
  else
    return false;
  return true;
}

std::string OutcomeLabel(Outcome outcome, UiLang lang) {
  switch (outcome) {
    case Outcome::kPending:
      return Tr(lang, N_("pending"));
    case Outcome::kArchived:
      return Tr(lang, N_("archived"));
    case Outcome::kReview:
      return Tr(lang, N_("review"));
    case Outcome::kQuarantined:
      return Tr(lang, N_("quarantined"));
    case Outcome::kSkipped:
      return Tr(lang, N_("skipped"));
    case Outcome::kDeferred:
      return Tr(lang, N_("deferred"));
  }
  return "?";
}

std::string PagesLabel(int pages, UiLang lang) {
  return Fill(TrN(lang, "{n} page", "{n} pages", pages), {{"n", std::to_string(pages)}});
}

std::string OutcomeCountsText(size_t archived, size_t review, size_t quarantined, size_t skipped,
                              UiLang lang) {
  return Fill(
      Tr(lang, N_("{archived} archived, {review} review, {quarantined} quarantined, {skipped} already done")),
      {{"archived", std::to_string(archived)},
       {"review", std::to_string(review)},
       {"quarantined", std::to_string(quarantined)},
       {"skipped", std::to_string(skipped)}});
}

namespace {

std::string PassedOverKindLabel(PassedOverKind kind, UiLang lang) {
  switch (kind) {
    case PassedOverKind::kOwnOutput:
      return Tr(lang, N_("own output"));
    case PassedOverKind::kAlreadyWalked:
      return Tr(lang, N_("folder walked already"));
    case PassedOverKind::kOtherArchive:
      return Tr(lang, N_("another sohoa archive"));
    case PassedOverKind::kBag:
      return Tr(lang, N_("BagIt bag"));
    case PassedOverKind::kFifo:
      return Tr(lang, N_("named pipe (FIFO)"));
    case PassedOverKind::kSocket:
      return Tr(lang, N_("socket"));
    case PassedOverKind::kDevice:
      return Tr(lang, N_("device"));
    case PassedOverKind::kUnreadableFolder:
      return Tr(lang, N_("unreadable folder"));
    case PassedOverKind::kSymlinkLoop:
      return Tr(lang, N_("symlink loop"));
    case PassedOverKind::kDanglingLink:
      return Tr(lang, N_("dangling symlink"));
    case PassedOverKind::kUnreadable:
      return Tr(lang, N_("unreadable entry"));
    case PassedOverKind::kTooDeep:
      return Tr(lang, N_("folder nested too deep"));
    case PassedOverKind::kLoneBookManifest:
      return Tr(lang, N_("book manifest without its scan"));
    case PassedOverKind::kInBookFolder:
      return Tr(lang, N_("in a book folder"));
  }
  return "?";
}

std::string Count(size_t n) { return std::to_string(n); }

std::string Decimal(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string DeferredPart(size_t deferred, UiLang lang) {
  if (deferred == 0) return "";
  return Fill(Tr(lang, N_(", {n} left for the next run")), {{"n", Count(deferred)}});
}

std::string PassedOverPart(size_t passed_over, UiLang lang) {
  if (passed_over == 0) return "";
  return Fill(
      TrN(lang, " ({n} entry that is not a file passed over, listed above)",
          " ({n} entries that are not files passed over, listed above)", static_cast<long>(passed_over)),
      {{"n", Count(passed_over)}});
}

std::string EntriesPart(const RunSummaryFacts& f, UiLang lang) {
  const size_t total = f.entries_archived + f.entries_review + f.entries_quarantined + f.entries_skipped;
  if (total == 0) return "";
  return Fill(TrN(lang, "; {n} register entry — {counts}", "; {n} register entries — {counts}",
                  static_cast<long>(total)),
              {{"n", Count(total)},
               {"counts", OutcomeCountsText(f.entries_archived, f.entries_review, f.entries_quarantined,
                                            f.entries_skipped, lang)}});
}

}  // namespace

std::string RunSummaryLine(const RunSummaryFacts& f, UiLang lang) {
  const double per_minute = f.wall_seconds > 0 ? 60.0 * static_cast<double>(f.pages) / f.wall_seconds : 0;
  const double cpu_ratio = f.wall_seconds > 0 ? f.cpu_seconds / f.wall_seconds : 0;
  return Fill(
             TrN(lang,
                 "run {run} finished in {wall} s: {n} file{passed_over} — {counts}{deferred}; {pages} pages "
                 "({per_minute} pages/min, CPU {cpu} s = {ratio} × wall)",
                 "run {run} finished in {wall} s: {n} files{passed_over} — {counts}{deferred}; {pages} pages "
                 "({per_minute} pages/min, CPU {cpu} s = {ratio} × wall)",
                 static_cast<long>(f.files)),
             {{"run", f.run_id},
              {"wall", Decimal(f.wall_seconds, 1)},
              {"n", Count(f.files)},
              {"passed_over", PassedOverPart(f.passed_over, lang)},
              {"counts", OutcomeCountsText(f.archived, f.review, f.quarantined, f.skipped, lang)},
              {"deferred", DeferredPart(f.deferred, lang)},
              {"pages", Count(f.pages)},
              {"per_minute", Decimal(per_minute, 1)},
              {"cpu", Decimal(f.cpu_seconds, 1)},
              {"ratio", Decimal(cpu_ratio, 2)}}) +
         EntriesPart(f, lang);
}

std::string RunStoppedLine(const std::string& cause, size_t deferred, UiLang lang) {
  return Fill(
      TrN(lang,
          "the run stopped: results could not be kept ({cause}). {n} file was not finished and nothing "
          "is recorded for it; the next run processes it. Nothing is recorded as archived that is not "
          "on disk. Fix the cause (e.g. free disk space) and run again.",
          "the run stopped: results could not be kept ({cause}). {n} files were not finished and "
          "nothing is recorded for them; the next run processes them. Nothing is recorded as archived "
          "that is not on disk. Fix the cause (e.g. free disk space) and run again.",
          static_cast<long>(deferred)),
      {{"cause", cause}, {"n", Count(deferred)}});
}

std::string PassedOverLine(const PassedOver& entry, UiLang lang) {
  std::string line =
      Fill(Tr(lang, N_("passed over: {name} ({kind})")),
           {{"name", DisplayName(entry.name)}, {"kind", PassedOverKindLabel(entry.kind, lang)}});
  if (!entry.detail.empty()) line += ": " + entry.detail;
  return line;
}

std::string ArchiveHintLine(const std::string& archive, UiLang lang) {
  return Fill(Tr(lang, N_("archive: {archive} (list it with: sohoa export --archive {archive})")),
              {{"archive", archive}});
}

}  // namespace sohoa

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

const char* OutcomeLabel(Outcome outcome, UiLang lang) {
  if (lang == UiLang::kEn) return OutcomeName(outcome);
  switch (outcome) {
    case Outcome::kPending:
      return "đang xử lý";
    case Outcome::kArchived:
      return "đã lưu trữ";
    case Outcome::kReview:
      return "cần kiểm tra";
    case Outcome::kQuarantined:
      return "bị cách ly";
    case Outcome::kSkipped:
      return "bỏ qua";
    case Outcome::kDeferred:
      return "để lần chạy sau";
  }
  return "?";
}

std::string PagesLabel(int pages, UiLang lang) {
  if (lang == UiLang::kVi) return std::to_string(pages) + " trang";
  return std::to_string(pages) + (pages == 1 ? " page" : " pages");
}

namespace {
const char* PassedOverKindLabel(PassedOverKind kind, UiLang lang) {
  if (lang == UiLang::kEn) return PassedOverKindName(kind);
  switch (kind) {
    case PassedOverKind::kOwnOutput:
      return "nơi lưu kết quả của chính lượt chạy";
    case PassedOverKind::kAlreadyWalked:
      return "thư mục đã duyệt rồi";
    case PassedOverKind::kOtherArchive:
      return "một kho lưu trữ sohoa khác";
    case PassedOverKind::kBag:
      return "gói BagIt";
    case PassedOverKind::kFifo:
      return "ống dẫn có tên (FIFO)";
    case PassedOverKind::kSocket:
      return "socket";
    case PassedOverKind::kDevice:
      return "thiết bị";
    case PassedOverKind::kUnreadableFolder:
      return "thư mục không đọc được";
    case PassedOverKind::kSymlinkLoop:
      return "liên kết tượng trưng lặp vòng";
    case PassedOverKind::kDanglingLink:
      return "liên kết tượng trưng hỏng";
    case PassedOverKind::kUnreadable:
      return "mục không đọc được";
    case PassedOverKind::kTooDeep:
      return "thư mục lồng quá sâu";
    case PassedOverKind::kLoneBookManifest:
      return "tệp mô tả sổ không có bản quét đi kèm";
    case PassedOverKind::kInBookFolder:
      return "trong thư mục sổ";
  }
  return "?";
}

std::string DeferredPart(size_t deferred, UiLang lang) {
  if (deferred == 0) return "";
  if (lang == UiLang::kVi) return ", " + std::to_string(deferred) + " để lần chạy sau";
  return ", " + std::to_string(deferred) + " left for the next run";
}

std::string PassedOverPart(size_t passed_over, UiLang lang) {
  if (passed_over == 0) return "";
  if (lang == UiLang::kVi) {
    return " (" + std::to_string(passed_over) + " mục không phải tệp bị bỏ qua, xem ở trên)";
  }
  return " (" + std::to_string(passed_over) + " entries that are not files passed over, listed above)";
}

std::string EntriesPart(const RunSummaryFacts& f, UiLang lang) {
  const size_t total = f.entries_archived + f.entries_review + f.entries_quarantined + f.entries_skipped;
  if (total == 0) return "";
  char part[300];
  if (lang == UiLang::kVi) {
    std::snprintf(part, sizeof part,
                  "; %zu mục trong sổ hộ tịch — %zu đã lưu trữ, %zu cần kiểm tra, %zu bị cách ly, %zu đã có từ "
                  "trước",
                  total, f.entries_archived, f.entries_review, f.entries_quarantined, f.entries_skipped);
  } else {
    std::snprintf(part, sizeof part,
                  "; %zu register entries — %zu archived, %zu review, %zu quarantined, %zu already done", total,
                  f.entries_archived, f.entries_review, f.entries_quarantined, f.entries_skipped);
  }
  return part;
}

}  // namespace

std::string RunSummaryLine(const RunSummaryFacts& f, UiLang lang) {
  const double per_minute = f.wall_seconds > 0 ? 60.0 * static_cast<double>(f.pages) / f.wall_seconds : 0;
  const double cpu_ratio = f.wall_seconds > 0 ? f.cpu_seconds / f.wall_seconds : 0;
  char line[600];
  if (lang == UiLang::kVi) {
    std::snprintf(line, sizeof line,
                  "lượt chạy %s xong sau %.1f s: %zu tệp%s — %zu đã lưu trữ, %zu cần kiểm tra, "
                  "%zu bị cách ly, %zu đã có từ trước%s; %zu trang (%.1f trang/phút, CPU %.1f s = %.2f × "
                  "thời gian thực)",
                  f.run_id.c_str(), f.wall_seconds, f.files, PassedOverPart(f.passed_over, lang).c_str(),
                  f.archived, f.review, f.quarantined, f.skipped, DeferredPart(f.deferred, lang).c_str(),
                  f.pages, per_minute, f.cpu_seconds, cpu_ratio);
  } else {
    std::snprintf(line, sizeof line,
                  "run %s finished in %.1f s: %zu files%s — %zu archived, %zu review, %zu quarantined, "
                  "%zu already done%s; %zu pages (%.1f pages/min, CPU %.1f s = %.2f × wall)",
                  f.run_id.c_str(), f.wall_seconds, f.files, PassedOverPart(f.passed_over, lang).c_str(),
                  f.archived, f.review, f.quarantined, f.skipped, DeferredPart(f.deferred, lang).c_str(),
                  f.pages, per_minute, f.cpu_seconds, cpu_ratio);
  }
  return line + EntriesPart(f, lang);
}

std::string RunStoppedLine(const std::string& cause, size_t deferred, UiLang lang) {
  if (lang == UiLang::kVi) {
    return "lượt chạy đã dừng: không ghi được kết quả (" + cause + "). " + std::to_string(deferred) +
           " tệp chưa xử lý xong, không ghi gì cho chúng; lần chạy sau sẽ xử lý lại. Không có tài liệu nào "
           "được ghi là đã lưu trữ mà không có trên đĩa. Hãy khắc phục lỗi (ví dụ giải phóng dung lượng đĩa) "
           "rồi chạy lại.";
  }
  return "the run stopped: results could not be kept (" + cause + "). " + std::to_string(deferred) +
         (deferred == 1
              ? " file was not finished and nothing is recorded for it; the next run processes it. "
              : " files were not finished and nothing is recorded for them; the next run processes them. ") +
         "Nothing is recorded as archived that is not on disk. Fix the cause (e.g. free disk space) and "
         "run again.";
}

std::string PassedOverLine(const PassedOver& entry, UiLang lang) {
  std::string line = (lang == UiLang::kVi ? "bỏ qua: " : "passed over: ") + DisplayName(entry.name) + " (" +
                     PassedOverKindLabel(entry.kind, lang) + ")";
  if (!entry.detail.empty()) line += ": " + entry.detail;
  return line;
}

std::string ArchiveHintLine(const std::string& archive, UiLang lang) {
  if (lang == UiLang::kVi) {
    return "kho lưu trữ: " + archive + " (xem danh sách: sohoa export --archive " + archive + ")";
  }
  return "archive: " + archive + " (list it with: sohoa export --archive " + archive + ")";
}

}  // namespace sohoa

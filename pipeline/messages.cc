#include "pipeline/messages.h"

#include <cstdio>

namespace sohoa {

bool ParseUiLang(const std::string& text, UiLang* lang) {
  if (text == "vi") *lang = UiLang::kVi;
  else if (text == "en") *lang = UiLang::kEn;
  else return false;
  return true;
}

const char* OutcomeLabel(Outcome outcome, UiLang lang) {
  if (lang == UiLang::kEn) return OutcomeName(outcome);
  switch (outcome) {
    case Outcome::kPending: return "đang xử lý";
    case Outcome::kArchived: return "đã lưu trữ";
    case Outcome::kReview: return "cần kiểm tra";
    case Outcome::kQuarantined: return "bị cách ly";
    case Outcome::kSkipped: return "bỏ qua";
    case Outcome::kDeferred: return "để lần chạy sau";
  }
  return "?";
}

std::string PagesLabel(int pages, UiLang lang) {
  if (lang == UiLang::kVi) return std::to_string(pages) + " trang";
  return std::to_string(pages) + (pages == 1 ? " page" : " pages");
}

namespace {
std::string DeferredPart(size_t deferred, UiLang lang) {
  if (deferred == 0) return "";
  if (lang == UiLang::kVi) return ", " + std::to_string(deferred) + " để lần chạy sau";
  return ", " + std::to_string(deferred) + " left for the next run";
}
}  // namespace

std::string RunSummaryLine(const RunSummaryFacts& f, UiLang lang) {
  const double per_minute = f.wall_seconds > 0 ? 60.0 * static_cast<double>(f.pages) / f.wall_seconds : 0;
  const double cpu_ratio = f.wall_seconds > 0 ? f.cpu_seconds / f.wall_seconds : 0;
  char line[600];
  if (lang == UiLang::kVi) {
    std::snprintf(line, sizeof line,
                  "lượt chạy %s xong sau %.1f s: %zu tệp — %zu đã lưu trữ, %zu cần kiểm tra, "
                  "%zu bị cách ly, %zu đã có từ trước%s; %zu trang (%.1f trang/phút, CPU %.1f s = %.2f × "
                  "thời gian thực)",
                  f.run_id.c_str(), f.wall_seconds, f.files, f.archived, f.review, f.quarantined, f.skipped,
                  DeferredPart(f.deferred, lang).c_str(), f.pages, per_minute, f.cpu_seconds, cpu_ratio);
  } else {
    std::snprintf(line, sizeof line,
                  "run %s finished in %.1f s: %zu files — %zu archived, %zu review, %zu quarantined, "
                  "%zu already done%s; %zu pages (%.1f pages/min, CPU %.1f s = %.2f × wall)",
                  f.run_id.c_str(), f.wall_seconds, f.files, f.archived, f.review, f.quarantined, f.skipped,
                  DeferredPart(f.deferred, lang).c_str(), f.pages, per_minute, f.cpu_seconds, cpu_ratio);
  }
  return line;
}

std::string RunStoppedLine(const std::string& cause, size_t deferred, UiLang lang) {
  if (lang == UiLang::kVi) {
    return "lượt chạy đã dừng: không ghi được kết quả (" + cause + "). " + std::to_string(deferred) +
           " tệp chưa xử lý xong, không ghi gì cho chúng; lần chạy sau sẽ xử lý lại. Không có tài liệu nào "
           "được ghi là đã lưu trữ mà không có trên đĩa. Hãy khắc phục lỗi (ví dụ giải phóng dung lượng đĩa) "
           "rồi chạy lại.";
  }
  return "the run stopped: results could not be kept (" + cause + "). " + std::to_string(deferred) +
         (deferred == 1 ? " file was not finished and nothing is recorded for it; the next run processes it. "
                        : " files were not finished and nothing is recorded for them; the next run processes them. ") +
         "Nothing is recorded as archived that is not on disk. Fix the cause (e.g. free disk space) and "
         "run again.";
}

std::string ArchiveHintLine(const std::string& archive, UiLang lang) {
  if (lang == UiLang::kVi) {
    return "kho lưu trữ: " + archive + " (xem danh sách: sohoa export --archive " + archive + ")";
  }
  return "archive: " + archive + " (list it with: sohoa export --archive " + archive + ")";
}

}  // namespace sohoa

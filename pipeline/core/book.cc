#include "pipeline/core/book.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "pipeline/core/csv_reader.h"
#include "pipeline/core/document.h"
#include "pipeline/core/file_util.h"
#include "pipeline/core/sha256.h"

namespace sohoa {

std::string EntryKey(const std::string& book_sha256, int first_scan_page, int slot) {
  return Sha256Hex("sohoa register entry v1\n" + book_sha256 + "\n" + std::to_string(first_scan_page) + "\n" +
                   std::to_string(slot));
}

std::string PageNumbersText(const std::vector<int>& page_numbers) {
  std::string text;
  int first = 0, last = 0;
  for (int n : page_numbers) {
    if (n <= 0) continue;
    if (first == 0) first = n;
    last = n;
  }
  if (first == 0) return "";
  text = std::to_string(first);
  if (last != first) text += "-" + std::to_string(last);
  return text;
}

std::shared_ptr<Document> NewEntryDocument(const Document& book, const EntryInfo& info, int slot) {
  auto entry = std::make_shared<Document>();
  const int first_page = info.scan_pages.empty() ? 0 : info.scan_pages.front();
  entry->sha256 = EntryKey(book.sha256, first_page, slot);
  entry->relative_path =
      book.relative_path + "#page" + std::to_string(first_page + 1) + "." + std::to_string(slot + 1);
  entry->source_path = book.source_path;
  entry->format = book.format;
  entry->staging_dir = book.staging_dir;
  entry->book = book.book;
  entry->entry = info;
  entry->entry->book_sha256 = book.sha256;
  entry->entry->book_source = book.relative_path;
  if (book.book) {
    entry->entry->kind = book.book->kind;
    entry->entry->book_no = book.book->book_no;
    entry->metadata["doc_type_declared"] = book.book->kind;
  }
  const EntryInfo& e = *entry->entry;
  std::string scan_pages;
  for (int index : e.scan_pages) scan_pages += (scan_pages.empty() ? "" : ",") + std::to_string(index + 1);
  entry->metadata["record_kind"] = "register_entry";
  entry->metadata["register_kind"] = e.kind;
  entry->metadata["book_sha256"] = e.book_sha256;
  entry->metadata["book_no"] = e.book_no;
  entry->metadata["entry_position"] = std::to_string(e.position);
  entry->metadata["entry_no"] = e.number > 0 ? std::to_string(e.number) : "";
  entry->metadata["entry_no_inferred"] = e.number_inferred ? "1" : "0";
  entry->metadata["page_no"] = PageNumbersText(e.page_numbers);
  entry->metadata["scan_pages"] = scan_pages;
  entry->metadata["handwritten"] = e.handwritten ? "1" : "0";
  std::map<std::string, EntryFieldPlace> places;
  for (const auto& [key, place] : e.field_places) {
    const auto at = std::find(e.scan_pages.begin(), e.scan_pages.end(), place.scan_page);
    if (at == e.scan_pages.end() || place.scan_page >= book.page_count()) continue;
    const Page& page = book.pages[place.scan_page];
    // The encoded image is the page as its PDF shows it; the raster may be
    // freed by now.
    const double width = page.image.width > 0 ? page.image.width : page.raster.width;
    const double height = page.image.height > 0 ? page.image.height : page.raster.height;
    if (width <= 0 || height <= 0 || place.right <= place.left || place.bottom <= place.top) continue;
    places[key] = {static_cast<int>(at - e.scan_pages.begin()), place.left / width, place.top / height,
                   (place.right - place.left) / width, (place.bottom - place.top) / height};
  }
  if (!places.empty()) entry->metadata["field_places"] = FieldPlacesText(places);
  for (int index : info.scan_pages) {
    if (index < 0 || index >= book.page_count()) continue;
    const Page& from = book.pages[index];
    Page page;
    page.index = entry->page_count();
    page.resolution_source = from.resolution_source;
    page.source_kind = from.source_kind;
    page.source_bits = from.source_bits;
    page.rotation_degrees = from.rotation_degrees;
    page.orientation_confidence = from.orientation_confidence;
    page.skew_degrees = from.skew_degrees;
    page.skew_confidence = from.skew_confidence;
    page.blank = from.blank;
    page.ocr = from.ocr;
    page.image = from.image;
    page.layout = from.layout;
    page.status = from.status;
    entry->pages.push_back(std::move(page));
  }
  return entry;
}

namespace {

int Thousandths(double fraction) {
  return static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000));
}

}  // namespace

std::string FieldPlacesText(const std::map<std::string, EntryFieldPlace>& places) {
  std::string text;
  for (const auto& [key, p] : places) {
    if (key.empty() || key.find_first_of("@:;,") != std::string::npos) continue;
    text += (text.empty() ? "" : ";") + key + "@" + std::to_string(p.page + 1) + ":" +
            std::to_string(Thousandths(p.x)) + "," + std::to_string(Thousandths(p.y)) + "," +
            std::to_string(Thousandths(p.w)) + "," + std::to_string(Thousandths(p.h));
  }
  return text;
}

std::map<std::string, EntryFieldPlace> ParseFieldPlaces(const std::string& text) {
  static const std::regex kPlace(
      "([a-z0-9_]{1,64})@([0-9]{1,4}):([0-9]{1,4}),([0-9]{1,4}),([0-9]{1,4}),([0-9]{1,4})");
  std::map<std::string, EntryFieldPlace> places;
  size_t start = 0;
  while (start <= text.size() && places.size() < kMaxFieldPlaces) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    std::smatch m;
    const std::string part = text.substr(start, end - start);
    if (std::regex_match(part, m, kPlace) && std::stoi(m[2]) >= 1) {
      auto fraction = [&](int i) { return std::min(1000, std::stoi(m[i])) / 1000.0; };
      places[m[1]] = {std::stoi(m[2]) - 1, fraction(3), fraction(4), fraction(5), fraction(6)};
    }
    start = end + 1;
  }
  return places;
}

std::map<std::string, std::string> BookMetadata(const BookManifest& manifest) {
  return {{"record_kind", "register_book"},
          {"register_kind", manifest.kind},
          {"book_no", manifest.book_no},
          {"year_from", manifest.year_from ? std::to_string(manifest.year_from) : ""},
          {"year_to", manifest.year_to ? std::to_string(manifest.year_to) : ""},
          {"commune", manifest.commune}};
}

namespace {

constexpr size_t kMaxManifestBytes = 64 * 1024;
constexpr size_t kMaxBookListBytes = 4 * 1024 * 1024;  // ~20,000 books

Status Bad(const std::string& path, const std::string& why) {
  return Status::InvalidInput("book manifest " + path + ": " + why);
}

}  // namespace

namespace {

// The manifest's checks, whether it came from a .book.json or a row of
// books.csv (`where` names which, for messages).
StatusOr<BookManifest> ManifestFrom(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) return Bad(where, "not a JSON object");
  BookManifest m;
  m.manifest = where;
  auto text = [&](const char* key, std::string* out) -> Status {
    if (!j.contains(key)) return Status::Ok();
    if (!j[key].is_string() || j[key].get<std::string>().size() > 200)
      return Bad(where, std::string("\"") + key + "\" must be a short text");
    *out = j[key].get<std::string>();
    return Status::Ok();
  };
  auto number = [&](const char* key, int* out, int lo, int hi) -> Status {
    if (!j.contains(key)) return Status::Ok();
    if (!j[key].is_number_integer() || j[key].get<int64_t>() < lo || j[key].get<int64_t>() > hi)
      return Bad(where, std::string("\"") + key + "\" must be a whole number from " + std::to_string(lo) +
                            " to " + std::to_string(hi));
    *out = j[key].get<int>();
    return Status::Ok();
  };
  SOHOA_RETURN_IF_ERROR(text("kind", &m.kind));
  SOHOA_RETURN_IF_ERROR(text("book_no", &m.book_no));
  SOHOA_RETURN_IF_ERROR(text("commune", &m.commune));
  SOHOA_RETURN_IF_ERROR(text("layout", &m.layout));
  SOHOA_RETURN_IF_ERROR(number("year_from", &m.year_from, 1900, 2200));
  SOHOA_RETURN_IF_ERROR(number("year_to", &m.year_to, 1900, 2200));
  SOHOA_RETURN_IF_ERROR(number("first_page_number", &m.first_page_number, 1, 100000));
  if (m.kind.empty()) return Bad(where, "\"kind\" (the register kind, e.g. \"khai_sinh\") is missing");
  static const std::regex kKind("[a-z_]{2,40}");
  if (!std::regex_match(m.kind, kKind))
    return Bad(where, "\"kind\" must be a document-type key like \"khai_sinh\"");
  static const std::regex kBookNo("[0-9]{1,4}/[0-9]{4}");
  if (!m.book_no.empty() && !std::regex_match(m.book_no, kBookNo))
    return Bad(where, "\"book_no\" must be written NN/YYYY (quyển số), not \"" + m.book_no + "\"");
  if (!m.layout.empty() && m.layout != "printed" && m.layout != "ruled")
    return Bad(where, "\"layout\" must be \"printed\", \"ruled\" or absent");
  if (m.year_from && m.year_to && m.year_to < m.year_from)
    return Bad(where, "\"year_to\" is before \"year_from\"");
  return m;
}

Status ReadSmallFile(const std::string& path, size_t limit, const std::string& what, std::string* bytes) {
  const Status read = ReadFileBounded(path, limit, bytes);
  if (read.code() == StatusCode::kTooLarge) return Bad(path, "larger than " + ByteLimitText(limit) + "; " + what);
  if (!read.ok()) return Bad(path, read.code() == StatusCode::kNotFound ? "cannot be opened" : "cannot be read");
  return read;
}

}  // namespace

StatusOr<BookManifest> ReadBookManifest(const std::string& path) {
  std::string bytes;
  SOHOA_RETURN_IF_ERROR(ReadSmallFile(path, kMaxManifestBytes, "a manifest is a few lines", &bytes));
  return ManifestFrom(nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false), path);
}

StatusOr<std::vector<BookListRow>> ReadBookList(const std::string& path) {
  std::string bytes;
  SOHOA_RETURN_IF_ERROR(ReadSmallFile(path, kMaxBookListBytes, "a list of books is a line a book", &bytes));
  const std::vector<CsvRow> rows = ReadCsv(bytes);
  if (rows.empty()) return Bad(path, "empty; its first row names the columns (file, kind, book_no, ...)");
  std::vector<std::string> header;
  for (const std::string& cell : rows.front().cells) header.push_back(cell);
  if (std::find(header.begin(), header.end(), "file") == header.end() ||
      std::find(header.begin(), header.end(), "kind") == header.end())
    return Bad(path, "its first row must name the columns, \"file\" and \"kind\" among them");
  static const std::set<std::string> kNumbers = {"year_from", "year_to", "first_page_number"};
  std::vector<BookListRow> out;
  for (size_t r = 1; r < rows.size(); ++r) {
    BookListRow row;
    row.line = rows[r].line;
    const std::string where = path + ":" + std::to_string(row.line);
    nlohmann::json j = nlohmann::json::object();
    for (size_t c = 0; c < header.size() && c < rows[r].cells.size(); ++c) {
      const std::string& cell = rows[r].cells[c];
      if (header[c] == "file") {
        row.file = cell;
      } else if (!cell.empty() && kNumbers.count(header[c])) {
        const bool digits = cell.size() <= 6 && cell.find_first_not_of("0123456789") == std::string::npos;
        j[header[c]] = digits ? nlohmann::json(std::stoi(cell)) : nlohmann::json(cell);
      } else if (!cell.empty()) {
        j[header[c]] = cell;
      }
    }
    if (!rows[r].error.empty()) {
      row.status = Bad(where, rows[r].error);
    } else if (row.file.empty()) {
      row.status = Bad(where, "names no file");
    } else {
      StatusOr<BookManifest> manifest = ManifestFrom(j, where);
      if (manifest.ok())
        row.manifest = std::move(manifest).value();
      else
        row.status = manifest.status();
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace sohoa

#include "pipeline/core/doctype_catalog.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "pipeline/core/data_dir.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/file_util.h"

namespace sohoa {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The enumerations of schemas/doctype.schema.json, kept in step with it (the
// catalog test checks every file with an independent JSON Schema validator
// too, so a drift between the two shows up there).
const std::set<std::string> kKinds = {"text",   "name", "date",  "personal_id",
                                      "number", "book", "place", "sex"};
const std::set<std::string> kNormalizers = {"text",   "place",  "name", "date",
                                            "digits", "number", "book", "sex"};
const std::set<std::string> kValidators = {"none",        "nonempty", "name", "date",
                                           "personal_id", "number",   "book", "sex"};
const std::set<std::string> kLocators = {"label", "dated_line"};
const std::set<std::string> kTypeKeys = {
    "$schema",     "key",          "name",     "type_code", "type_code_is_placeholder",
    "title_words", "holder_field", "validity", "fields"};
const std::set<std::string> kFieldKeys = {"key",
                                          "labels",
                                          "kind",
                                          "normalizer",
                                          "validator",
                                          "required",
                                          "multiline",
                                          "after_field",
                                          "locate",
                                          "sex",
                                          "sex_field",
                                          "birth_date_field",
                                          "not_before_field",
                                          "not_after_field",
                                          "lexicon",
                                          "registration_place_field",
                                          "printed_twice",
                                          "book_field",
                                          "age_at"};
const std::set<std::string> kLexicons = {"ethnic_groups", "nationalities", "surnames", "provinces",
                                         "marital_status", "death_causes", "purposes"};

bool IsSnakeKey(const std::string& s) {
  static const std::regex re("^[a-z][a-z0-9_]*$");
  return std::regex_match(s, re);
}

// Small checked accessors: each failure names the JSON path.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  Status Error(const std::string& path, const std::string& what) const {
    return Status::Configuration(
        ErrorText("doctypes.bad_file", {{"file", file_}, {"where", path}, {"problem", what}}));
  }
  Status String(const json& o, const std::string& key, const std::string& path, bool required,
                std::string* out) const {
    if (!o.contains(key)) return required ? Error(path, "'" + key + "' is required") : Status::Ok();
    if (!o[key].is_string()) return Error(path + "." + key, "must be a string");
    *out = o[key].get<std::string>();
    return Status::Ok();
  }
  Status Strings(const json& o, const std::string& key, const std::string& path, bool required,
                 std::vector<std::string>* out) const {
    if (!o.contains(key)) return required ? Error(path, "'" + key + "' is required") : Status::Ok();
    if (!o[key].is_array()) return Error(path + "." + key, "must be an array of strings");
    out->clear();
    for (const json& item : o[key]) {
      if (!item.is_string() || item.get<std::string>().empty()) {
        return Error(path + "." + key, "items must be non-empty strings");
      }
      out->push_back(item.get<std::string>());
    }
    return Status::Ok();
  }
  Status Bool(const json& o, const std::string& key, const std::string& path, bool required,
              bool* out) const {
    if (!o.contains(key)) return required ? Error(path, "'" + key + "' is required") : Status::Ok();
    if (!o[key].is_boolean()) return Error(path + "." + key, "must be true or false");
    *out = o[key].get<bool>();
    return Status::Ok();
  }
  Status Unknown(const json& o, const std::set<std::string>& allowed, const std::string& path) const {
    for (const auto& [key, value] : o.items()) {
      if (!allowed.count(key)) return Error(path, "unknown property '" + key + "'");
    }
    return Status::Ok();
  }
  Status OneOf(const std::string& value, const std::set<std::string>& allowed,
               const std::string& path) const {
    if (allowed.count(value)) return Status::Ok();
    std::string list;
    for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return Error(path, "'" + value + "' is not one of: " + list);
  }

 private:
  std::string file_;
};

Status ParseField(const Reader& r, const json& o, const std::string& path, FieldSpec* f) {
  if (!o.is_object()) return r.Error(path, "must be an object");
  SOHOA_RETURN_IF_ERROR(r.Unknown(o, kFieldKeys, path));
  SOHOA_RETURN_IF_ERROR(r.String(o, "key", path, true, &f->key));
  if (!IsSnakeKey(f->key)) return r.Error(path + ".key", "'" + f->key + "' is not snake_case ASCII");
  const std::string at = path + "(" + f->key + ")";
  SOHOA_RETURN_IF_ERROR(r.Strings(o, "labels", at, true, &f->labels));
  SOHOA_RETURN_IF_ERROR(r.String(o, "kind", at, true, &f->kind));
  SOHOA_RETURN_IF_ERROR(r.OneOf(f->kind, kKinds, at + ".kind"));
  SOHOA_RETURN_IF_ERROR(r.String(o, "normalizer", at, true, &f->normalizer));
  SOHOA_RETURN_IF_ERROR(r.OneOf(f->normalizer, kNormalizers, at + ".normalizer"));
  SOHOA_RETURN_IF_ERROR(r.String(o, "validator", at, true, &f->validator));
  SOHOA_RETURN_IF_ERROR(r.OneOf(f->validator, kValidators, at + ".validator"));
  SOHOA_RETURN_IF_ERROR(r.Bool(o, "required", at, true, &f->required));
  SOHOA_RETURN_IF_ERROR(r.Bool(o, "multiline", at, false, &f->multiline));
  SOHOA_RETURN_IF_ERROR(r.String(o, "after_field", at, false, &f->after_field));
  SOHOA_RETURN_IF_ERROR(r.Strings(o, "locate", at, false, &f->locate));
  if (f->locate.empty()) return r.Error(at + ".locate", "must name at least one locator");
  std::set<std::string> seen;
  for (const std::string& l : f->locate) {
    SOHOA_RETURN_IF_ERROR(r.OneOf(l, kLocators, at + ".locate"));
    if (!seen.insert(l).second) return r.Error(at + ".locate", "'" + l + "' given twice");
  }
  if (seen.count("label") && f->labels.empty()) {
    return r.Error(at + ".labels", "a field located by label needs at least one label");
  }
  SOHOA_RETURN_IF_ERROR(r.String(o, "sex", at, false, &f->sex));
  if (!f->sex.empty()) SOHOA_RETURN_IF_ERROR(r.OneOf(f->sex, {"Nam", "Nữ"}, at + ".sex"));
  SOHOA_RETURN_IF_ERROR(r.String(o, "sex_field", at, false, &f->sex_field));
  SOHOA_RETURN_IF_ERROR(r.String(o, "birth_date_field", at, false, &f->birth_date_field));
  SOHOA_RETURN_IF_ERROR(r.String(o, "not_before_field", at, false, &f->not_before_field));
  SOHOA_RETURN_IF_ERROR(r.String(o, "not_after_field", at, false, &f->not_after_field));
  SOHOA_RETURN_IF_ERROR(r.String(o, "lexicon", at, false, &f->lexicon));
  if (!f->lexicon.empty()) SOHOA_RETURN_IF_ERROR(r.OneOf(f->lexicon, kLexicons, at + ".lexicon"));
  SOHOA_RETURN_IF_ERROR(r.String(o, "registration_place_field", at, false, &f->registration_place_field));
  SOHOA_RETURN_IF_ERROR(r.Bool(o, "printed_twice", at, false, &f->printed_twice));
  SOHOA_RETURN_IF_ERROR(r.String(o, "book_field", at, false, &f->book_field));
  if (o.contains("age_at")) {
    const json& a = o["age_at"];
    const std::string where = at + ".age_at";
    if (!a.is_object()) return r.Error(where, "must be an object");
    SOHOA_RETURN_IF_ERROR(r.Unknown(a, {"field", "min_years", "max_years"}, where));
    SOHOA_RETURN_IF_ERROR(r.String(a, "field", where, true, &f->age_at.field));
    for (const auto& [key, out] :
         {std::pair{"min_years", &f->age_at.min_years}, {"max_years", &f->age_at.max_years}}) {
      if (!a.contains(key) || !a[key].is_number_integer() || a[key].get<int>() < 0 || a[key].get<int>() > 150)
        return r.Error(where + "." + key, "must be an integer 0..150");
      *out = a[key].get<int>();
    }
    if (f->age_at.min_years > f->age_at.max_years) return r.Error(where, "min_years is above max_years");
  }
  return Status::Ok();
}

}  // namespace

const FieldSpec* DocTypeSpec::FindField(const std::string& key) const {
  for (const FieldSpec& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

StatusOr<DocTypeSpec> DocTypeCatalog::Parse(const std::string& json_text, const std::string& file_name) {
  Reader r(file_name);
  json o = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (o.is_discarded()) return r.Error("$", "not valid JSON");
  if (!o.is_object()) return r.Error("$", "must be a JSON object");
  SOHOA_RETURN_IF_ERROR(r.Unknown(o, kTypeKeys, "$"));
  DocTypeSpec t;
  t.source_file = file_name;
  SOHOA_RETURN_IF_ERROR(r.String(o, "key", "$", true, &t.key));
  if (!IsSnakeKey(t.key)) return r.Error("$.key", "'" + t.key + "' is not snake_case ASCII");
  SOHOA_RETURN_IF_ERROR(r.String(o, "name", "$", true, &t.name));
  if (t.name.empty()) return r.Error("$.name", "must not be empty");
  SOHOA_RETURN_IF_ERROR(r.String(o, "type_code", "$", true, &t.type_code));
  static const std::regex code_re("^[A-Z0-9_-]{1,20}$");
  if (!std::regex_match(t.type_code, code_re)) {
    return r.Error("$.type_code", "'" + t.type_code + "' must be 1-20 of A-Z 0-9 _ -");
  }
  if (o.contains("type_code_is_placeholder") && !o["type_code_is_placeholder"].is_boolean()) {
    return r.Error("$.type_code_is_placeholder", "must be true or false");
  }
  SOHOA_RETURN_IF_ERROR(r.Strings(o, "title_words", "$", true, &t.title_words));
  if (t.title_words.empty()) return r.Error("$.title_words", "needs at least one title");
  for (const std::string& w : t.title_words) {
    if (w.size() < 3) return r.Error("$.title_words", "'" + w + "' is too short to recognise");
  }
  SOHOA_RETURN_IF_ERROR(r.String(o, "holder_field", "$", true, &t.holder_field));
  if (!o.contains("fields") || !o["fields"].is_array() || o["fields"].empty()) {
    return r.Error("$.fields", "must be a non-empty array");
  }
  for (size_t i = 0; i < o["fields"].size(); ++i) {
    FieldSpec f;
    SOHOA_RETURN_IF_ERROR(ParseField(r, o["fields"][i], "$.fields[" + std::to_string(i) + "]", &f));
    if (t.FindField(f.key) != nullptr) return r.Error("$.fields", "field '" + f.key + "' twice");
    t.fields.push_back(std::move(f));
  }
  if (o.contains("validity")) {
    const json& v = o["validity"];
    if (!v.is_object()) return r.Error("$.validity", "must be an object");
    SOHOA_RETURN_IF_ERROR(r.Unknown(v, {"months", "from_field", "until_field"}, "$.validity"));
    if (!v.contains("months") || !v["months"].is_number_integer() || v["months"].get<int>() < 1 ||
        v["months"].get<int>() > 1200) {
      return r.Error("$.validity.months", "must be an integer 1..1200");
    }
    t.validity.months = v["months"].get<int>();
    SOHOA_RETURN_IF_ERROR(r.String(v, "from_field", "$.validity", true, &t.validity.from_field));
    SOHOA_RETURN_IF_ERROR(r.String(v, "until_field", "$.validity", false, &t.validity.until_field));
  }
  // Cross-references the schema cannot state.
  auto must_name_field = [&](const std::string& ref, const std::string& path,
                             const std::string& kind) -> Status {
    if (ref.empty()) return Status::Ok();
    const FieldSpec* f = t.FindField(ref);
    if (f == nullptr) return r.Error(path, "'" + ref + "' is not a field of " + t.key);
    if (!kind.empty() && f->kind != kind) {
      return r.Error(path, "'" + ref + "' is a " + f->kind + " field, expected " + kind);
    }
    return Status::Ok();
  };
  SOHOA_RETURN_IF_ERROR(must_name_field(t.holder_field, "$.holder_field", ""));
  SOHOA_RETURN_IF_ERROR(must_name_field(t.validity.from_field, "$.validity.from_field", "date"));
  SOHOA_RETURN_IF_ERROR(must_name_field(t.validity.until_field, "$.validity.until_field", "date"));
  for (const FieldSpec& f : t.fields) {
    const std::string at = "$.fields(" + f.key + ")";
    SOHOA_RETURN_IF_ERROR(must_name_field(f.after_field, at + ".after_field", ""));
    SOHOA_RETURN_IF_ERROR(must_name_field(f.sex_field, at + ".sex_field", "sex"));
    SOHOA_RETURN_IF_ERROR(must_name_field(f.birth_date_field, at + ".birth_date_field", "date"));
    SOHOA_RETURN_IF_ERROR(must_name_field(f.not_before_field, at + ".not_before_field", "date"));
    SOHOA_RETURN_IF_ERROR(must_name_field(f.not_after_field, at + ".not_after_field", "date"));
    SOHOA_RETURN_IF_ERROR(
        must_name_field(f.registration_place_field, at + ".registration_place_field", "place"));
    SOHOA_RETURN_IF_ERROR(must_name_field(f.book_field, at + ".book_field", "book"));
    SOHOA_RETURN_IF_ERROR(must_name_field(f.age_at.field, at + ".age_at.field", "date"));
    if (f.after_field == f.key) return r.Error(at + ".after_field", "a field cannot follow itself");
  }
  return t;
}

StatusOr<DocTypeCatalog> DocTypeCatalog::Load(const std::string& doctypes_dir) {
  std::error_code ec;
  if (!fs::is_directory(doctypes_dir, ec)) {
    // The default folder missing means sohoa's data were not found: say
    // where they were looked for and what overrides it.
    const DataDirLookup data = FindDataDir();
    if (doctypes_dir == data.path + "/doctypes" && !fs::is_directory(data.path, ec)) {
      return Status::Configuration(DataDirProblem(data));
    }
    return Status::Configuration(ErrorText("doctypes.no_folder", {{"folder", doctypes_dir}}));
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(doctypes_dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec)
    return Status::Configuration(
        ErrorText("doctypes.cannot_list", {{"folder", doctypes_dir}, {"cause", ec.message()}}));
  std::sort(files.begin(), files.end());
  if (files.empty()) return Status::Configuration(ErrorText("doctypes.none", {{"folder", doctypes_dir}}));
  DocTypeCatalog catalog;
  std::set<std::string> codes;
  for (const fs::path& file : files) {
    constexpr size_t kMaxDocTypeBytes = 1024 * 1024;  // the largest today is ~10 kB
    std::string text;
    const Status read = ReadFileBounded(file.string(), kMaxDocTypeBytes, &text);
    if (!read.ok()) return Status::Configuration("document type " + read.message());
    StatusOr<DocTypeSpec> spec = Parse(text, file.string());
    if (!spec.ok()) return spec.status();
    if (spec->key != file.stem().string()) {
      return Status::Configuration("document type " + file.string() + ": key '" + spec->key +
                                   "' must equal the file name");
    }
    if (!codes.insert(spec->type_code).second) {
      return Status::Configuration("document type " + file.string() + ": type_code '" + spec->type_code +
                                   "' is used by another type");
    }
    catalog.types_.push_back(std::move(*spec));
  }
  return catalog;
}

const DocTypeSpec* DocTypeCatalog::Find(const std::string& key_or_code) const {
  for (const DocTypeSpec& t : types_)
    if (t.key == key_or_code || t.type_code == key_or_code) return &t;
  return nullptr;
}

std::string DefaultDocTypesDir() { return FindDataDir().path + "/doctypes"; }

}  // namespace sohoa

// The document-type catalog: what the field extractor, the inventory import
// and the result code know about each kind of commune result, loaded from
// data (schemas/doctypes/*.json, described by schemas/doctype.schema.json).
//
// Adding a type is adding a JSON file: nothing here names a type. The loader
// enforces the rules the JSON Schema states (required keys, enumerations,
// key patterns) plus the cross-references a schema cannot express (the holder
// field and every *_field reference name a field of the same type; keys are
// unique; the file name equals the key), and refuses the whole catalog with a
// kConfiguration error naming the file and the rule when one is broken: a
// run must not start on a half-understood catalog.
//
// Thread-safety: a loaded catalog is immutable; share it freely.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

struct FieldSpec {
  std::string key;                  // stable snake_case ("so_dinh_danh")
  std::vector<std::string> labels;  // printed labels and OCR-damaged variants, NFC
  std::string kind;                 // text|name|date|personal_id|number|book|place|sex
  std::string normalizer;           // text|place|name|date|digits|number|book|sex
  std::string validator;            // none|nonempty|name|date|personal_id|number|book|sex
  bool required = false;
  bool multiline = false;
  std::string after_field;
  std::vector<std::string> locate = {"label"};  // "label", "dated_line"
  std::string sex;                              // personal_id: implied sex ("Nam"/"Nữ")
  std::string sex_field;                        // personal_id: field with the printed sex
  std::string birth_date_field;                 // personal_id: field with the birth date
  std::string not_before_field;                 // date ordering checks
  std::string not_after_field;
  // Evidence beyond OCR confidence (issue 14):
  std::string lexicon;                   // ethnic_groups|nationalities|surnames|provinces
                                         // (schemas/lexicons): the value must be an entry;
                                         // marital_status|death_causes|purposes: standard
                                         // phrases of free text, a match is vouched for
  std::string registration_place_field;  // personal_id: place field whose province
                                         // must be the ID's first three digits
  bool printed_twice = false;            // every label occurrence must give the same value
  std::string book_field;                // date: its year is that book's ("01/2018": one book a year)
  // A birth date: the holder's age in whole years on another field's date
  // must lie within [min_years, max_years] (a spouse under the legal age of
  // marriage, a death at 800 are misread years). Off when field is empty.
  struct AgeBounds {
    std::string field;
    int min_years = 0;
    int max_years = 0;
  } age_at;
};

struct ValidityRule {
  int months = 0;  // 0: valid until revoked
  std::string from_field;
  std::string until_field;
};

struct DocTypeSpec {
  std::string key;        // "khai_sinh"; inventory doc_type
  std::string name;       // "Giấy khai sinh"
  std::string type_code;  // result-code part; a configurable placeholder
  std::vector<std::string> title_words;
  std::string holder_field;
  ValidityRule validity;
  std::vector<FieldSpec> fields;
  std::string source_file;  // where it was loaded from

  const FieldSpec* FindField(const std::string& key) const;
};

class DocTypeCatalog {
 public:
  // Loads and checks every *.json in `doctypes_dir` (sorted by name).
  // kConfiguration when the folder is missing or empty, or a file is not
  // valid JSON or breaks a rule (message: "<file>: <rule>").
  static StatusOr<DocTypeCatalog> Load(const std::string& doctypes_dir);
  // Parses and checks one document (exposed for tests and tools).
  static StatusOr<DocTypeSpec> Parse(const std::string& json_text, const std::string& file_name);

  const std::vector<DocTypeSpec>& types() const { return types_; }
  // By key ("khai_sinh") or by type code ("GKS"); nullptr if unknown.
  const DocTypeSpec* Find(const std::string& key_or_code) const;

 private:
  std::vector<DocTypeSpec> types_;
};

// The default folder: sohoa's data folder (pipeline/core/data_dir.h:
// $SOHOA_SCHEMAS, else share/sohoa/schemas beside the program) plus "/doctypes".
std::string DefaultDocTypesDir();

}  // namespace sohoa

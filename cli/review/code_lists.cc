#include "cli/review/code_lists.h"

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "pipeline/core/doctype_catalog.h"
#include "pipeline/core/error_text.h"
#include "pipeline/core/json_output.h"
#include "stages/fields/field_lexicon.h"

namespace sohoa::cli {

StatusOr<std::string> CodeListsJson(const std::string& lexicons_dir) {
  using nlohmann::json;
  const std::string dir =
      lexicons_dir.empty() ? std::filesystem::path(DefaultDocTypesDir()).parent_path().string() + "/lexicons"
                           : lexicons_dir;
  json out = {{"institutions", PlaceInstitutions()},
              {"sexes", json::array({json::array({"Nam", "1"}), json::array({"Nữ", "2"})})}};
  for (const char* name : {"ethnic_groups", "nationalities", "surnames"}) {
    StatusOr<std::vector<std::vector<std::string>>> entries = ReadLexiconFile(dir + "/" + name + ".txt", '|');
    if (!entries.ok()) return entries.status();
    out[name] = *entries;
  }
  // communes.tsv: province code, province, district, commune; grouped in
  // file order, so each unit is listed once and a commune names its district.
  StatusOr<std::vector<std::vector<std::string>>> rows = ReadLexiconFile(dir + "/communes.tsv", '\t');
  if (!rows.ok()) return rows.status();
  json provinces = json::array(), districts = json::array(), communes = json::array();
  std::map<std::string, int> province_of, district_of;
  for (const std::vector<std::string>& row : *rows) {
    if (row.size() != 4) {
      return Status::Configuration(ErrorText("review.lexicon_line", {{"dir", dir}}));
    }
    auto [p, new_province] = province_of.emplace(row[1], static_cast<int>(provinces.size()));
    if (new_province) provinces.push_back(row[1]);
    auto [d, new_district] = district_of.emplace(row[0] + "|" + row[2], static_cast<int>(districts.size()));
    if (new_district) districts.push_back(json::array({row[2], p->second}));
    communes.push_back(json::array({row[3], d->second}));
  }
  out["provinces"] = provinces;
  out["districts"] = districts;
  out["communes"] = communes;
  return DumpJson(out);
}

}  // namespace sohoa::cli

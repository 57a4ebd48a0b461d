// The document-type catalog: the shipped files load, satisfy their JSON
// Schema according to an independent validator (python3-jsonschema), broken
// files are refused by both, and a fifth type needs only a JSON file.
#include "pipeline/core/doctype_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "build_paths.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::Quote;
using testing::RunCommand;
namespace fs = std::filesystem;

const std::string kSchemas = std::string(SOHOA_SOURCE_DIR) + "/schemas";

// Validates `file` against schemas/doctype.schema.json with jsonschema.
testing::CommandResult PythonValidate(const std::string& file) {
  return RunCommand("/usr/bin/python3 -c " +
                    Quote("import json,sys,jsonschema\n"
                          "s=json.load(open(sys.argv[1]))\n"
                          "jsonschema.Draft202012Validator.check_schema(s)\n"
                          "jsonschema.Draft202012Validator(s).validate(json.load(open(sys.argv[2])))\n") +
                    " " + Quote(kSchemas + "/doctype.schema.json") + " " + Quote(file));
}

TEST(DocTypeCatalogTest, ShippedTypesLoad) {
  StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(kSchemas + "/doctypes");
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  ASSERT_EQ(catalog->types().size(), 4u);
  const DocTypeSpec* ks = catalog->Find("khai_sinh");
  ASSERT_NE(ks, nullptr);
  EXPECT_EQ(catalog->Find("GKS"), ks);
  EXPECT_EQ(ks->holder_field, "so_dinh_danh");
  ASSERT_NE(ks->FindField("ngay_dang_ky"), nullptr);
  EXPECT_EQ(ks->FindField("ngay_dang_ky")->kind, "date");
  const DocTypeSpec* xn = catalog->Find("tinh_trang_hon_nhan");
  ASSERT_NE(xn, nullptr);
  EXPECT_EQ(xn->validity.months, 6);
  EXPECT_EQ(xn->validity.until_field, "co_gia_tri_den");
  // Shared meanings share keys across types.
  for (const DocTypeSpec& t : catalog->types()) {
    EXPECT_NE(t.FindField("so"), nullptr) << t.key;
    EXPECT_NE(t.FindField("ngay_dang_ky"), nullptr) << t.key;
  }
}

TEST(DocTypeCatalogTest, EveryShippedFileSatisfiesTheSchemaPerJsonschema) {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(kSchemas + "/doctypes")) {
    if (entry.path().extension() != ".json") continue;
    testing::CommandResult r = PythonValidate(entry.path().string());
    EXPECT_EQ(r.exit_code, 0) << entry.path() << ": " << r.output
                              << " (needs python3-jsonschema: scripts/install-deps.sh)";
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

// Copies the shipped types to a scratch folder, with one file edited.
std::string EditedCatalog(const testing::ScratchDir& dir, const std::string& key,
                          const std::function<void(nlohmann::json&)>& edit) {
  const fs::path out = dir / "doctypes";
  fs::create_directories(out);
  for (const auto& entry : fs::directory_iterator(kSchemas + "/doctypes")) {
    fs::copy_file(entry.path(), out / entry.path().filename());
  }
  nlohmann::json j = nlohmann::json::parse(testing::ReadFile(out / (key + ".json")));
  edit(j);
  testing::WriteFile(out / (key + ".json"), j.dump(2));
  return out.string();
}

TEST(DocTypeCatalogTest, BrokenFilesAreRefusedByBothValidators) {
  struct Case {
    const char* name;
    std::function<void(nlohmann::json&)> edit;
    const char* message;  // in the C++ error
  };
  const std::vector<Case> cases = {
      {"unknown kind", [](nlohmann::json& j) { j["fields"][0]["kind"] = "colour"; }, "kind"},
      {"missing required", [](nlohmann::json& j) { j["fields"][0].erase("required"); }, "'required'"},
      {"bad type code", [](nlohmann::json& j) { j["type_code"] = "g ks"; }, "type_code"},
      {"unknown property", [](nlohmann::json& j) { j["colour"] = "red"; }, "unknown property"},
      {"bad key", [](nlohmann::json& j) { j["fields"][0]["key"] = "Số"; }, "snake_case"},
      {"no fields", [](nlohmann::json& j) { j["fields"] = nlohmann::json::array(); }, "fields"},
      {"age without bounds",
       [](nlohmann::json& j) {
         j["fields"][0]["age_at"] = {{"field", "ngay_dang_ky"}, {"min_years", 0}};
       },
       "max_years"},
      {"age bound out of range",
       [](nlohmann::json& j) {
         j["fields"][0]["age_at"] = {{"field", "ngay_dang_ky"}, {"min_years", 0}, {"max_years", 900}};
       },
       "0..150"},
  };
  for (const Case& c : cases) {
    testing::ScratchDir dir("doctypes");
    const std::string folder = EditedCatalog(dir, "khai_sinh", c.edit);
    StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(folder);
    ASSERT_FALSE(catalog.ok()) << c.name;
    EXPECT_EQ(catalog.status().code(), StatusCode::kConfiguration);
    EXPECT_NE(catalog.status().message().find(c.message), std::string::npos)
        << c.name << ": " << catalog.status().message();
    EXPECT_NE(catalog.status().message().find("khai_sinh.json"), std::string::npos);
    EXPECT_NE(PythonValidate(folder + "/khai_sinh.json").exit_code, 0) << c.name;
  }
}

TEST(DocTypeCatalogTest, CrossReferencesTheSchemaCannotStateAreChecked) {
  testing::ScratchDir dir("doctypes");
  const std::string folder =
      EditedCatalog(dir, "khai_sinh", [](nlohmann::json& j) { j["holder_field"] = "cmnd"; });
  StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(folder);
  ASSERT_FALSE(catalog.ok());
  EXPECT_NE(catalog.status().message().find("'cmnd' is not a field of khai_sinh"), std::string::npos)
      << catalog.status().message();
  testing::ScratchDir age_dir("doctypes");
  const std::string ages = EditedCatalog(age_dir, "khai_sinh", [](nlohmann::json& j) {
    for (auto& f : j["fields"])
      if (f["key"] == "ngay_sinh")
        f["age_at"] = {{"field", "gioi_tinh"}, {"min_years", 0}, {"max_years", 120}};
  });
  catalog = DocTypeCatalog::Load(ages);
  ASSERT_FALSE(catalog.ok());
  EXPECT_NE(catalog.status().message().find("age_at.field"), std::string::npos) << catalog.status().message();
}

TEST(DocTypeCatalogTest, AFifthTypeIsOnlyAJsonFile) {
  testing::ScratchDir dir("doctypes");
  const std::string folder = EditedCatalog(dir, "khai_sinh", [](nlohmann::json&) {});
  const nlohmann::json chung_thuc = {{"key", "chung_thuc"},
                                     {"name", "Chứng thực bản sao"},
                                     {"type_code", "CTBS"},
                                     {"title_words", {"CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH"}},
                                     {"holder_field", "so_dinh_danh"},
                                     {"fields",
                                      {{{"key", "so"},
                                        {"labels", {"Số chứng thực"}},
                                        {"kind", "number"},
                                        {"normalizer", "number"},
                                        {"validator", "number"},
                                        {"required", true}},
                                       {{"key", "so_dinh_danh"},
                                        {"labels", {"Số định danh cá nhân"}},
                                        {"kind", "personal_id"},
                                        {"normalizer", "digits"},
                                        {"validator", "personal_id"},
                                        {"required", false}}}}};
  testing::WriteFile(fs::path(folder) / "chung_thuc.json", chung_thuc.dump(2));
  EXPECT_EQ(PythonValidate(folder + "/chung_thuc.json").exit_code, 0);
  StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(folder);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_EQ(catalog->types().size(), 5u);
  EXPECT_NE(catalog->Find("CTBS"), nullptr);
}

}  // namespace
}  // namespace sohoa

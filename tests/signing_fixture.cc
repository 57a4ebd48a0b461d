#include "tests/signing_fixture.h"
#include "build_paths.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

namespace sohoa::testing {

namespace fs = std::filesystem;

SigningEnvironment& SigningEnvironment::Get() {
  static SigningEnvironment* env = new SigningEnvironment();
  return *env;
}

SigningEnvironment::SigningEnvironment() : dir_("signing-env") {
  const fs::path script = fs::path(SOHOA_SOURCE_DIR) / "scripts/test-pki/make-test-pki.sh";
  auto r = RunCommand(Quote(script.string()) + " " + Quote(pki().string()));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  // 40 mm at 300 dpi is 472 px.
  r = RunCommand("/usr/bin/python3 -c " +
                 Quote("from PIL import Image, ImageDraw\n"
                       "im = Image.new('RGBA', (472, 472), (0, 0, 0, 0))\n"
                       "d = ImageDraw.Draw(im)\n"
                       "d.ellipse((4, 4, 467, 467), outline=(220, 20, 20, 255), width=18)\n"
                       "d.ellipse((150, 150, 321, 321), fill=(220, 20, 20, 255))\n"
                       "im.save('" +
                       seal().string() + "', dpi=(300, 300))\n"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

SoftHsmToken& SoftHsmToken::Get() {
  static SoftHsmToken* token = new SoftHsmToken();
  return *token;
}

SoftHsmToken::SoftHsmToken() : dir_("signing-softhsm") {
  const fs::path pki = SigningEnvironment::Get().pki();
  const fs::path dir = dir_.path();
  fs::create_directories(dir / "tokens");
  WriteFile(conf(), "directories.tokendir = " + (dir / "tokens").string() +
                        "\nobjectstore.backend = file\nlog.level = ERROR\n");
  ::setenv("SOFTHSM2_CONF", conf().string().c_str(), 1);
  const std::string tool = std::string("pkcs11-tool --module ") + kSoftHsmModule +
                           " --token-label sohoa-test --login --pin " + kSoftHsmPin;
  const std::vector<std::string> steps = {
      std::string("softhsm2-util --init-token --free --label sohoa-test --pin ") + kSoftHsmPin +
          " --so-pin 87654321",
      "openssl pkey -in " + Quote((pki / "org.key").string()) + " -outform DER -out " +
          Quote((dir / "org.key.der").string()),
      "openssl x509 -in " + Quote((pki / "org.pem").string()) + " -outform DER -out " +
          Quote((dir / "org.crt.der").string()),
      tool + " --write-object " + Quote((dir / "org.key.der").string()) +
          " --type privkey --id 01 --label org",
      tool + " --write-object " + Quote((dir / "org.crt.der").string()) + " --type cert --id 01 --label org",
  };
  ready_ = true;
  for (const std::string& step : steps) {
    auto r = RunCommand(step);
    if (r.exit_code != 0) {
      ADD_FAILURE() << step << "\n" << r.output;
      ready_ = false;
      return;
    }
  }
}

}  // namespace sohoa::testing

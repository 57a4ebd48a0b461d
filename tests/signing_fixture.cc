#include "tests/signing_fixture.h"
#include "build_paths.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>
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

namespace {

constexpr char kTrustServer[] = R"PY(import http.server, os, subprocess, sys
pki = sys.argv[1]
replayed = {}
def openssl(args, data):
    r = subprocess.run(['openssl'] + args, input=data, capture_output=True, cwd=pki)
    return r.stdout if r.returncode == 0 else None
class H(http.server.BaseHTTPRequestHandler):
    def answer(self, body, kind):
        self.send_response(200 if body is not None else 500)
        self.send_header('Content-Type', kind)
        self.end_headers()
        self.wfile.write(body or b'')
    def do_POST(self):
        q = self.rfile.read(int(self.headers['Content-Length']))
        parts = self.path.strip('/').split('/')
        if parts[0] in ('tsa', 'replay') and len(parts) == 2 and parts[1].isidentifier() or            parts[0] in ('tsa', 'replay') and parts[1] in ('tsa', 'tsa-soon'):
            reply = openssl(['ts', '-reply', '-config', parts[1] + '.cnf', '-queryfile', '/dev/stdin',
                             '-out', '/dev/stdout'], q)
            if parts[0] == 'replay':
                reply = replayed.setdefault(parts[1], reply)
            self.answer(reply, 'application/timestamp-reply')
        elif parts[0] == 'ocsp':
            reply = openssl(['ocsp', '-index', 'ica/index.txt', '-CA', 'ica.pem', '-rsigner', 'ocsp.pem',
                             '-rkey', 'ocsp.key', '-reqin', '/dev/stdin', '-respout', '/dev/stdout',
                             '-ndays', '1'], q)
            self.answer(reply, 'application/ocsp-response')
        else:
            self.answer(None, 'text/plain')
    def do_GET(self):
        name = os.path.basename(self.path)
        path = os.path.join(pki, name)
        if name.endswith('.crl') and os.path.isfile(path):
            self.answer(open(path, 'rb').read(), 'application/pkix-crl')
        else:
            self.send_response(404)
            self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
open(sys.argv[2] + '.tmp', 'w').write(str(s.server_address[1]))
os.rename(sys.argv[2] + '.tmp', sys.argv[2])
s.serve_forever()
)PY";

}  // namespace

LoopbackTrustServices::LoopbackTrustServices(const fs::path& pki) {
  fs::create_directories(pki);
  const fs::path script = pki.parent_path() / "trust_services.py";
  const fs::path port_file = pki.parent_path() / "trust_services.port";
  WriteFile(script, kTrustServer);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlives a test binary that is killed
    ::execl("/usr/bin/python3", "python3", script.c_str(), pki.c_str(), port_file.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Generous: a loaded CI machine may take seconds to start python.
  for (int i = 0; i < 600 && base_url_.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (fs::exists(port_file)) base_url_ = "http://127.0.0.1:" + ReadFile(port_file);
  }
}

LoopbackTrustServices::~LoopbackTrustServices() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
}

LtvEnvironment& LtvEnvironment::Get() {
  // An object, not a leaked pointer: its destructor stops the server at exit.
  static LtvEnvironment env;
  return env;
}

LtvEnvironment::LtvEnvironment() : dir_("ltv-env") {
  services_ = std::make_unique<LoopbackTrustServices>(pki());
  if (services_->base_url().empty()) {
    ADD_FAILURE() << "the loopback trust services did not start";
    return;
  }
  const fs::path script = fs::path(SOHOA_SOURCE_DIR) / "scripts/test-pki/make-ltv-pki.sh";
  auto r =
      RunCommand(Quote(script.string()) + " " + Quote(pki().string()) + " " + Quote(services_->base_url()));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  ready_ = r.exit_code == 0;
}

}  // namespace sohoa::testing

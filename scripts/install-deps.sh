#!/usr/bin/env bash
# Installs every system dependency of sohoa from Debian 12 packages.
# Idempotent; run as root (or through sudo) on a fresh machine.
#   scripts/install-deps.sh            build + run + test dependencies
#   scripts/install-deps.sh --bench    also the peer tools for benchmarks/ (ocrmypdf)
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config git ca-certificates
  # pipeline libraries
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
  libtesseract-dev tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet tesseract-ocr-osd tesseract-ocr-eng
  libleptonica-dev libtiff-dev libjpeg-dev libpng-dev zlib1g-dev
  libpoppler-cpp-dev libpoppler-private-dev  # PDF input (stages/decode/pdf_decoder.cc)
  libpodofo-dev libfreetype-dev libfontconfig-dev fonts-dejavu-core fonts-liberation fonts-liberation2
  libtbb-dev libboost-program-options-dev
  # messages in one language (issue 20): the catalogues compiled by msgfmt, read by Boost.Locale
  gettext libboost-locale-dev
  libssl-dev libsqlite3-dev libpq-dev nlohmann-json3-dev libicu-dev liblcms2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # signing (issue 4): PKCS#11 via libp11, QR codes, TSA over HTTP; SoftHSM2/OpenSC/zbar for tests
  libp11-dev p11-kit libqrencode-dev libcurl4-openssl-dev softhsm2 opensc zbar-tools
  # register books (issue 17): the handover workbook and zip; the workbook read back by openpyxl
  libxlsxwriter-dev libzip-dev python3-openpyxl
  # sample generator (Debian's own python, not a pyenv one)
  python3 python3-pil python3-numpy
  # independent judges used by the tests
  poppler-utils qpdf unzip default-jre-headless libpdfbox2-java libcommons-logging-java
  libactivation-java libjaxb-api-java sqlite3 python3-jsonschema
  # shared ledger tests (issue 8): a throwaway PostgreSQL cluster per test
  postgresql
  # the shared ledger behind PgBouncer (session pooling), as find is served at scale
  pgbouncer
  # report test: the HTML report rendered by headless Chromium
  chromium
  # hostile-names test (issue 25): the report CSV opened by LibreOffice, cells must stay literal text
  libreoffice-calc-nogui
  # review station (issue 9): HTTP server, Argon2id passwords; browser e2e driven by Selenium
  libcpp-httplib-dev libsodium-dev chromium-driver python3-selenium
  # the review station's script checked as JavaScript (issue 16)
  nodejs eslint
  # the Debian package (issue 20): man pages from --help, units checked by systemd-analyze (which
  # reads the man pages they name), the account the package creates
  help2man man-db systemd dpkg-dev adduser
  # fuzz targets (issue 20): clang with libFuzzer (libclang-rt-14-dev has libclang_rt.fuzzer)
  clang libclang-rt-14-dev
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(ocrmypdf time)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"

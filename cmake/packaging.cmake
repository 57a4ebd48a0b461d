# Installing sohoa (GNUInstallDirs) and its Debian package (CPack DEB):
#   cmake -S . -B build -DCMAKE_INSTALL_PREFIX=/usr && cmake --build build
#   cd build && cpack -G DEB        # sohoa_<version>_<arch>.deb
# README, "Installing sohoa as a Debian service".
include(GNUInstallDirs)

# The program finds its data at <its folder>/../share/sohoa/schemas
# (pipeline/core/data_dir.h), so the two install folders keep that shape.
if(NOT CMAKE_INSTALL_BINDIR STREQUAL "bin" OR NOT CMAKE_INSTALL_DATADIR STREQUAL "share")
  message(FATAL_ERROR "sohoa reads its data from bin/../share/sohoa: keep CMAKE_INSTALL_BINDIR=bin "
                      "and CMAKE_INSTALL_DATADIR=share (or set SOHOA_SCHEMAS at run time)")
endif()
# The build tree has the same shape: build/bin/sohoa and every test in
# build/bin read build/share/sohoa/schemas, a link to this checkout's schemas/.
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/share/sohoa)
file(CREATE_LINK ${CMAKE_SOURCE_DIR}/schemas ${CMAKE_BINARY_DIR}/share/sohoa/schemas SYMBOLIC)

install(TARGETS sohoa sohoa-engine RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY schemas/ DESTINATION ${CMAKE_INSTALL_DATADIR}/sohoa/schemas)
install(FILES packaging/sohoa.conf DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/sohoa)

# systemd units: the checked-in files name /usr/bin/sohoa and /etc/sohoa (the
# package's paths); another prefix gets its own paths written in.
set(SOHOA_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING "systemd unit folder, under the prefix")
foreach(unit sohoa-nightly.service sohoa-nightly.timer sohoa-worker@.service)
  set(source ${CMAKE_SOURCE_DIR}/scripts/deploy/systemd/${unit})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
  file(READ ${source} text)
  string(REPLACE "/usr/bin/sohoa" "${CMAKE_INSTALL_FULL_BINDIR}/sohoa" text "${text}")
  string(REPLACE "/etc/sohoa/" "${CMAKE_INSTALL_FULL_SYSCONFDIR}/sohoa/" text "${text}")
  file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/systemd/${unit} CONTENT "${text}" @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/systemd/${unit} DESTINATION ${SOHOA_SYSTEMD_UNIT_DIR})
endforeach()

# Man pages (one per command) and bash completion, written from the built
# program's own --help (packaging/command_docs.sh), so they cannot drift.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(docs ${CMAKE_BINARY_DIR}/command-docs)
  add_custom_command(
    OUTPUT ${docs}/stamp
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${docs}/man1
    COMMAND ${CMAKE_SOURCE_DIR}/packaging/command_docs.sh $<TARGET_FILE:sohoa> ${PROJECT_VERSION} ${docs}
    COMMAND ${CMAKE_COMMAND} -E touch ${docs}/stamp
    DEPENDS sohoa ${CMAKE_SOURCE_DIR}/packaging/command_docs.sh ${CMAKE_SOURCE_DIR}/packaging/man_common.h2m
    COMMENT "Writing man pages and bash completion from sohoa --help")
  add_custom_target(sohoa_command_docs ALL DEPENDS ${docs}/stamp)
  install(DIRECTORY ${docs}/man1 DESTINATION ${CMAKE_INSTALL_MANDIR})
  install(FILES ${docs}/bash-completion/sohoa DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
else()
  message(WARNING "help2man not found (scripts/install-deps.sh installs it): no man pages, no bash completion")
endif()

# `cpack` installs what is built and builds nothing itself (by default it
# would build every target, the whole test suite included): build `sohoa`
# and `sohoa_command_docs` first (scripts/package_check.sh does; CI has
# built everything already).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# The Debian package. Library dependencies come from dpkg-shlibdeps; the
# data sohoa reads at run time are named here.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sohoa)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_PACKAGE_CONTACT "sohoa maintainers <sohoa@localhost>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "sohoa maintainers <sohoa@localhost>" CACHE STRING "Debian Maintainer field")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "digitize paper administrative-procedure results into PDF/A archives")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "digitize paper administrative-procedure results into PDF/A archives\n"
    "sohoa turns a commune's backlog of paper civil-status results (birth,\n"
    "marriage and death registrations...) into searchable, signed PDF/A\n"
    "records in BagIt bags, with a ledger that proves what was done: OCR\n"
    "(Tesseract, Vietnamese), field extraction, review station, reports.\n"
    "Includes systemd units for a nightly run and for queue workers.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # sohoa_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# OCR data (Vietnamese, the second readers of figures and letters: English and
# the Vietnamese script model, orientation; pdf.ttf comes with libtesseract5), the
# signature font, the account the units run as.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tesseract-ocr-vie, tesseract-ocr-script-viet, tesseract-ocr-eng, tesseract-ocr-osd, fonts-dejavu-core, adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "p11-kit-modules")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus-node-exporter, postgresql-client")
configure_file(packaging/debian/conffiles.in ${CMAKE_BINARY_DIR}/debian/conffiles @ONLY)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_BINARY_DIR}/debian/conffiles
    ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

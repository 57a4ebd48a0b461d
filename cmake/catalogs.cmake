# The message catalogues (pipeline/core/catalog.h): po/<lang>.po compiled by
# GNU gettext's msgfmt into build/share/locale/<lang>/LC_MESSAGES/sohoa.mo,
# where build/bin/sohoa and the tests find them (bin/../share/locale), and
# installed to <prefix>/share/locale like any Debian package's. English is
# the msgids themselves: no en catalogue.
include(GNUInstallDirs)
if(NOT CMAKE_INSTALL_LOCALEDIR STREQUAL "share/locale")
  message(FATAL_ERROR "sohoa reads its catalogues from bin/../share/locale: keep CMAKE_INSTALL_LOCALEDIR=share/locale")
endif()
find_program(SOHOA_MSGFMT msgfmt REQUIRED)  # Debian package gettext (scripts/install-deps.sh)
set(SOHOA_LANGUAGES vi)
set(SOHOA_CATALOGS)
foreach(lang ${SOHOA_LANGUAGES})
  set(mo ${CMAKE_BINARY_DIR}/share/locale/${lang}/LC_MESSAGES/sohoa.mo)
  # --check: placeholders, plural forms and the header are checked; a
  # broken catalogue fails the build rather than a run.
  add_custom_command(
    OUTPUT ${mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/share/locale/${lang}/LC_MESSAGES
    COMMAND ${SOHOA_MSGFMT} --check --output-file=${mo} ${CMAKE_SOURCE_DIR}/po/${lang}.po
    DEPENDS ${CMAKE_SOURCE_DIR}/po/${lang}.po
    COMMENT "Compiling the ${lang} message catalogue"
    VERBATIM)
  list(APPEND SOHOA_CATALOGS ${mo})
  install(FILES ${mo} DESTINATION ${CMAKE_INSTALL_LOCALEDIR}/${lang}/LC_MESSAGES)
endforeach()
add_custom_target(sohoa_catalogs ALL DEPENDS ${SOHOA_CATALOGS})

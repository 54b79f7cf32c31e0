# NNFIT_SANITIZERS="address;undefined" instruments every target of the build.
if(NNFIT_SANITIZERS)
  string(REPLACE ";" "," _nnfit_san "${NNFIT_SANITIZERS}")
  add_compile_options(-fsanitize=${_nnfit_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_nnfit_san})
endif()

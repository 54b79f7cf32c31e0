# NNFIT_SANITIZERS="address;undefined" instruments every target of the build.
if(NNFIT_SANITIZERS)
  string(REPLACE ";" "," _nnfit_san "${NNFIT_SANITIZERS}")
  add_compile_options(-fsanitize=${_nnfit_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_nnfit_san})
endif()

# CMAKE_BUILD_TYPE=Sanitize (scripts/sanitize.sh, scripts/fuzz.sh): -O1 with line tables only
# compiles about 4x faster than RelWithDebInfo under the sanitizers and still gives file:line
# stack traces.
# CMake creates an empty CMAKE_CXX_FLAGS_SANITIZE entry when it enables C++ for this build
# type, so a plain set(CACHE) would never take effect (the build was -O0): fill it when empty.
if(NOT CMAKE_CXX_FLAGS_SANITIZE)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    set(_nnfit_sanitize_flags "-O1 -gline-tables-only")
  else()
    set(_nnfit_sanitize_flags "-O1 -g1")
  endif()
  set(CMAKE_CXX_FLAGS_SANITIZE "${_nnfit_sanitize_flags}" CACHE STRING
      "Flags of the Sanitize build type" FORCE)
endif()

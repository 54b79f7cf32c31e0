# NNFIT_SANITIZERS="address;undefined" instruments every target of the build.
if(NNFIT_SANITIZERS)
  string(REPLACE ";" "," _nnfit_san "${NNFIT_SANITIZERS}")
  add_compile_options(-fsanitize=${_nnfit_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_nnfit_san})
endif()

# CMAKE_BUILD_TYPE=Sanitize (scripts/sanitize.sh, scripts/fuzz.sh): -O1 with line tables only
# compiles about 4x faster than RelWithDebInfo under the sanitizers and still gives file:line
# stack traces.
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  set(CMAKE_CXX_FLAGS_SANITIZE "-O1 -gline-tables-only" CACHE STRING "Flags of the Sanitize build type")
else()
  set(CMAKE_CXX_FLAGS_SANITIZE "-O1 -g1" CACHE STRING "Flags of the Sanitize build type")
endif()

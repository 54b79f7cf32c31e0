# INTERFACE target carrying our warning flags; linked PRIVATE to our own targets only.
add_library(nnfit_warnings INTERFACE)
target_compile_options(nnfit_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
# GCC 12 reports false -Wmaybe-uninitialized inside its own AVX-512 intrinsic headers when
# Eigen is compiled with -march=native on AVX-512 machines.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(nnfit_warnings INTERFACE -Wno-maybe-uninitialized)
endif()
if(NNFIT_WARNINGS_AS_ERRORS)
  target_compile_options(nnfit_warnings INTERFACE -Werror)
endif()

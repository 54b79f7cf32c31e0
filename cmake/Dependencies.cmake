# Every dependency comes from a Debian -dev package and is found at configure time;
# nothing is downloaded. scripts/install-deps.sh installs them.
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
# fmt (libfmt-dev, which libspdlog-dev depends on): the library formats numbers in text it
# returns (the terminal plot, the importance table) without printing.
find_package(fmt REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
# toml++ reads config files: CLI11 2.1's TOML reader decodes no escapes and takes duplicate keys.
find_package(tomlplusplus 3 REQUIRED)
find_package(Threads REQUIRED)
# OpenMP lets Eigen run its matrix products on --threads cores.
find_package(OpenMP REQUIRED)

# fast-cpp-csv-parser (libfccp-dev) is a single header without a CMake package.
find_path(FCCP_INCLUDE_DIR libfccp/csv.h REQUIRED)
add_library(fccp INTERFACE)
target_include_directories(fccp SYSTEM INTERFACE ${FCCP_INCLUDE_DIR})
target_link_libraries(fccp INTERFACE Threads::Threads)

# nnfit export --format onnx builds the graph with ONNX's own protobuf classes and checks it with
# ONNX's checker (libonnx-dev, which needs libprotobuf-dev).
find_package(Protobuf REQUIRED)
find_package(ONNX REQUIRED)

if(NNFIT_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

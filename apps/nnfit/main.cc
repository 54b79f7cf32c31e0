// nnfit entry point: all work happens in cli::run, which maps every error to an exit code.
#include "cli.h"

int main(int argc, char** argv) { return nnfit::cli::run(argc, argv); }

// What the terminal a plot goes to can show: its width and whether to colour.
#pragma once

namespace nnfit::cli {

// The width of the terminal: $COLUMNS if it is a positive number, else the terminal's own
// (ioctl TIOCGWINSZ on fd) if fd is one, else 80.
int terminal_width(int fd);
// Colours on fd: it is a terminal and NO_COLOR is unset or empty (https://no-color.org).
bool terminal_color(int fd);

}  // namespace nnfit::cli

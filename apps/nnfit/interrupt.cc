// SIGINT handling with sigaction. The handler only touches a lock-free atomic and calls
// write and _exit, all async-signal-safe.
#include "interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "io/atomic_file.h"

namespace nnfit::cli {
namespace {

static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

std::atomic<bool> g_interrupted{false};
// What the first SIGINT prints: set before the handler is installed, read only by it.
char g_message[512];
std::size_t g_message_size = 0;
struct sigaction g_previous;

extern "C" void on_sigint(int) {
  if (g_interrupted.exchange(true)) {  // the second Ctrl-C: leave now
    io::remove_temporaries_now();
    _exit(130);
  }
  const ssize_t written = write(STDERR_FILENO, g_message, g_message_size);
  (void)written;
}

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr std::size_t kCleanupCount = sizeof kCleanupSignals / sizeof kCleanupSignals[0];
struct sigaction g_cleanup_previous[kCleanupCount];
struct sigaction g_sigpipe_previous;

extern "C" void on_fatal_signal(int sig) {
  io::remove_temporaries_now();
  signal(sig, SIG_DFL);  // async-signal-safe; then die of the signal as if unhandled
  raise(sig);
}

}  // namespace

SignalCleanup::SignalCleanup() {
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  for (std::size_t i = 0; i < kCleanupCount; ++i) {
    sigaction(kCleanupSignals[i], &sa, &g_cleanup_previous[i]);
  }
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &g_sigpipe_previous);
}

SignalCleanup::~SignalCleanup() {
  for (std::size_t i = 0; i < kCleanupCount; ++i) {
    sigaction(kCleanupSignals[i], &g_cleanup_previous[i], nullptr);
  }
  sigaction(SIGPIPE, &g_sigpipe_previous, nullptr);
}

void die_of_closed_stdout() {
  io::remove_temporaries_now();
  signal(SIGPIPE, SIG_DFL);
  raise(SIGPIPE);
  _exit(128 + SIGPIPE);  // SIGPIPE blocked: the same exit status a shell would report
}

InterruptGuard::InterruptGuard(const std::string& message) {
  const std::string text = "\nnnfit: interrupted; " + message + "\n";
  g_message_size = std::min(text.size(), sizeof g_message);
  std::memcpy(g_message, text.data(), g_message_size);
  g_interrupted = false;
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, &g_previous);
}

InterruptGuard::~InterruptGuard() { sigaction(SIGINT, &g_previous, nullptr); }

const std::atomic<bool>* InterruptGuard::flag() const { return &g_interrupted; }

}  // namespace nnfit::cli

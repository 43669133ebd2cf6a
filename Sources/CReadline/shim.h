#include <stdio.h>
#include <locale.h>
#include <readline/readline.h>
#include <readline/history.h>

// Swift 6 refuses to touch C mutable globals directly (they are shared mutable state), so
// every readline global backtalk needs is reached through one of these accessors.

/// Lets readline install its own SIGINT handler (Ctrl-C clears the line) or not.
static inline void backtalk_rl_set_catch_signals(int on) { rl_catch_signals = on; }

/// Sets the locale from the environment so that readline edits UTF-8 (é, emoji) correctly.
static inline void backtalk_set_locale(void) { setlocale(LC_ALL, ""); }

/// Discards the current line after Ctrl-C and shows a fresh prompt.
static inline void backtalk_rl_reset_line(void) {
  rl_free_line_state();
  rl_replace_line("", 0);
  rl_crlf();
  rl_on_new_line();
  rl_redisplay();
}

#include <signal.h>
#include <string.h>
#include <unistd.h>

/// SIGINT handler for the REPL: Ctrl-C abandons the current line and shows a fresh prompt
/// instead of ending the program (as shells do). It only calls readline's redisplay functions,
/// which is the documented way to reset the line from a signal handler in readline apps.
static void backtalk_on_sigint(int signo) {
  (void)signo;
  backtalk_rl_reset_line();
}

/// Installs ``backtalk_on_sigint`` and stops readline from installing its own handlers.
static inline void backtalk_install_sigint(void) {
  rl_catch_signals = 0;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = backtalk_on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, NULL);
}

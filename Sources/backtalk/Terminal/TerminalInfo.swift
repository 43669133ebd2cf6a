import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What the terminal on stdout can do: its width, and whether to use colour.
///
/// Colour follows the conventions people set: none when stdout is not a terminal, when
/// `NO_COLOR` is set to anything (no-color.org) or when `TERM` is `dumb`.
struct TerminalInfo {
  /// Whether stdout is a terminal.
  let isTerminal: Bool
  /// Whether to colour the output.
  let usesColor: Bool

  init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    isTerminal = StandardStreams.isTerminal(STDOUT_FILENO)
    let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
    usesColor = isTerminal && !noColor && environment["TERM"] != "dumb"
  }

  /// The terminal's width now (it can change between replies), or nil when stdout is not a
  /// terminal: output to a pipe or file is not wrapped.
  var width: Int? {
    guard isTerminal else { return nil }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
      return Int(size.ws_col)
    }
    if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
      return columns
    }
    return 80
  }
}

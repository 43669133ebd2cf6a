import CReadline
import Foundation

/// GNU readline for an interactive terminal: line editing, arrow keys, history kept in
/// `~/.backtalk_history`, Ctrl-C clears the line, Ctrl-D ends the chat.
///
/// A class because it owns process-wide readline state (history, signal handler) that must be
/// set up once and saved on the way out; the only file of the project that imports CReadline.
final class ReadlineLineReader: LineReader {
  private let historyPath: String
  private static let historyLimit: Int32 = 1000

  init() {
    backtalk_set_locale()
    backtalk_install_sigint()
    let home = ProcessInfo.processInfo.environment["HOME"] ?? NSTemporaryDirectory()
    historyPath = (home as NSString).appendingPathComponent(".backtalk_history")
    using_history()
    // append_history only appends to an existing file: create it on first use.
    if read_history(historyPath) != 0 { write_history(historyPath) }
  }

  func readLine(prompt: String) -> String? {
    guard let raw = readline(prompt) else { return nil }
    defer { free(raw) }
    let line = String(cString: raw)
    if !line.trimmingCharacters(in: .whitespaces).isEmpty {
      add_history(raw)
      append_history(1, historyPath)
      history_truncate_file(historyPath, Self.historyLimit)
    }
    return line
  }
}

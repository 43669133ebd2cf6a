import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Unbuffered writes to stdout and stderr that never kill the process.
///
/// `print` to a pipe is block-buffered (a front end waiting for a reply would wait forever), and
/// a write to a closed pipe raises SIGPIPE (exit 141). So SIGPIPE is ignored and every write is a
/// direct `write(2)` that reports failure instead of crashing.
enum StandardStreams {
  /// Ignores SIGPIPE so a vanished reader shows up as a failed write.
  static func ignoreBrokenPipe() {
    signal(SIGPIPE, SIG_IGN)
  }

  /// Writes all of `text` to a file descriptor; false if the reader has gone away.
  @discardableResult
  static func write(_ text: String, to fd: Int32 = STDOUT_FILENO) -> Bool {
    var text = text
    return text.withUTF8 { write($0, to: fd) }
  }

  /// Writes all of `bytes` to a file descriptor; false if the reader has gone away.
  @discardableResult
  static func write(_ bytes: [UInt8], to fd: Int32 = STDOUT_FILENO) -> Bool {
    bytes.withUnsafeBufferPointer { write($0, to: fd) }
  }

  private static func write(_ buffer: UnsafeBufferPointer<UInt8>, to fd: Int32) -> Bool {
    var offset = 0
    while offset < buffer.count {
      let n = Glibc.write(fd, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
      if n < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += n
    }
    return true
  }

  /// Writes a diagnostic line to stderr.
  static func log(_ message: String) {
    write(message + "\n", to: STDERR_FILENO)
  }

  /// Whether a descriptor is a terminal.
  static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}

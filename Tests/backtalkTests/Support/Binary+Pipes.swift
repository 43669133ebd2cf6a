import Foundation

/// The two pipe helpers the service's lifecycle and install tests read a live child with.
extension Binary {
  /// A write to a child that has exited must fail with EPIPE, not kill the test runner.
  static func ignoreBrokenPipe() { signal(SIGPIPE, SIG_IGN) }

  /// Reads one line (up to the first newline) from a pipe, taking whatever each read returns.
  ///
  /// The tests that use it also run under their suite's time limit.
  static func readLine(_ handle: FileHandle) throws -> String {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !received.contains(0x0A) {
      let n = buffer.withUnsafeMutableBytes {
        read(handle.fileDescriptor, $0.baseAddress, $0.count)
      }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      received += buffer[0..<n]
    }
    return String(decoding: received, as: UTF8.self)
  }
}

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The real `backtalk-web` binary on a free port, stopped when the value is released.
final class WebProcess {
  let process = Process()
  let port: Int

  init(arguments: [String] = []) throws {
    let dir =
      Bundle.main.bundleURL.hasDirectoryPath
      ? Bundle.main.bundleURL : Bundle.main.bundleURL.deletingLastPathComponent()
    let candidates = [
      dir.appendingPathComponent("backtalk-web"),
      dir.deletingLastPathComponent().appendingPathComponent("backtalk-web"),
    ]
    process.executableURL =
      candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    process.arguments = ["--port", "0"] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The one stdout line: "backtalk web: http://127.0.0.1:PORT/".
    var line = Data()
    while !line.contains(0x0A), let byte = try output.fileHandleForReading.read(upToCount: 1),
      !byte.isEmpty
    {
      line += byte
    }
    let text = String(decoding: line, as: UTF8.self)
    guard let colon = text.lastIndex(of: ":"),
      let port = Int(text[text.index(after: colon)...].filter(\.isNumber))
    else {
      process.terminate()
      throw WebTestError("backtalk-web did not print its address: \(text)")
    }
    self.port = port
  }

  deinit {
    process.terminate()
    process.waitUntilExit()
  }
}

/// A failure of the test harness itself.
struct WebTestError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// A blocking RFC 6455 client over a POSIX socket, enough to send frames and read replies.
final class RawWebSocket {
  private let fd: Int32
  private var buffer: [UInt8] = []
  /// The HTTP status line of the handshake's answer.
  private(set) var status = 0

  init(port: Int, origin: String? = nil, host: String? = nil) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw WebTestError("cannot connect to port \(port)") }
    var request =
      "GET /ws HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      + "Sec-WebSocket-Version: 13\r\n"
    if let origin { request += "Origin: \(origin)\r\n" }
    try write(Array((request + "\r\n").utf8))
    let head = try read(until: Array("\r\n\r\n".utf8))
    let statusLine = String(decoding: head.prefix { $0 != 0x0D }, as: UTF8.self)
    status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
  }

  deinit { close(fd) }

  /// Sends one masked frame.
  func send(_ payload: [UInt8], opcode: UInt8 = 0x1, fin: Bool = true) throws {
    var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode]
    if payload.count < 126 {
      frame.append(0x80 | UInt8(payload.count))
    } else if payload.count < 65536 {
      frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    } else {
      frame.append(0x80 | 127)
      frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
    }
    let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
    frame += mask
    frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    try write(frame)
  }

  /// Sends a text message.
  func send(_ text: String) throws { try send(Array(text.utf8)) }

  /// The next frame from the server: its opcode and payload.
  func receive() throws -> (opcode: UInt8, payload: [UInt8]) {
    let head = try take(2)
    var length = Int(head[1] & 0x7F)
    if length == 126 {
      length = try take(2).reduce(0) { $0 << 8 | Int($1) }
    } else if length == 127 {
      length = try take(8).reduce(0) { $0 << 8 | Int($1) }
    }
    return (head[0] & 0x0F, try take(length))
  }

  /// The next text message, as a string.
  func receiveText() throws -> String {
    let frame = try receive()
    guard frame.opcode == 0x1 else {
      throw WebTestError("expected text, got opcode \(frame.opcode)")
    }
    return String(decoding: frame.payload, as: UTF8.self)
  }

  private func write(_ bytes: [UInt8]) throws {
    var sent = 0
    while sent < bytes.count {
      let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
      guard n > 0 else { throw WebTestError("the connection closed while sending") }
      sent += n
    }
  }

  private func fill() throws {
    var chunk = [UInt8](repeating: 0, count: 65536)
    let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    guard n > 0 else { throw WebTestError("the connection closed or timed out") }
    buffer += chunk[..<n]
  }

  private func take(_ count: Int) throws -> [UInt8] {
    while buffer.count < count { try fill() }
    defer { buffer.removeFirst(count) }
    return Array(buffer[..<count])
  }

  private func read(until marker: [UInt8]) throws -> [UInt8] {
    while true {
      if let range = buffer.firstRange(of: marker) {
        defer { buffer.removeFirst(range.upperBound) }
        return Array(buffer[..<range.upperBound])
      }
      try fill()
    }
  }
}

import BacktalkCore
import Foundation

/// The `--log` file: one JSON object per exchange, appended.
struct ExchangeLog {
  private let handle: FileHandle

  init(path: String) throws {
    if !FileManager.default.fileExists(atPath: path) {
      _ = FileManager.default.createFile(atPath: path, contents: nil)
    }
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw CocoaError(.fileWriteNoPermission)
    }
    handle.seekToEndOfFile()
    self.handle = handle
  }

  func record(frame: LineFramer.Frame, reply: String) {
    var w = JSONWriter()
    w.beginObject()
    w.key("time")
    w.string(ISO8601DateFormatter().string(from: Date()))
    w.key("request")
    switch frame {
    case .line(let bytes): w.string(String(decoding: bytes, as: UTF8.self))
    case .tooLong: w.string("(line too long, skipped)")
    }
    w.key("reply")
    w.raw(reply)
    w.endObject()
    do { try handle.write(contentsOf: Data((w.text + "\n").utf8)) } catch {
      StandardStreams.log("backtalk serve: cannot write the log: \(error.localizedDescription)")
    }
  }
}

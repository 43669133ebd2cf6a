/// Splits a byte stream into lines, refusing lines over a limit without buffering them.
///
/// Reads bytes, not `String`s, because the protocol must answer invalid UTF-8 with an error
/// (and `readLine()` would silently replace it). An over-long line is reported once as
/// `.tooLong` and its remaining bytes are dropped up to the next newline, so a 10 MB line costs
/// no more memory than the limit.
public struct LineFramer: Sendable {
  /// One framed unit.
  public enum Frame: Equatable, Sendable {
    /// A complete line without its `\n` (and without a trailing `\r`).
    case line([UInt8])
    /// A line longer than the limit was skipped.
    case tooLong
  }

  /// The longest line accepted, in bytes (without the newline).
  public let limit: Int
  private var buffer: [UInt8] = []
  private var discarding = false

  /// Creates a framer.
  public init(limit: Int) { self.limit = limit }

  /// Feeds a chunk and returns the frames it completes.
  public mutating func feed<C: Collection>(_ chunk: C) -> [Frame] where C.Element == UInt8 {
    var frames: [Frame] = []
    var start = chunk.startIndex
    while start != chunk.endIndex {
      guard let newline = chunk[start...].firstIndex(of: 0x0A) else {
        let rest = chunk[start...]
        if !discarding {
          if buffer.count + rest.count > limit {
            discarding = true
            buffer.removeAll(keepingCapacity: true)
            frames.append(.tooLong)
          } else {
            buffer.append(contentsOf: rest)
          }
        }
        return frames
      }
      let piece = chunk[start..<newline]
      if discarding {
        discarding = false
      } else if buffer.count + piece.count > limit + 1 {
        buffer.removeAll(keepingCapacity: true)
        frames.append(.tooLong)
      } else {
        buffer.append(contentsOf: piece)
        if buffer.last == 0x0D { buffer.removeLast() }
        if buffer.count > limit {
          frames.append(.tooLong)
        } else {
          frames.append(.line(buffer))
        }
        buffer.removeAll(keepingCapacity: true)
      }
      start = chunk.index(after: newline)
    }
    return frames
  }

  /// The last line when the input ends without a newline.
  public mutating func finish() -> [Frame] {
    defer {
      buffer.removeAll()
      discarding = false
    }
    if discarding || buffer.isEmpty { return [] }
    if buffer.last == 0x0D { buffer.removeLast() }
    return [.line(buffer)]
  }
}

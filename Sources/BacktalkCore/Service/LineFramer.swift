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
    if let frames = chunk.withContiguousStorageIfAvailable({ feed(buffer: $0) }) {
      return frames
    }
    return Array(chunk).withUnsafeBufferPointer { feed(buffer: $0) }
  }

  /// The work of ``feed(_:)`` on contiguous bytes (the generic path was a measurable part of
  /// the service's time per line).
  private mutating func feed(buffer chunk: UnsafeBufferPointer<UInt8>) -> [Frame] {
    var frames: [Frame] = []
    var start = 0
    while start < chunk.count {
      var newline = start
      while newline < chunk.count && chunk[newline] != 0x0A { newline += 1 }
      guard newline < chunk.count else {
        let rest = UnsafeBufferPointer(rebasing: chunk[start...])
        if !discarding {
          // One byte of slack: the line's `\r` may be in this chunk and its `\n` in the next.
          if buffer.count + rest.count > limit + 1 {
            discarding = true
            buffer.removeAll(keepingCapacity: true)
            frames.append(.tooLong)
          } else {
            buffer.append(contentsOf: rest)
          }
        }
        return frames
      }
      let piece = UnsafeBufferPointer(rebasing: chunk[start..<newline])
      if discarding {
        discarding = false
      } else if buffer.count + piece.count > limit + 1 {
        buffer.removeAll(keepingCapacity: true)
        frames.append(.tooLong)
      } else if buffer.isEmpty {
        // The common case: a whole line inside one chunk, copied once.
        var end = piece.count
        if end > 0 && piece[end - 1] == 0x0D { end -= 1 }
        if end > limit {
          frames.append(.tooLong)
        } else {
          frames.append(.line(Array(piece[0..<end])))
        }
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
      start = newline + 1
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
    return [buffer.count > limit ? .tooLong : .line(buffer)]
  }
}

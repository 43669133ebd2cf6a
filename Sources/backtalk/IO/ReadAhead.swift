import BacktalkCore
import Foundation

/// Reads a chunk's pipelined lines ahead on helper threads while the main thread answers them
/// in order.
///
/// Reading a line (JSON, validation, normalising, the emergency check, ranking intents) needs no
/// session; answering it does, and must happen in the order the lines came. Helpers claim lines
/// from the front, a few at a time; the main thread takes each line when it is due, reads it
/// itself when no helper has claimed it yet, and reads later ones while a helper finishes it.
/// So the work balances itself: whichever half is slower, every core stays busy, and a line is
/// never read twice.
final class ReadAhead: @unchecked Sendable {
  // Unchecked: `lines` and `nextUnclaimed` are only touched with `condition` locked; `frames`
  // and `reader` never change.
  private let frames: [LineFramer.Frame]
  private let reader: RequestReader
  private let condition = NSCondition()
  private var lines: [RequestReader.Line?]
  private var nextUnclaimed = 0

  /// Starts `helpers` threads reading `frames` from the front.
  init(frames: [LineFramer.Frame], reader: RequestReader, helpers: Int) {
    self.frames = frames
    self.reader = reader
    lines = Array(repeating: nil, count: frames.count)
    for _ in 0..<helpers {
      DispatchQueue.global().async { self.help() }
    }
  }

  /// Lines are claimed and published a few at a time, so the lock is taken an eighth as often.
  private static let batch = 8

  /// Line `index`; the caller takes them in order, 0, 1, 2...
  func line(_ index: Int) -> RequestReader.Line {
    condition.lock()
    while true {
      if let line = lines[index] {
        lines[index] = nil
        condition.unlock()
        return line
      }
      if nextUnclaimed <= index {
        // No helper got here yet: read it on this thread (intents ranked only if needed).
        nextUnclaimed = index + 1
        condition.unlock()
        return reader.parse(frames[index])
      }
      if nextUnclaimed == frames.count {
        condition.wait()
        continue
      }
      // A helper is still reading this line: read later ones rather than sleep.
      let claimed = claim()
      condition.unlock()
      let read = claimed.map { reader.parse(frames[$0]) }
      condition.lock()
      for (k, line) in zip(claimed, read) { lines[k] = line }
    }
  }

  /// The next lines nobody has claimed; call with `condition` locked.
  private func claim() -> Range<Int> {
    let start = nextUnclaimed
    nextUnclaimed = min(start + Self.batch, frames.count)
    return start..<nextUnclaimed
  }

  private func help() {
    while true {
      condition.lock()
      let claimed = claim()
      condition.unlock()
      if claimed.isEmpty { return }
      let read = claimed.map { reader.parse(frames[$0], rankingIntents: true) }
      condition.lock()
      for (k, line) in zip(claimed, read) { lines[k] = line }
      condition.broadcast()
      condition.unlock()
    }
  }
}

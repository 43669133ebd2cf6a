import BacktalkCore
import Foundation
import Testing

@testable import backtalk

/// `ReadAhead` answers every line as if it were read on one thread, in order.
///
/// Whatever the number of helpers and the size of the chunk (serve uses it from 8 lines up;
/// here from 1, so the main thread also reads lines no helper has claimed). Which path each
/// line takes (helper, main thread reading ahead, main thread waiting) is up to the scheduler;
/// many chunk sizes and rounds make all three likely, and .ci/run runs this under TSan.
///
/// (The time limit guards against a hang, not for speed: under TSan, beside the process test
/// that CI runs with it on 2 cores, compiling the knowledge base's 2,790 examples alone takes
/// most of a minute; the suite took 30 s on a quiet machine and over 60 s beside it.)
@Suite(.timeLimit(.minutes(3))) struct ReadAheadTests {
  static let assistant: Assistant = {
    do {
      let intents = Repository.root.appendingPathComponent("Intents")
      return try Assistant(knowledge: try KnowledgeBase.load(directory: intents))
    } catch {
      fatalError("the shipped knowledge base does not load: \(error)")
    }
  }()

  /// Every transcript line in its own session's order, interleaved, with bad lines between.
  static let frames: [LineFramer.Frame] = {
    var frames: [LineFramer.Frame] = []
    let conversations = (try? Repository.conversations()) ?? []
    let longest = conversations.map(\.count).max() ?? 0
    for turn in 0..<longest {
      for (k, turns) in conversations.enumerated() where turn < turns.count {
        var w = JSONWriter()
        w.beginObject()
        w.key("id")
        w.int(frames.count)
        w.key("session")
        w.string("c\(k)")
        w.key("text")
        w.string(turns[turn])
        w.endObject()
        frames.append(.line(w.bytes))
      }
      frames.append(.line(Array(#"{"id":1,"text":"#.utf8)))
      frames.append(.tooLong)
      frames.append(.line([]))
    }
    return frames
  }()

  @Test(arguments: [0, 1, 2, 3])
  func linesComeOutInOrderAsIfReadOnOneThread(helpers: Int) {
    #expect(Self.frames.count > 150)
    let now = ContinuousClock.now
    for round in 0..<3 {
      var one = JSONLinesService(assistant: Self.assistant)
      var many = JSONLinesService(assistant: Self.assistant)
      var start = 0
      var size = 1 + round
      var differing = 0
      while start < Self.frames.count {
        let chunk = Array(Self.frames[start..<min(start + size, Self.frames.count)])
        let ahead = ReadAhead(frames: chunk, reader: many.reader, helpers: helpers)
        for (index, frame) in chunk.enumerated() {
          let expected = one.answer(one.reader.parse(frame), now: now)
          let actual = many.answer(ahead.line(index), now: now)
          if expected != actual { differing += 1 }
        }
        start += size
        size = size % 40 + 1
      }
      #expect(differing == 0, "round \(round): \(differing) lines answered differently")
    }
  }
}

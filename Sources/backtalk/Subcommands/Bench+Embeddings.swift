import BacktalkCore
import Foundation

extension Bench {
  /// A 12-word message, typical of what a person types.
  static let embeddingSentence =
    "my upper back has been hurting between the shoulder blades for weeks"
  /// Another, with accented letters (the tokenizer's slower path: decomposition per letter).
  static let accentedSentence =
    "mon dos me fait très mal entre les omoplates depuis trois semaines déjà"

  /// One line on the static embedding table: its size, the time to map and check it, and the
  /// time to embed a 12-word sentence (into a caller's buffer, as a new array, and with
  /// accented letters).
  ///
  /// Each is the fastest of several runs or the median of many calls: the machine is shared.
  static func embeddingReport(clock: ContinuousClock) -> String {
    let url: URL
    switch EmbeddingLoader.locate() {
    case .success(let found): url = found
    case .failure(let problem): return "embeddings: \(problem)\n"
    }
    var loaded: StaticEmbeddingTable?
    var open = Duration.seconds(3600)
    var first = Duration.zero
    do {
      for run in 0..<20 {
        let start = clock.now
        loaded = try EmbeddingLoader.load(path: url.path)
        open = min(open, clock.now - start)
        if run == 0 { first = clock.now - start }
      }
    } catch {
      return "embeddings: \(error)\n"
    }
    guard let table = loaded else { return "embeddings: not loaded\n" }
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    var buffer = [Float](repeating: 0, count: table.dimensions)
    var intoBuffer: [Duration] = []
    var asArray: [Duration] = []
    for _ in 0..<20_000 {
      let start = clock.now
      buffer.withUnsafeMutableBufferPointer { _ = table.embed(embeddingSentence, into: $0) }
      intoBuffer.append(clock.now - start)
      let again = clock.now
      _ = table.embed(embeddingSentence)
      asArray.append(clock.now - again)
    }
    var accented: [Duration] = []
    for _ in 0..<20_000 {
      let start = clock.now
      buffer.withUnsafeMutableBufferPointer { _ = table.embed(accentedSentence, into: $0) }
      accented.append(clock.now - start)
    }
    intoBuffer.sort()
    asArray.sort()
    accented.sort()
    return
      "embeddings: \(url.lastPathComponent), \(size / 1024) KiB (\(table.vocabularyCount) tokens x \(table.dimensions) dims, \(table.quantization)); mapped and checked in \(milli(open)) (\(milli(first)) the first time in this process); embed of a 12-word sentence: median \(micro(intoBuffer[intoBuffer.count / 2])) into a buffer, \(micro(asArray[asArray.count / 2])) as a new array; \(micro(accented[accented.count / 2])) for 12 French words with 3 accents\n"
  }
}

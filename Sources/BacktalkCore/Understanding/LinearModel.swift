import Foundation

/// Softmax regression over the matcher's TF-IDF vectors, trained at load time.
///
/// Nearest-example and centroid similarity reward shared words; a discriminative model learns
/// which words separate confusable intents (the way the TF-IDF + logistic regression baseline
/// does). Plain SGD with a fixed example order and a fixed number of epochs keeps it
/// deterministic and fast (a few milliseconds for the shipped examples).
struct LinearModel: Sendable {
  /// Feature-major weights (`weights[feature * classes + class]`), kept in single precision:
  /// half the memory and start-up snapshot, and far below the model's own noise.
  private let weights: Weights
  private let classes: Int

  /// Trained in this process, or read in place from a snapshot (megabytes not copied).
  enum Weights: Sendable {
    case trained([Float])
    case snapshot(SnapshotView<Float>)

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) -> R) -> R {
      switch self {
      case .trained(let array): return array.withUnsafeBufferPointer(body)
      case .snapshot(let view): return view.withUnsafeBufferPointer(body)
      }
    }

    var count: Int {
      switch self {
      case .trained(let array): return array.count
      case .snapshot(let view): return view.count
      }
    }
  }

  /// Trains on sparse rows of `(feature, value)` whose features are numbered `0..<features`.
  ///
  /// `balance`, from 0 to 1, says how far the rows of a class with many times the median
  /// number count as much in total as a typical class's: such a class (what the assistant is
  /// not about) learns its words without drawing every uncertain message to itself.
  init(
    rows sparse: [[(Int32, Double)]], labels: [Int], features: Int, classes: Int, epochs: Int,
    balance: Double = 0
  ) {
    // Single precision while training too: the weights are read and written at hashed, scattered
    // rows, so memory traffic is what training costs, and half the bytes is half the misses.
    var weights = [Float](repeating: 0, count: features * classes)
    var scores = [Double](repeating: 0, count: classes)
    // A fixed permutation (stride coprime with the count) visits intents interleaved.
    let n = sparse.count
    let classWeight =
      balance > 0 ? Self.classWeights(labels, classes: classes, balance: balance) : []
    var stride = 7919 % max(n, 1)
    while n > 1 && gcd(stride, n) != 1 { stride += 1 }
    // Training is most of the knowledge base's compile, which every process waits for on an
    // empty cache: the loops run on raw pointers (no bounds or uniqueness checks per weight).
    weights.withUnsafeMutableBufferPointer { w in
      scores.withUnsafeMutableBufferPointer { s in
        guard let weights = w.baseAddress, let out = s.baseAddress else { return }
        for epoch in 0..<epochs {
          let rate = 2.0 / (1 + 0.3 * Double(epoch))
          var position = 0
          for _ in 0..<n {
            position = (position + stride) % n
            let row = sparse[position]
            Self.softmax(row, weights: UnsafePointer(weights), classes: classes, into: out)
            out[labels[position]] -= 1
            let scale = classWeight.isEmpty ? 1 : classWeight[labels[position]]
            for (f, v) in row {
              let base = weights + Int(f) * classes
              let step = rate * v * scale
              for c in 0..<classes { base[c] -= Float(step * out[c]) }
            }
          }
        }
      }
    }
    self.weights = .trained(weights)
    self.classes = classes
  }

  /// Per class, the median class size over its own size, to the power `balance`, for a class
  /// more than ``outsized`` times the median; 1 for the rest (a class a little above the
  /// median is a topic people ask about in many ways, not a catch-all).
  private static func classWeights(_ labels: [Int], classes: Int, balance: Double) -> [Double] {
    var counts = [Int](repeating: 0, count: classes)
    for label in labels { counts[label] += 1 }
    let present = counts.filter { $0 > 0 }.sorted()
    guard !present.isEmpty else { return [] }
    let median = Double(present[present.count / 2])
    return counts.map {
      Double($0) > Self.outsized * median ? pow(median / Double($0), balance) : 1
    }
  }

  /// How many times the median size a class must have to be weighed down.
  static let outsized = 3.0

  /// Restores a trained model (see ``IntentMatcher/write(to:)``).
  init(weights: Weights, classes: Int) {
    self.weights = weights
    self.classes = classes
  }

  /// The trained weights.
  var trainedWeights: [Float] { weights.withUnsafeBufferPointer { Array($0) } }

  /// Class probabilities for a query vector.
  func probabilities(_ query: [(Int32, Double)]) -> [Double] {
    var scores = [Double](repeating: 0, count: classes)
    weights.withUnsafeBufferPointer {
      Self.softmax(query, weights: $0, classes: classes, into: &scores)
    }
    return scores
  }

  /// The softmax of the linear scores of a sparse row, written into `scores`.
  private static func softmax(
    _ row: [(Int32, Double)], weights w: UnsafeBufferPointer<Float>, classes: Int,
    into scores: inout [Double]
  ) {
    scores.withUnsafeMutableBufferPointer { s in
      guard let out = s.baseAddress, let weights = w.baseAddress else { return }
      softmax(row, weights: weights, classes: classes, into: out)
    }
  }

  /// The same on raw pointers: `classes` scores written at `out`.
  private static func softmax(
    _ row: [(Int32, Double)], weights: UnsafePointer<Float>, classes: Int,
    into out: UnsafeMutablePointer<Double>
  ) {
    guard classes > 0 else { return }
    for c in 0..<classes { out[c] = 0 }
    for (f, v) in row {
      // A pointer to the feature's row: indexing it needs no overflow check per class, so
      // the loop vectorises (each class's sum keeps its order, so the result is the same; an
      // explicit SIMD4 version counted more instructions under callgrind).
      let base = weights + Int(f) * classes
      for c in 0..<classes { out[c] += v * Double(base[c]) }
    }
    var top = out[0]
    for c in 1..<classes where out[c] > top { top = out[c] }
    var total = 0.0
    for c in 0..<classes {
      out[c] = exp(out[c] - top)
      total += out[c]
    }
    for c in 0..<classes { out[c] /= total }
  }
}

private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

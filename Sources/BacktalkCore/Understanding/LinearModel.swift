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
  init(rows sparse: [[(Int32, Double)]], labels: [Int], features: Int, classes: Int, epochs: Int) {
    var weights = [Double](repeating: 0, count: features * classes)
    var scores = [Double](repeating: 0, count: classes)
    // A fixed permutation (stride coprime with the count) visits intents interleaved.
    let n = sparse.count
    var stride = 7919 % max(n, 1)
    while n > 1 && gcd(stride, n) != 1 { stride += 1 }
    for epoch in 0..<epochs {
      let rate = 2.0 / (1 + 0.3 * Double(epoch))
      var position = 0
      for _ in 0..<n {
        position = (position + stride) % n
        let row = sparse[position]
        weights.withUnsafeBufferPointer {
          Self.softmax(row, weights: $0, classes: classes, into: &scores)
        }
        scores[labels[position]] -= 1
        for (f, v) in row {
          let base = Int(f) * classes
          for c in 0..<classes { weights[base + c] -= rate * v * scores[c] }
        }
      }
    }
    self.weights = .trained(weights.map(Float.init))
    self.classes = classes
  }

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
  private static func softmax<W: BinaryFloatingPoint>(
    _ row: [(Int32, Double)], weights w: UnsafeBufferPointer<W>, classes: Int,
    into scores: inout [Double]
  ) {
    scores.withUnsafeMutableBufferPointer { s in
      guard let out = s.baseAddress, let weights = w.baseAddress else { return }
      for c in 0..<classes { out[c] = 0 }
      for (f, v) in row {
        // A pointer to the feature's row: indexing it needs no overflow check per class, so
        // the loop vectorises (each class's sum keeps its order, so the result is the same).
        let base = weights + Int(f) * classes
        for c in 0..<classes { out[c] += v * Double(base[c]) }
      }
    }
    let top = scores.max() ?? 0
    var total = 0.0
    for c in 0..<classes {
      scores[c] = exp(scores[c] - top)
      total += scores[c]
    }
    for c in 0..<classes { scores[c] /= total }
  }
}

private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

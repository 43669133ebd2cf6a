import Foundation

/// A second opinion on one question only: whether a message is about the domain at all.
///
/// The intent matcher ranks fifty-odd intents against one off-topic class, so a question of
/// another field that shares a single word with a topic ("an i5 or i7 core processor", "my car
/// heater is blowing cold air", "the needle on my record player") wins that topic: the topic's
/// word outweighs the off-topic class's many different words. A binary regression asked only
/// "ours or not?", over the whole message (stems, character n-grams and the sentence vector,
/// the emergency classifier's features), weighs every other word of the message against the
/// domain as a whole. Trained at compile time on every intent example as the domain and the
/// off-topic examples as the rest, each side counting as much in total. The dialogue consults
/// it only outside a conversation, for messages with no word of the back, the body, pain, a
/// medicine or a warning sign and at least one word of another field (see
/// ``MatcherTuning/offTopicGateAbove``).
public struct DomainGate: Sendable {
  private let model: LinearModel
  /// The sentence vector's length the gate was trained with (0: words only).
  public let embeddingDimensions: Int
  private let charGramWeight: Double
  private let embeddingWeight: Double

  /// Trains on analysed messages, each marked off-topic or not, with their sentence vectors
  /// (empty, or one per message).
  init(
    examples: [(analysis: Analysis, offTopic: Bool)], embeddings: [[Float]], epochs: Int,
    charGramWeight: Double, embeddingWeight: Double
  ) {
    let dimensions = embeddings.count == examples.count ? embeddings.first?.count ?? 0 : 0
    // The smaller side is repeated until both weigh about the same in total: the domain has a
    // few times more examples, and would otherwise draw every uncertain message to itself.
    let offTopic = examples.filter(\.offTopic).count
    let domain = examples.count - offTopic
    let repeats = (
      domain: max(1, Int((Double(offTopic) / Double(max(domain, 1))).rounded())),
      offTopic: max(1, Int((Double(domain) / Double(max(offTopic, 1))).rounded()))
    )
    var rows: [[(Int32, Double)]] = []
    var labels: [Int] = []
    for (i, example) in examples.enumerated() {
      let row = EmergencyClassifier.features(
        example.analysis, charGramWeight: charGramWeight,
        embedding: dimensions > 0 ? embeddings[i] : [], embeddingWeight: embeddingWeight)
      for _ in 0..<(example.offTopic ? repeats.offTopic : repeats.domain) {
        rows.append(row)
        labels.append(example.offTopic ? 1 : 0)
      }
    }
    self.embeddingDimensions = dimensions
    self.charGramWeight = charGramWeight
    self.embeddingWeight = embeddingWeight
    model = LinearModel(
      rows: rows, labels: labels, features: EmergencyClassifier.bucketCount + dimensions,
      classes: 2, epochs: epochs)
  }

  private init(
    model: LinearModel, embeddingDimensions: Int, charGramWeight: Double, embeddingWeight: Double
  ) {
    self.model = model
    self.embeddingDimensions = embeddingDimensions
    self.charGramWeight = charGramWeight
    self.embeddingWeight = embeddingWeight
  }

  /// The probability that the message belongs to another field.
  public func offTopic(_ analysis: Analysis, embedding: [Float] = []) -> Double {
    let row = EmergencyClassifier.features(
      analysis, charGramWeight: charGramWeight,
      embedding: embedding.count == embeddingDimensions ? embedding : [],
      embeddingWeight: embeddingWeight)
    return model.probabilities(row)[1]
  }

  /// Writes the trained gate (see ``SnapshotWriter``).
  func write(to w: inout SnapshotWriter) {
    w.double(charGramWeight)
    w.int(embeddingDimensions)
    w.double(embeddingWeight)
    w.aligned(model.trainedWeights)
  }

  /// Reads a gate written by ``write(to:)``; the weights are used in place.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    let charGramWeight = try r.double()
    let dimensions = try r.int()
    let embeddingWeight = try r.double()
    let weights = try r.view(Float.self)
    guard (0...4096).contains(dimensions),
      weights.count == (EmergencyClassifier.bucketCount + dimensions) * 2
    else {
      throw .corrupt("the domain gate's weights")
    }
    self.init(
      model: LinearModel(weights: .snapshot(weights), classes: 2),
      embeddingDimensions: dimensions, charGramWeight: charGramWeight,
      embeddingWeight: embeddingWeight)
  }
}

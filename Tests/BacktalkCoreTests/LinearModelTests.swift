@testable import BacktalkCore
import Testing

@Suite struct LinearModelTests {
  /// Thirty examples of one class with feature 0, three each of two others with features 1
  /// and 2: a message with features 0 and 1 leans to the crowded class unless each class is
  /// weighed as a typical one.
  func model(balance: Double) -> LinearModel {
    let rows: [[(Int32, Double)]] =
      Array(repeating: [(0, 1.0)], count: 30) + Array(repeating: [(1, 1.0)], count: 3)
      + Array(repeating: [(2, 1.0)], count: 3)
    let labels =
      Array(repeating: 0, count: 30) + Array(repeating: 1, count: 3)
      + Array(repeating: 2, count: 3)
    return LinearModel(
      rows: rows, labels: labels, features: 3, classes: 3, epochs: 8, balance: balance)
  }

  @Test func balancingClassesTakesWeightFromTheCrowdedOne() {
    let both: [(Int32, Double)] = [(0, 1.0), (1, 1.0)]
    let plain = model(balance: 0).probabilities(both)
    let balanced = model(balance: 1).probabilities(both)
    #expect(plain[0] > plain[1], "unbalanced, the crowded class wins the mixed message")
    #expect(balanced[1] > plain[1], "balanced, the small class gains")
    // (Each class still wins its own feature.)
    #expect(model(balance: 1).probabilities([(1, 1.0)])[1] > 0.5)
    #expect(model(balance: 1).probabilities([(0, 1.0)])[0] > 0.5)
  }

  @Test func noBalanceIsTheDefaultModel() {
    let rows: [[(Int32, Double)]] = [[(0, 1.0)], [(1, 1.0)], [(0, 1.0)]]
    let a = LinearModel(rows: rows, labels: [0, 1, 0], features: 2, classes: 2, epochs: 4)
    let b = LinearModel(
      rows: rows, labels: [0, 1, 0], features: 2, classes: 2, epochs: 4, balance: 0)
    #expect(a.trainedWeights == b.trainedWeights)
  }
}

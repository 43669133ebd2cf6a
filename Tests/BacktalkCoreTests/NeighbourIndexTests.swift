import Testing

@testable import BacktalkCore

/// The neighbour index answers which kind of known message lies nearest, and the safety layers
/// use it to keep the classifier alone from alarming on an ordinary question.
@Suite struct NeighbourIndexTests {
  /// Three unit vectors in two dimensions: a harmless row, a row of label 2, a row of label 3.
  static let index = NeighbourIndex(
    rows: [
      (vector: [1, 0], labelIndex: 0),
      (vector: [0, 1], labelIndex: 2),
      (vector: [-1, 0], labelIndex: 3),
      (vector: [0, 0], labelIndex: 2),
    ], dimensions: 2)

  @Test func rowsWithoutAVectorAreLeftOut() {
    #expect(Self.index.count == 3)
  }

  @Test func itGivesTheNearestHarmlessRowAndTheNearestRowOfTheLabelAsked() throws {
    let near = try #require(Self.index.nearest([0.6, 0.8], labelIndex: 2))
    #expect(abs(near.harmless - 0.6) < 1e-6)
    #expect(abs(near.label - 0.8) < 1e-6)
    // Another label's rows do not count as the label asked about.
    let other = try #require(Self.index.nearest([0.6, 0.8], labelIndex: 3))
    #expect(abs(other.label + 0.6) < 1e-6)
  }

  @Test func aVectorOfAnotherSizeOrAnEmptyIndexGivesNothing() {
    #expect(Self.index.nearest([1, 0, 0], labelIndex: 2) == nil)
    #expect(NeighbourIndex(rows: [], dimensions: 0).nearest([1, 0], labelIndex: 2) == nil)
  }

  @Test func theShippedIndexHoldsTheClassifiersRowsAndTheOtherExamples() {
    let assistant = Fixtures.assistant
    #expect(assistant.neighbours.dimensions == Fixtures.embeddings.dimensions)
    #expect(assistant.neighbours.count > assistant.knowledge.emergencyCorpus.count)
  }

  /// An ordinary question that the classifier alone reads as self-harm, and which lies nearer
  /// the examples of a topic than any sign, is answered: never the crisis line, and, since the
  /// twenty-first session, not the self-harm question either when the matcher places it surely
  /// on a topic and it names no means, despair or feeling. (The classifier alone escalated it
  /// before the index; in this project's own words.)
  @Test func anOrdinaryQuestionNearTheExamplesIsNotEscalatedOnTheClassifiersWord() {
    var state = DialogueState()
    let reply = Fixtures.assistant.respond(
      to: "I've tried a bit of everything, what's the best mix", state: &state,
      includeTrace: true)
    #expect(reply.kind != .escalation)
    #expect(reply.kind != .safetyCheck)
    #expect(reply.intent == "advice.combined_plan")
  }

  /// The lexicon is never overruled: a sign it knows escalates however ordinary the rest.
  @Test func theLexiconStillEscalatesWhateverTheNeighbours() {
    var state = DialogueState()
    let reply = Fixtures.assistant.respond(
      to: "what's the best mix of stretches, also I've lost control of my bladder today",
      state: &state)
    #expect(reply.kind == .escalation)
  }
}

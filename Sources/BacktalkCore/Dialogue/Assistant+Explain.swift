/// The matcher's and detector's view of a message, without changing any conversation.
extension Assistant {
  /// What `backtalk why` shows.
  public struct Explanation: Sendable {
    /// The emergency check's finding, if any.
    public let emergency: EmergencyFinding?
    /// The ranked intents.
    public let match: IntentMatch
    /// The slots the message states.
    public let slots: SlotValues
    /// The words no part of the knowledge base knows (see ``TextAnalyzer/unknownWords(_:)``).
    public let unknownWords: [String]
    /// With no word of the back, the body or pain: the words the domain's questions use and
    /// the rest (what tells a topic's word in another field).
    public let domainWords: (known: [String], foreign: [String])?
    /// The domain gate's probability that the message is another field's (see ``DomainGate``).
    public let offTopic: Double
  }

  /// Explains one message.
  public func explain(_ text: String) -> Explanation {
    let analysis = analyze(text)
    let embedding = sentenceVector(text)
    return Explanation(
      emergency: detector.check(analysis),
      match: matcher.match(analysis.features, explain: true, embedding: embedding),
      slots: extractor.extract(analysis.tokens), unknownWords: analyzer.unknownWords(analysis),
      domainWords: domainWords(analysis),
      offTopic: domainGate.offTopic(analysis, embedding: embedding))
  }

  /// The intent the matcher picks for a text (no dialogue, no emergency check): what `eval`
  /// measures and what suggestions must resolve to.
  public func classify(_ text: String) -> IntentMatch {
    rank(analyze(text), embedding: sentenceVector(text), explain: true)
  }

  /// The slots a text states, as the intake would read them.
  public func slots(in text: String, awaiting: SlotName? = nil) -> SlotValues {
    readSlots(analyze(text).tokens, awaiting: awaiting)
  }

  /// The emergency check alone.
  public func emergency(in text: String) -> EmergencyFinding? {
    detector.check(analyze(text))
  }
}

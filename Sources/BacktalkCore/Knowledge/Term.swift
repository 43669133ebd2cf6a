/// A named thing inside a topic (a procedure, an exercise, a kind of massage), from
/// `Intents/terms.yaml`, with a few sentences of its own.
///
/// "What's a spinal fusion?" asks about one procedure, not about surgery: the whole surgery
/// paragraph, with the fusion as one clause, does not answer it. A term answers it, and keeps
/// the conversation on its topic for the follow-ups.
public struct Term: Codable, Hashable, Sendable {
  /// A stable id (snake case).
  public var name: String
  /// The topic (intent) it belongs to.
  public var intent: String
  /// The ways people name it, lower case ("spinal fusion", "fusion surgery").
  public var names: [String]
  /// What the articles say about it, in the project's own words.
  public var answer: String
  /// The sections it draws on.
  public var sources: [SourceRef]

  /// The names and their plurals ("epidurals" names the epidural), as the matcher reads them.
  public var spellings: [String] {
    names.flatMap { name in
      name.hasSuffix("s") || name.count < 4 ? [name] : [name, name + "s"]
    }
  }

  /// Creates a term.
  public init(name: String, intent: String, names: [String], answer: String, sources: [SourceRef]) {
    self.name = name
    self.intent = intent
    self.names = names
    self.answer = answer
    self.sources = sources
  }
}

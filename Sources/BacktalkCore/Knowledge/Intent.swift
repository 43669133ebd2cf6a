/// One thing a user can mean, with everything the bot needs to recognise and answer it.
///
/// Intents are data (`Intents/*.yaml`): adding one is an edit there, never in Swift. The name
/// is a stable contract (`../shared/spec/intents.md`) reported on the wire and in transcripts.
public struct Intent: Codable, Hashable, Sendable {
  /// The stable catalogue name, for example `treatment.heat_cold`.
  public var name: String
  /// A short human label used when the bot offers topics ("Heat or ice").
  public var title: String
  /// Ways a user may phrase it; the matcher is trained on these.
  public var examples: [String]
  /// More ways of asking, given in another file (see ``ExampleSet``): the regression model
  /// learns from them, but they are never the nearest example a message is matched to, so a
  /// wording written in another voice widens what is understood without moving the answers
  /// that the intent's own examples anchor.
  public var moreExamples: [String] = []
  /// What the bot says, in the project's own words; `{number}` is the emergency number.
  public var answer: String
  /// Where every fact of `answer` comes from.
  public var sources: [SourceRef]
  /// Follow-up questions a front end can show as buttons.
  public var suggestions: [String]
  /// A guided flow the answer offers; a following "yes" starts it.
  public var offer: String?
  /// A guided flow this intent starts instead of answering.
  public var flow: String?
  /// The file the intent was read from, for error messages.
  public var file: String = ""

  private enum CodingKeys: String, CodingKey {
    case name, title, examples, answer, sources, suggestions, offer, flow
  }

  /// Creates an intent; used by tests and by the decoder.
  public init(
    name: String, title: String, examples: [String], answer: String,
    sources: [SourceRef] = [], suggestions: [String] = [], offer: String? = nil,
    flow: String? = nil, file: String = "", moreExamples: [String] = []
  ) {
    self.name = name
    self.title = title
    self.examples = examples
    self.moreExamples = moreExamples
    self.answer = answer
    self.sources = sources
    self.suggestions = suggestions
    self.offer = offer
    self.flow = flow
    self.file = file
  }

  /// Decodes an intent, defaulting the optional lists so authors can leave them out.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    title = try c.decodeIfPresent(String.self, forKey: .title) ?? name
    examples = try c.decodeIfPresent([String].self, forKey: .examples) ?? []
    answer = try c.decodeIfPresent(String.self, forKey: .answer) ?? ""
    sources = try c.decodeIfPresent([SourceRef].self, forKey: .sources) ?? []
    suggestions = try c.decodeIfPresent([String].self, forKey: .suggestions) ?? []
    offer = try c.decodeIfPresent(String.self, forKey: .offer)
    flow = try c.decodeIfPresent(String.self, forKey: .flow)
  }
}

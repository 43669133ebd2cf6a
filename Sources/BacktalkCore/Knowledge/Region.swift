/// The numbers an escalation tells a person to call, which depend on where they are.
///
/// Read from `Intents/regions.yaml`; chosen with `--region` or per session (default
/// ``defaultCode``).
public struct Region: Codable, Hashable, Sendable {
  /// The region a chat uses when neither its front end nor the command line names one.
  ///
  /// `intl`: a chat that does not know where the person is names each main region's number
  /// rather than guessing one (see ``numberText``).
  public static let defaultCode = "intl"

  /// The region code: `us`, `uk`, `eu`, `au`, `ca`, `ie`, `nz`, `in`.
  public var code: String
  /// Other codes a front end may send for the same numbers, lower case.
  ///
  /// `gb` for `uk`, the EU's country codes for `eu`: a widget that passes the browser's country
  /// should reach the right numbers, not the default region's with a warning.
  public var aliases: [String]
  /// The emergency number, for example `911`.
  public var emergencyNumber: String
  /// How the emergency number is said in a sentence, where that is more than the digits, or
  /// nil to say the digits.
  ///
  /// A chat that does not know where the person is (the `intl` region, the default) must not
  /// guess one country's number: "call 911" to someone in Dublin or Sydney is wrong, so it says
  /// "your local emergency number (911 in the US and Canada, 999 in the UK...)" and keeps
  /// digits in ``emergencyNumber`` for a front end's tel: link.
  public var numberText: String?
  /// A crisis line for thoughts of self-harm, as a sentence a person reads, for example
  /// `the 988 Suicide & Crisis Lifeline (call or text 988)`.
  public var crisisLine: String
  /// The crisis line's number as digits only (`988`, `116123`), so a front end can make it a
  /// `tel:` link: the sentence in ``crisisLine`` is for reading, not for dialling.
  public var crisisNumber: String
  /// Ways to reach a crisis service without a voice call (text, chat, email), as a sentence,
  /// or nil where none is listed: "I don't want to talk to anyone on the phone" deserves an
  /// answer other than the same number again.
  public var crisisText: String?
  /// The place's name as said in a sentence ("Australia", "the UK"), or nil.
  public var place: String?
  /// The number as a sentence says it: ``numberText`` if the region has one, else the digits.
  public var spokenNumber: String { numberText ?? emergencyNumber }

  /// Words people use for the place, lower case ("australia", "aussie", "britain"): "what's
  /// the emergency number in Australia?" asked of a chat set to another region gets
  /// Australia's, not the session's.
  public var names: [String]

  private enum CodingKeys: String, CodingKey {
    case code
    case emergencyNumber = "emergency_number"
    case numberText = "number_text"
    case crisisLine = "crisis_line"
    case crisisNumber = "crisis_number"
    case crisisText = "crisis_text"
    case place
    case names
    case aliases
  }

  /// Creates a region.
  public init(
    code: String, emergencyNumber: String, crisisLine: String, crisisNumber: String,
    aliases: [String] = [], crisisText: String? = nil, place: String? = nil,
    names: [String] = [], numberText: String? = nil
  ) {
    self.code = code
    self.emergencyNumber = emergencyNumber
    self.crisisLine = crisisLine
    self.crisisNumber = crisisNumber
    self.aliases = aliases
    self.crisisText = crisisText
    self.place = place
    self.names = names
    self.numberText = numberText
  }

  /// Reads a region from `regions.yaml`, where `aliases` may be left out.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    code = try c.decode(String.self, forKey: .code)
    emergencyNumber = try c.decode(String.self, forKey: .emergencyNumber)
    crisisLine = try c.decode(String.self, forKey: .crisisLine)
    crisisNumber = try c.decode(String.self, forKey: .crisisNumber)
    aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
    crisisText = try c.decodeIfPresent(String.self, forKey: .crisisText)
    place = try c.decodeIfPresent(String.self, forKey: .place)
    names = try c.decodeIfPresent([String].self, forKey: .names) ?? []
    numberText = try c.decodeIfPresent(String.self, forKey: .numberText)
  }
}

/// The numbers an escalation tells a person to call, which depend on where they are.
///
/// Read from `Intents/regions.yaml`; chosen with `--region` (default `us`).
public struct Region: Codable, Hashable, Sendable {
  /// The region code: `us`, `uk`, `eu`, `au`.
  public var code: String
  /// The emergency number, for example `911`.
  public var emergencyNumber: String
  /// A crisis line for thoughts of self-harm, as a sentence a person reads, for example
  /// `the 988 Suicide & Crisis Lifeline (call or text 988)`.
  public var crisisLine: String
  /// The crisis line's number as digits only (`988`, `116123`), so a front end can make it a
  /// `tel:` link: the sentence in ``crisisLine`` is for reading, not for dialling.
  public var crisisNumber: String

  private enum CodingKeys: String, CodingKey {
    case code
    case emergencyNumber = "emergency_number"
    case crisisLine = "crisis_line"
    case crisisNumber = "crisis_number"
  }

  /// Creates a region.
  public init(code: String, emergencyNumber: String, crisisLine: String, crisisNumber: String) {
    self.code = code
    self.emergencyNumber = emergencyNumber
    self.crisisLine = crisisLine
    self.crisisNumber = crisisNumber
  }
}

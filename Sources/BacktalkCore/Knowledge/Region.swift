/// The numbers an escalation tells a person to call, which depend on where they are.
///
/// Read from `Intents/regions.yaml`; chosen with `--region` (default `us`).
public struct Region: Codable, Hashable, Sendable {
  /// The region code: `us`, `uk`, `eu`, `au`.
  public var code: String
  /// The emergency number, for example `911`.
  public var emergencyNumber: String
  /// A crisis line for thoughts of self-harm, for example `988 (call or text)`.
  public var crisisLine: String

  private enum CodingKeys: String, CodingKey {
    case code
    case emergencyNumber = "emergency_number"
    case crisisLine = "crisis_line"
  }

  /// Creates a region.
  public init(code: String, emergencyNumber: String, crisisLine: String) {
    self.code = code
    self.emergencyNumber = emergencyNumber
    self.crisisLine = crisisLine
  }
}

/// The slots of the guided intake (`../shared/spec/intents.md`).
public enum SlotName: String, CaseIterable, Codable, Hashable, Sendable, Comparable {
  /// `upper`, `middle` or `lower`.
  case location
  /// How long the pain has lasted, in days.
  case durationDays = "duration_days"
  /// 0-10.
  case severity
  /// `posture`, `lifting`, `injury`, `stress` or `unknown`.
  case trigger
  /// Numbness, tingling or weakness that is not sudden and severe.
  case nerveSymptoms = "nerve_symptoms"
  /// `pregnant`, `senior`, `desk_worker` or `none`.
  case population

  /// Orders slots as the catalogue lists them.
  public static func < (a: SlotName, b: SlotName) -> Bool {
    allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
  }
}

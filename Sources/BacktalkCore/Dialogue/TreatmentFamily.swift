/// A family of treatments whose kinds a question may ask for ("what injection options are
/// there?"), read once from `settings.yaml` (`family_NAME_words`, `family_NAME_topics`,
/// `family_NAME_name`) rather than on every message that asks for kinds.
struct TreatmentFamily: Sendable {
  /// The family's key in `settings.yaml`.
  let name: String
  /// What the reply calls the family ("injections").
  let spokenName: String
  /// Words that name the family in a message.
  let words: Set<String>
  /// The intents of its kinds, in order.
  let members: [String]
  /// Whether refusing the family by name refuses every kind of it (`avoid_families`: "no
  /// injections" is every injection, "not an operation" is not every procedure).
  let refusedWhole: Bool
}

/// What the person says they are allergic to, or cannot take, and the replies that name it.
///
/// "I'm allergic to ibuprofen" three turns before "what can I take for it?" must not be met
/// with a paragraph that recommends ibuprofen without a word. Allergens are as many as the
/// things people react to, so the person's own words after "allergic to", "can't take" or
/// "intolerant to" are kept, and any later reply whose text names one says so first.
extension Assistant {
  /// The allergens a message states ("allergic to ibuprofen and aspirin", "I can't take
  /// NSAIDs", "lavender allergy"): the content words the `allergy` cues lead to, up to the end
  /// of the clause or a joining word.
  func statedAllergies(_ tokens: [String]) -> [String] {
    guard let cues = cueSets["allergy"] else { return [] }
    var found: [String] = []
    for (_, range) in cues.matches(in: tokens) {
      // "Lavender allergy": the word before the cue.
      if let last = range.last, tokens[last].hasPrefix("allerg"), range.count == 1,
        range.lowerBound > 0, isAllergen(tokens[range.lowerBound - 1])
      {
        found.append(tokens[range.lowerBound - 1])
        continue
      }
      var k = range.upperBound
      var taken = 0
      while k < tokens.count, taken < Self.allergenWords, !TextNormalizer.isBreak(tokens[k]) {
        let word = tokens[k]
        k += 1
        if Self.allergenJoiners.contains(word) { continue }
        if Self.allergenStops.contains(word) { break }
        if isAllergen(word) { found.append(word) }
        taken += 1
      }
    }
    return found
  }

  /// Whether a word can name an allergen: long enough, and not a word of the sentence's
  /// grammar ("it", "the").
  func isAllergen(_ word: String) -> Bool {
    word.count >= Self.allergenLetters && !Self.allergenStops.contains(word)
      && !Self.allergenJoiners.contains(word) && Int(word) == nil
  }

  /// A reply that names something the person is allergic to says so first, once per reply.
  func allergyNote(_ reply: inout Reply, profile: Profile) {
    guard !profile.allergies.isEmpty, [.answer, .plan].contains(reply.kind),
      let note = settings.messages["allergy_noted"]
    else { return }
    let words = Set(
      reply.text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(
        String.init))
    let named = profile.allergies.filter { allergen in
      words.contains(allergen) || words.contains(allergen + "s")
    }
    guard let first = named.first else { return }
    reply.text = fill(note, extra: ["allergen": first]) + "\n\n" + reply.text
  }

  /// How many words after an allergy cue may name allergens.
  static let allergenWords = 4
  /// The shortest allergen name kept ("nuts" is the shortest common one).
  static let allergenLetters = 4
  /// Words that join allergens ("ibuprofen and aspirin", "ibuprofen or aspirin").
  static let allergenJoiners: Set<String> = ["and", "or", "also", "both", "any", "all", "too"]
  /// Words that end the list of allergens ("allergic to ibuprofen so what can I take").
  static let allergenStops: Set<String> = [
    "so", "but", "what", "which", "how", "can", "could", "should", "is", "are", "it", "that",
    "this", "the", "them", "they", "stuff", "things", "thing", "kind", "kinds", "type", "types",
    "lot", "bit", "really", "very", "quite", "because", "when", "if", "then", "now", "just",
    "most", "some", "certain", "from", "with", "without", "have", "been", "anything", "other",
  ]
}

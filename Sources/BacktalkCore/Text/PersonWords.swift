/// The words that name someone other than the writer ("my wife", "she", "my neighbour").
///
/// Whose sign it is (the safety layers), whose condition or pregnancy (the profile) and whose
/// fall an "about 2 weeks ago" dates (the slot extractor) are the same question: one list, so
/// the three readings agree.
enum PersonWords {
  /// Someone else: family, friends, people at work, and the third person.
  static let others: Set<String> = [
    "mom", "mum", "mother", "dad", "father", "wife", "husband", "partner", "friend", "mate",
    "son", "daughter", "sister", "brother", "nan", "gran", "grandma", "grandad", "grandpa",
    "grandmother", "grandfather", "aunt", "uncle", "he", "she", "his", "her", "boyfriend",
    "girlfriend", "colleague", "neighbor", "neighbour", "cousin", "niece", "nephew", "fiance",
    "fiancee", "flatmate", "housemate", "roommate", "coworker", "boss", "child", "kid", "teenager",
    "shes", "hes",
  ]
}

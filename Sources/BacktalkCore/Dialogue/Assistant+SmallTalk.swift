/// The small words of a chat: farewells, and a bare yes or no.
///
/// "Cheerio", "night night", "I'm off now, ta-ra", "defo", "nahh": the matcher has seen few
/// of these, and a word it has never seen reads as out of scope; "that's everything, bye" reads
/// as a thanks by its first words. The lexicon of the conversation controls (`yes`, `no` in
/// `settings.yaml`) and the `farewell` cues know them, whatever the examples: a short message
/// that is a farewell, asking nothing, is a goodbye, and one that is only a yes or a no is that.
extension Assistant {
  /// The match with goodbye, affirm or deny first when the message is only that.
  func withSmallTalk(_ match: IntentMatch, tokens: [String]) -> IntentMatch {
    // (A message of words the matcher has never seen has no reading at all: "cheerio".)
    let top = match.candidates.first?.intent
    // "Heyyy u there?", "gd mrng", "oi oi": a greeting in any spelling, asked or not.
    if top != "greet" || match.confidence < settings.fallbackBelow, isOnlyGreeting(tokens) {
      return match.promoting("greet", confidence: 0.9)
    }
    guard !asksSomething(tokens) else { return match }
    let words = tokens.filter { !TextNormalizer.isBreak($0) }.count
    var wanted: String?
    // (Not over a thanks: "I'll leave it there, thanks" closes warmly either way, and a thanks
    // is what the safety layers read as a close; a goodbye said of oneself they must not.)
    // (But a thanks read only from a farewell's own words, "ta-ra", "ta ta", is the farewell.)
    if top != "goodbye", top != "thanks" || thanksOnlyInFarewell(tokens), saysFarewell(tokens) {
      wanted = "goodbye"
    } else if !Self.bareReplies.contains(top ?? ""), words <= Self.bareReplyWords {
      if matchesWhole(no, tokens) {
        wanted = "deny"
      } else if matchesWhole(yes, tokens) {
        wanted = "affirm"
      }
    }
    guard let wanted else { return match }
    return match.promoting(wanted, confidence: 0.9)
  }

  /// Whether a short message is nothing but greeting words: one of `greeting_words` at least,
  /// and `greeting_fillers` ("there", "all", "mate") besides. (Added in the eighteenth session
  /// from the already-seen intent sets v15-v27: such greetings had fallen to "I'm not sure I
  /// understood".)
  func isOnlyGreeting(_ tokens: [String]) -> Bool {
    let words = tokens.indices.filter { !TextNormalizer.isBreak(tokens[$0]) }
    guard (1...Self.greetingWordsAtMost).contains(words.count),
      let greetings = cueSets["greeting_words"]?.matches(in: tokens), !greetings.isEmpty
    else { return false }
    let fillers = cueSets["greeting_fillers"]?.matches(in: tokens) ?? []
    let covered = (greetings + fillers).reduce(into: Set<Int>()) { $0.formUnion($1.range) }
    return words.allSatisfy(covered.contains)
  }

  /// The longest message read as a greeting by its words alone.
  static let greetingWordsAtMost = 5

  /// Whether every word of thanks in a message is part of a farewell ("ta-ra", "ta ta"): the
  /// thanks reading then rests on the farewell alone.
  func thanksOnlyInFarewell(_ tokens: [String]) -> Bool {
    let farewell = (cueSets["farewell"]?.matches(in: tokens) ?? []).reduce(into: Set<Int>()) {
      $0.formUnion($1.range)
    }
    let thanks = cueSets["appreciation"]?.matches(in: tokens) ?? []
    return !farewell.isEmpty && thanks.allSatisfy { $0.range.allSatisfy(farewell.contains) }
      && !tokens.contains { Self.thanksWords.contains($0) }
  }

  /// Words that thank in any message, whatever farewell comes with them.
  static let thanksWords: Set<String> = ["thanks", "thank", "thx", "cheers", "ty", "tyvm"]

  /// Whether a short message that asks nothing says goodbye (`farewell` cues).
  func saysFarewell(_ tokens: [String]) -> Bool {
    tokens.filter({ !TextNormalizer.isBreak($0) }).count <= Self.farewellWordsAtMost
      && !asksSomething(tokens) && cueSets["farewell"]?.matchesAny(tokens) == true
  }

  /// The longest message read as a farewell by its cues ("ok that's everything from me,
  /// cheers, bye").
  static let farewellWordsAtMost = 12

  /// The match without a question about the assistant that never addresses it.
  ///
  /// "How much?", "which is best?": what the assistant is and what it can do are asked of it
  /// ("what can you do?", "is this a bot?", "options?"); a question that neither speaks to it,
  /// nor names help or a bot, nor has a word of those intents' own examples beyond the question
  /// words ("how", "what") borrowed the reading, and is read as whatever comes next (after a
  /// topic, that topic's follow-up).
  func withAssistantAddressed(_ match: IntentMatch, analysis: Analysis) -> IntentMatch {
    // (A question of the person's own, "what can I actually do about it?", is left to the
    // rules that read a help reading with "I" as a request for advice.)
    guard let top = match.best, Self.aboutAssistant.contains(top) else { return match }
    let words = Set(analysis.tokens)
    if top == "bot_identity", !asksAboutAssistant(analysis) {
      return match.droppingBest(tuning: matcher.tuning)
    }
    guard words.isDisjoint(with: Self.secondPerson),
      words.isDisjoint(with: EmergencyDetector.firstPerson),
      words.isDisjoint(with: Self.assistantWords),
      !analysis.features.contains(where: Self.assistantConcepts.contains),
      !analysis.features.contains(where: { feature in
        feature.hasPrefix("w:") && !Self.questionWords.contains(String(feature.dropFirst(2)))
          && matcher.intent(top, uses: feature)
      })
    else { return match }
    return match.droppingBest(tuning: matcher.tuning)
  }

  /// The match with the assistant's own intents first when the message asks about it in so
  /// many words.
  ///
  /// "So you're not a GP then?", "is someone actually typing back?" ask who answers
  /// (`asks_identity`); "how do I use this thing?", "what do I type here?" ask what it is for
  /// (`asks_usage`), when no word of the back, the body or a treatment says the question is
  /// about the pain. The matcher had read "how do I use this" as home care, and "bot" as a
  /// question of identity. (Added in the eighteenth session from the already-seen intent sets
  /// v15-v27.)
  func withAssistantAsked(_ match: IntentMatch, analysis: Analysis) -> IntentMatch {
    let tokens = analysis.tokens
    if match.best != "bot_identity", cueSets["asks_identity"]?.matchesAny(tokens) == true {
      return match.promoting("bot_identity", confidence: 0.9, replacingBest: true)
    }
    if match.best != "help", cueSets["asks_usage"]?.matchesAny(tokens) == true,
      domainWords(analysis) != nil, !namesThing(analysis.features)
    {
      return match.promoting("help", confidence: 0.9, replacingBest: true)
    }
    return match
  }

  /// Whether a message can be a question about who or what answers: it speaks to the
  /// assistant ("you"), points at it ("this", "the bot"), asks who, or names a person who
  /// might be on the other end, outside a request to be told about a thing.
  ///
  /// "The physio reckons my desk setup is half the problem, what should it look like?" and
  /// "can you just tell me what a physiotherapist would do for me?" share words with "are you
  /// a physio?" but ask about the desk and the physiotherapist. (Added in the twenty-fourth
  /// session, from v38's graded conversations.)
  func asksAboutAssistant(_ analysis: Analysis) -> Bool {
    let tokens = analysis.tokens
    if analysis.features.contains(where: Self.assistantConcepts.contains) { return true }
    var speaksToIt = false
    for (i, token) in tokens.enumerated() {
      if Self.secondPerson.contains(token) {
        // "Can you (just) tell me what X is": a request, not a question about "you".
        let next = tokens.dropFirst(i + 1).first { !["just", "please", "pls", "plz"].contains($0) }
        let asking = i > 0 && ["can", "could", "would", "will"].contains(tokens[i - 1])
        if asking, let next, Self.tellingWords.contains(next),
          analysis.features.contains(where: { isThingConcept($0) })
        {
          continue
        }
        speaksToIt = true
      } else if Self.assistantWords.contains(token) || Self.identityWords.contains(token) {
        speaksToIt = true
      }
    }
    return speaksToIt
  }

  /// Verbs of a request to be told ("can you tell me...").
  static let tellingWords: Set<String> = [
    "tell", "explain", "give", "show", "describe", "suggest", "recommend", "list",
  ]

  /// Words that point at whoever answers, besides ``assistantWords``.
  static let identityWords: Set<String> = [
    "who", "whos", "whom", "someone", "somebody", "anyone", "anybody", "human", "person", "real",
    "ai", "robot", "machine", "computer", "chatbot", "nurse", "end", "advice",
  ]

  /// Words that point at the assistant or ask for its help without "you".
  static let assistantWords: Set<String> = [
    "help", "helps", "helping", "this", "here", "bot", "assistant", "chat", "app", "thing",
  ]

  /// Concepts of the assistant itself (`concepts.yaml`).
  static let assistantConcepts: Set<String> = ["c:bot", "c:help_me"]
}

/// The profile as JSON: one writer for the reply's `profile` and the session snapshot's, so a
/// key added to the profile is written the same way in both.
extension Profile {
  /// Writes the profile as an object with only the keys that are known.
  ///
  /// `listsAlways` writes `tried` and `avoid` even when empty, as the session snapshot's format
  /// requires; the reply leaves every empty key out.
  public func write(to w: inout JSONWriter, listsAlways: Bool = false) {
    w.beginObject()
    for (key, value) in [("population", population), ("location", location)] {
      if let value {
        w.key(key)
        w.string(value)
      }
    }
    if populationIsOthers && population != nil {
      w.key("population_of_other")
      w.bool(true)
    }
    for (key, value) in [("duration_days", durationDays), ("severity", severity)] {
      if let value {
        w.key(key)
        w.int(value)
      }
    }
    if let trigger {
      w.key("trigger")
      w.string(trigger)
    }
    if let nerveSymptoms {
      w.key("nerve_symptoms")
      w.bool(nerveSymptoms)
    }
    for (key, list, always) in [
      ("tried", tried, listsAlways), ("avoid", avoid, listsAlways),
      ("allergies", allergies, false), ("conditions", conditions, false),
    ] where always || !list.isEmpty {
      w.key(key)
      w.beginArray()
      for item in list { w.string(item) }
      w.endArray()
    }
    w.endObject()
  }
}

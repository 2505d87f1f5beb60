package org.civicbot.bot;

import org.civicbot.knowledge.Language;

import java.util.Objects;
import java.util.Set;

/**
 * What the citizen's channel can do right now beyond showing or speaking a reply, so the engine can choose the
 * dialogue's next step: a phone call can text the caller, put the call through to a person (when someone takes
 * calls) or take a callback request; a chat window can do none of these.
 *
 * @param voice       the citizen hears the replies (a phone call): the engine speaks its offers and understands
 *                    "repeat" and a language's name
 * @param textMessage an answer can be sent to the citizen by text message
 * @param transfer    a person can take the citizen over now (a queue number, within opening hours)
 * @param callback    the citizen can be called back on the number they call from
 * @param languages   the languages the channel understands the citizen in (a phone line: its speech models)
 */
public record ChannelAbilities(boolean voice, boolean textMessage, boolean transfer, boolean callback,
                               Set<Language> languages) {
  /** A screen: the citizen reads the replies and the channel does nothing else. */
  public static final ChannelAbilities SCREEN = new ChannelAbilities(false, false, false, false,
      Set.of(Language.values()));

  public ChannelAbilities {
    languages = Set.copyOf(Objects.requireNonNull(languages, "languages"));
  }
}

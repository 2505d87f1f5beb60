package org.civicbot.bot;

import org.civicbot.knowledge.Language;

import java.util.Locale;
import java.util.Optional;

/**
 * Something a channel noticed that is not a message in words: the caller's silence, a key pressed, speech that could
 * not be made out, or how a {@link ChannelAction} went. The engine stores it in the conversation's log and answers
 * it like a message.
 */
public enum Signal {
  /** The caller said nothing for a while. */
  SILENCE,
  /** The caller spoke, but no word could be made out. */
  NOT_UNDERSTOOD,
  /** The caller pressed 1: Danish. */
  CHOSE_DANISH,
  /** The caller pressed 2: English. */
  CHOSE_ENGLISH,
  /** The answer was sent by text message. */
  TEXT_MESSAGE_SENT,
  /** The text message could not be sent. */
  TEXT_MESSAGE_FAILED,
  /** The call could not be put through to a person. */
  TRANSFER_FAILED,
  /** The callback request could not be stored. */
  CALLBACK_FAILED,
  /** Nothing the caller says can be heard (the speech recognizer failed). */
  CANNOT_LISTEN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The language a key chose, if this is such a signal. */
  public Optional<Language> chosenLanguage() {
    return switch (this) {
      case CHOSE_DANISH -> Optional.of(Language.DA);
      case CHOSE_ENGLISH -> Optional.of(Language.EN);
      default -> Optional.empty();
    };
  }
}

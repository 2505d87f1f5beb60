/**
 * Audio of the phone channel, without dependencies: G.711 mu-law as Twilio Media Streams carry it, 16-bit PCM bytes
 * as recognizers take them, and band-limited sample-rate conversion between the call, the recognizer and the voice.
 */
package org.civicbot.channels.phone.audio;

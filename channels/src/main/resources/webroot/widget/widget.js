/*
 * CivicBot web chat widget.
 *
 * Embed with one tag:
 *   <script src="https://HOST/widget/widget.js" data-tenant="eksempel" data-lang="da" defer></script>
 * Optional: data-open="true" (panel open at load), data-api="https://..." (API base; default: this script's origin).
 *
 * Plain ES2019, no dependencies. Everything lives inside <div id="civicbot-widget">; the only global is
 * window.CivicBotWidget = { open(), close() }.
 *
 * Security: only the server's already sanitized `html` of a reply (and of a staff message) is inserted as HTML.
 * Citizen text, suggestions, titles, error messages and everything else go in as text nodes.
 */
(() => {
  'use strict';

  // Loaded twice on the same page? Keep the first one.
  if (window.CivicBotWidget || document.getElementById('civicbot-widget')) {
    return;
  }

  // document.currentScript is only set while this file first runs, so read it now, before anything async.
  const script = document.currentScript || document.querySelector('script[src*="widget/widget.js"]');
  const config = readConfig(script);
  if (!config) {
    return;
  }

  const MAX_LENGTH = 2000; // the server's limit for a citizen message (UTF-16 code units, like maxlength)
  const COUNTER_FROM = 200; // show "n characters left" from this many left
  const REQUEST_TIMEOUT_MS = 60000;
  const PING_INTERVAL_MS = 25000;
  const KEY_CONVERSATION = `civicbot:${config.tenant}:conversation`;
  const KEY_OPEN = `civicbot:${config.tenant}:open`;
  const KEY_TEASER = `civicbot:${config.tenant}:teaser`;
  const QUEUE_POLL_MS = 15000;
  const KEY_VISITOR = `civicbot:${config.tenant}:visitor`;

  const TEXTS = {
    da: {
      launcher: 'Chat med os',
      teaser: 'Har du et spørgsmål? Spørg os i chatten.',
      hideTeaser: 'Skjul',
      unread: 'ny besked',
      unreadAnnouncement: 'Ny besked fra en medarbejder i chatten.',
      title: 'Eksempel Kommune – chat',
      subtitle: 'Automatisk assistent',
      close: 'Luk chatten',
      log: 'Samtale med CivicBot',
      inputLabel: 'Skriv dit spørgsmål',
      placeholder: 'Skriv dit spørgsmål …',
      send: 'Send',
      person: 'Tal med en medarbejder',
      end: 'Afslut chatten',
      ended: 'Chatten er afsluttet. Tak fordi du skrev. Skriv igen, hvis du vil starte en ny.',
      typing: 'CivicBot skriver …',
      you: 'Du skrev:',
      bot: 'CivicBot',
      agent: 'Medarbejder',
      withAgent: (n) => `${n}, Borgerservice`,
      joined: (n) => `${n} fra Borgerservice har overtaget chatten.`,
      left: (n) => `${n} har forladt chatten. CivicBot svarer igen.`,
      closedBy: (n) => `${n} har afsluttet chatten. Tak fordi du skrev.`,
      source: (n) => (n > 1 ? 'Kilder:' : 'Kilde:'),
      newTab: '(åbner i et nyt vindue)',
      suggestions: 'Forslag til spørgsmål',
      related: 'Du kan også spørge om',
      wholeGuide: 'Læs hele vejledningen',
      leaveMessage: 'Læg en besked',
      downloadTranscript: 'Hent samtalen som tekstfil',
      agentTyping: (n) => `${n} skriver …`,
      queuePlace: (n, minutes) => (n === 1 ? 'Du er den næste i køen.' : `Du er nummer ${n} i køen.`)
        + (minutes ? ` Ventetiden er typisk ${minutes === 1 ? '1 minut' : `${minutes} minutter`}.` : ''),
      leaveMessageText: 'Din besked',
      leaveEmail: 'E-mailadresse',
      leavePhone: 'Telefonnummer',
      leaveCallBack: 'Ring mig op i stedet for at skrive',
      leaveHint: 'Skriv mindst én måde, vi kan kontakte dig på. Vi bruger den kun til at svare dig.',
      leaveSend: 'Send beskeden',
      leaveNeedText: 'Skriv din besked.',
      leaveNeedContact: 'Skriv en e-mailadresse eller et telefonnummer.',
      leaveSaved: 'Tak, din besked er gemt. En medarbejder kontakter dig, når vi er tilbage.',
      leaveNotSent: 'Din besked blev ikke sendt.',
      pasteCut: (n) => `Din tekst var for lang og er skåret ned til ${n} tegn.`,
      cprRemoved: 'Vi har fjernet dit CPR-nummer fra beskeden. Skriv det aldrig her.',
      feedbackQuestion: 'Fik du svar på dit spørgsmål?',
      yes: 'Ja',
      no: 'Nej',
      thanks: 'Tak for din feedback',
      charsLeft: (n) => (n === 1 ? '1 tegn tilbage' : `${n} tegn tilbage`),
      notSent: 'Din besked blev ikke sendt.',
      kept: 'Teksten står stadig i feltet, så du kan prøve igen.',
      feedbackNotSent: 'Din feedback blev ikke sendt.',
      startFailed: 'Chatten kunne ikke starte.',
      restoreFailed: 'Samtalen kunne ikke hentes.',
      expired: 'Samtalen var udløbet, så vi har startet en ny. Send gerne dit spørgsmål igen.',
      network: 'Der er ingen forbindelse til chatten lige nu. Tjek din internetforbindelse, og prøv igen.',
      genericError: 'Der skete en fejl.',
      serverError: 'Der skete en fejl hos os.',
      statusText: {
        400: 'Beskeden kunne ikke behandles.',
        409: 'Samtalen er ændret i mellemtiden.',
        413: 'Beskeden er for lang.',
        415: 'Beskeden kunne ikke behandles.',
        429: 'Du har sendt mange beskeder på kort tid.',
        503: 'Chatten har travlt lige nu.',
      },
      retryIn: (n) => (n === 1 ? 'Prøv igen om 1 sekund.' : `Prøv igen om ${n} sekunder.`),
      retry: 'Prøv igen',
    },
    en: {
      launcher: 'Chat with us',
      teaser: 'Have a question? Ask us in the chat.',
      hideTeaser: 'Hide',
      unread: 'new message',
      unreadAnnouncement: 'New message from a member of staff in the chat.',
      title: 'Eksempel Municipality – chat',
      subtitle: 'Automated assistant',
      close: 'Close the chat',
      log: 'Conversation with CivicBot',
      inputLabel: 'Type your question',
      placeholder: 'Type your question …',
      send: 'Send',
      person: 'Talk to a person',
      end: 'End chat',
      ended: 'The chat has ended. Thank you for writing. Write again to start a new one.',
      typing: 'CivicBot is typing …',
      you: 'You wrote:',
      bot: 'CivicBot',
      agent: 'Staff',
      withAgent: (n) => `${n}, Citizen Service`,
      joined: (n) => `${n} from Citizen Service has joined the chat.`,
      left: (n) => `${n} has left the chat. CivicBot answers again.`,
      closedBy: (n) => `${n} has closed the chat. Thank you for writing.`,
      source: (n) => (n > 1 ? 'Sources:' : 'Source:'),
      newTab: '(opens in a new window)',
      suggestions: 'Suggested questions',
      related: 'You can also ask about',
      wholeGuide: 'Read the whole guide',
      leaveMessage: 'Leave a message',
      downloadTranscript: 'Download the conversation as a text file',
      agentTyping: (n) => `${n} is typing …`,
      queuePlace: (n, minutes) => (n === 1 ? 'You are next in the queue.' : `You are number ${n} in the queue.`)
        + (minutes ? ` The wait is usually about ${minutes === 1 ? '1 minute' : `${minutes} minutes`}.` : ''),
      leaveMessageText: 'Your message',
      leaveEmail: 'E-mail address',
      leavePhone: 'Phone number',
      leaveCallBack: 'Call me back instead of writing',
      leaveHint: 'Give at least one way to contact you. We only use it to answer you.',
      leaveSend: 'Send the message',
      leaveNeedText: 'Write your message.',
      leaveNeedContact: 'Give an e-mail address or a phone number.',
      leaveSaved: 'Thank you, your message is saved. A member of staff will contact you when we are back.',
      leaveNotSent: 'Your message was not sent.',
      pasteCut: (n) => `Your text was too long and has been cut to ${n} characters.`,
      cprRemoved: 'We removed your CPR number from the message. Never write it here.',
      feedbackQuestion: 'Did this answer your question?',
      yes: 'Yes',
      no: 'No',
      thanks: 'Thanks for your feedback',
      charsLeft: (n) => (n === 1 ? '1 character left' : `${n} characters left`),
      notSent: 'Your message was not sent.',
      kept: 'Your text is still in the box, so you can try again.',
      feedbackNotSent: 'Your feedback was not sent.',
      startFailed: 'The chat could not start.',
      restoreFailed: 'The conversation could not be loaded.',
      expired: 'The conversation had expired, so we have started a new one. Please send your question again.',
      network: 'The chat cannot be reached right now. Check your internet connection and try again.',
      genericError: 'Something went wrong.',
      serverError: 'Something went wrong on our side.',
      statusText: {
        400: 'The message could not be processed.',
        409: 'The conversation has changed in the meantime.',
        413: 'The message is too long.',
        415: 'The message could not be processed.',
        429: 'You have sent many messages in a short time.',
        503: 'The chat is busy right now.',
      },
      retryIn: (n) => (n === 1 ? 'Please try again in 1 second.' : `Please try again in ${n} seconds.`),
      retry: 'Try again',
    },
  };

  const state = {
    lang: config.lang, // the UI language; follows the language of the bot's replies
    conversationId: null,
    conversationPromise: null, // a start or restore in progress
    started: false, // the first open has begun loading a conversation
    busy: false, // a message is on its way: no second one until it is answered
    typing: 0, // requests that show the typing indicator
    agent: null, // the display name of the person holding the conversation, while one does
    inerted: [], // the page's elements made inert while the panel covers them
    forPerson: false, // waiting for a person or talking to one
    offHours: false, // nobody is in: the citizen was offered to leave a message
    queueTimer: 0,
    queueRun: null,
    idCounter: 0,
  };

  // ---------------------------------------------------------------------------------------------------------------
  // Configuration and small helpers
  // ---------------------------------------------------------------------------------------------------------------

  function readConfig(el) {
    try {
      const src = el && el.src ? el.src : new URL('/widget/widget.js', window.location.href).href;
      const data = (el && el.dataset) || {};
      const api = data.api ? new URL(data.api, window.location.href).href : new URL(src).origin;
      return {
        tenant: (data.tenant || 'eksempel').trim() || 'eksempel',
        lang: normaliseLang(data.lang, 'da'),
        openAtLoad: data.open === 'true',
        api: api.replace(/\/+$/, ''),
        css: new URL('widget.css', src).href,
      };
    } catch (e) {
      // An unparsable data-api or src: without a server there is nothing useful to show.
      return null;
    }
  }

  function normaliseLang(value, fallback) {
    const v = String(value || '').toLowerCase();
    if (v.startsWith('en')) {
      return 'en';
    }
    if (v.startsWith('da')) {
      return 'da';
    }
    return fallback;
  }

  function t(lang) {
    return TEXTS[lang || state.lang] || TEXTS.da;
  }

  function nextId(prefix) {
    state.idCounter += 1;
    return `${prefix}-${state.idCounter}`;
  }

  // sessionStorage can be missing or throw (privacy settings, sandboxed frames); the widget then just forgets.
  function storageGet(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function storageSet(key, value) {
    try {
      window.sessionStorage.setItem(key, value);
    } catch (e) {
      // ignore
    }
  }

  function storageRemove(key) {
    try {
      window.sessionStorage.removeItem(key);
    } catch (e) {
      // ignore
    }
  }

  /**
   * A random id for this browser, kept in localStorage: the server stores only a hash of it, to tell when a citizen
   * comes back within a day with the same question (the earlier answer did not help after all). Never a person's
   * identity; absent when storage is blocked.
   */
  function visitorId() {
    try {
      let id = window.localStorage.getItem(KEY_VISITOR);
      if (!id) {
        const bytes = new Uint8Array(16);
        window.crypto.getRandomValues(bytes);
        id = Array.prototype.map.call(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
        window.localStorage.setItem(KEY_VISITOR, id);
      }
      return id;
    } catch (e) {
      return undefined;
    }
  }

  /** Creates an element; attributes are set as attributes, `text` as textContent (never as HTML). */
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach((name) => {
        const value = attrs[name];
        if (value === null || value === undefined || value === false) {
          return;
        }
        if (name === 'text') {
          node.textContent = String(value);
        } else if (name === 'className') {
          node.className = value;
        } else {
          node.setAttribute(name, value === true ? '' : String(value));
        }
      });
    }
    (children || []).forEach((child) => {
      if (child) {
        node.appendChild(child);
      }
    });
    return node;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';

  /** A decorative stroked icon, hidden from assistive technology. */
  function icon(pathData, className) {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '24');
    svg.setAttribute('height', '24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', className);
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', pathData);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '2');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(path);
    return svg;
  }

  function srOnly(text) {
    return el('span', { className: 'civicbot-sr-only', text });
  }

  /** The URL if it is an absolute http(s) URL, else null. */
  function httpUrl(value) {
    if (typeof value !== 'string' || !value.trim()) {
      return null;
    }
    try {
      const url = new URL(value.trim());
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The DOM
  // ---------------------------------------------------------------------------------------------------------------

  const ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';
  const ICON_CLOSE = 'M6 6l12 12M18 6L6 18';

  const ui = {};

  function build() {
    // Hidden until the stylesheet has loaded, so the host page never shows an unstyled widget.
    ui.root = el('div', { id: 'civicbot-widget', hidden: true, lang: state.lang });

    ui.launcherText = el('span', { className: 'civicbot-launcher-text' });
    // The separator keeps the accessible name readable ("Chat med os, ny besked") without a visible comma.
    ui.badgeText = el('span');
    ui.badge = el('span', { className: 'civicbot-badge', hidden: true }, [srOnly(', '), ui.badgeText]);
    ui.launcher = el('button', {
      type: 'button',
      className: 'civicbot-launcher',
      'aria-expanded': 'false',
      'aria-controls': 'civicbot-panel',
    }, [icon(ICON_CHAT, 'civicbot-icon'), ui.launcherText, ui.badge]);

    // On a small screen a page that opens the chat at load shows this teaser instead of covering the page.
    ui.teaserOpen = el('button', { type: 'button', className: 'civicbot-teaser-open' });
    ui.teaserHide = el('button', { type: 'button', className: 'civicbot-teaser-hide' },
      [icon(ICON_CLOSE, 'civicbot-icon')]);
    ui.teaser = el('div', { className: 'civicbot-teaser', hidden: true }, [ui.teaserOpen, ui.teaserHide]);

    // Announces a staff reply while the panel is closed (the log itself is hidden then).
    ui.announcer = el('div', { className: 'civicbot-sr-only', role: 'status' });

    ui.title = el('h2', { id: 'civicbot-title', className: 'civicbot-title' });
    ui.subtitle = el('p', { className: 'civicbot-subtitle' });
    ui.close = el('button', { type: 'button', className: 'civicbot-close' }, [icon(ICON_CLOSE, 'civicbot-icon')]);
    const header = el('div', { className: 'civicbot-header' }, [
      el('div', { className: 'civicbot-heading' }, [ui.title, ui.subtitle]),
      ui.close,
    ]);

    // The citizen's place in the queue while they wait for a person.
    ui.queue = el('p', { className: 'civicbot-queue', role: 'status', hidden: true });

    // The log is the scrolling area; tabindex lets keyboard users scroll it.
    ui.log = el('div', {
      className: 'civicbot-log',
      role: 'log',
      'aria-live': 'polite',
      'aria-relevant': 'additions',
      tabindex: '0',
    });

    ui.label = el('label', { className: 'civicbot-sr-only', for: 'civicbot-input' });
    ui.input = el('textarea', {
      id: 'civicbot-input',
      className: 'civicbot-input',
      name: 'message',
      rows: '1',
      maxlength: String(MAX_LENGTH),
      autocomplete: 'off',
    });
    ui.send = el('button', { type: 'submit', className: 'civicbot-send' });
    ui.counter = el('p', { id: 'civicbot-counter', className: 'civicbot-counter', hidden: true });
    ui.form = el('form', { className: 'civicbot-form', novalidate: true }, [
      ui.label,
      el('div', { className: 'civicbot-compose' }, [ui.input, ui.send]),
      ui.counter,
    ]);
    ui.person = el('button', { type: 'button', className: 'civicbot-person' });
    ui.end = el('button', { type: 'button', className: 'civicbot-end' });
    const footer = el('div', { className: 'civicbot-footer' }, [ui.form,
      el('div', { className: 'civicbot-actions' }, [ui.person, ui.end])]);

    ui.panel = el('div', {
      id: 'civicbot-panel',
      className: 'civicbot-panel',
      role: 'dialog',
      'aria-modal': 'false',
      'aria-labelledby': 'civicbot-title',
      lang: state.lang,
      hidden: true,
    }, [header, ui.queue, ui.log, footer]);

    ui.root.appendChild(ui.teaser);
    ui.root.appendChild(ui.launcher);
    ui.root.appendChild(ui.panel);
    ui.root.appendChild(ui.announcer);
    refreshTexts();
    wireEvents();
    document.body.appendChild(ui.root);
    loadStylesheet();
  }

  function loadStylesheet() {
    let shown = false;
    const reveal = () => {
      if (!shown) {
        shown = true;
        ui.root.hidden = false;
        scrollToBottom();
      }
    };
    const link = el('link', { rel: 'stylesheet', href: config.css });
    link.addEventListener('load', reveal);
    link.addEventListener('error', reveal); // unstyled is better than invisible
    window.setTimeout(reveal, 5000);
    (document.head || document.documentElement).appendChild(link);
  }

  /** (Re)writes every UI text in the current language, e.g. after the citizen switched language. */
  function refreshTexts() {
    const T = t();
    ui.root.setAttribute('lang', state.lang);
    ui.panel.setAttribute('lang', state.lang);
    ui.launcherText.textContent = T.launcher;
    ui.teaserOpen.textContent = T.teaser;
    ui.teaserHide.setAttribute('aria-label', T.hideTeaser);
    ui.badgeText.textContent = T.unread;
    ui.title.textContent = T.title;
    ui.subtitle.textContent = state.agent ? T.withAgent(state.agent) : T.subtitle;
    ui.close.setAttribute('aria-label', T.close);
    ui.log.setAttribute('aria-label', T.log);
    ui.label.textContent = T.inputLabel;
    ui.input.setAttribute('placeholder', T.placeholder);
    ui.send.textContent = T.send;
    ui.person.textContent = T.person;
    ui.end.textContent = T.end;
    if (ui.typing) {
      ui.typingText.textContent = T.typing;
    }
    updateCounter();
  }

  function applyLang(lang) {
    const next = normaliseLang(lang, null);
    if (next && next !== state.lang) {
      state.lang = next;
      refreshTexts();
    }
    return state.lang;
  }

  function wireEvents() {
    ui.teaserOpen.addEventListener('click', () => open({ focus: true }));
    ui.teaserHide.addEventListener('click', () => {
      hideTeaser();
      ui.launcher.focus();
    });
    if (SMALL_SCREEN) {
      // the panel covers the page on a small screen: keep the page inert only while it does
      SMALL_SCREEN.addEventListener('change', () => setPageInert(!ui.panel.hidden && SMALL_SCREEN.matches));
    }
    ui.launcher.addEventListener('click', () => {
      if (ui.panel.hidden) {
        open({ focus: true });
      } else {
        close({ focus: false });
      }
    });
    ui.close.addEventListener('click', () => close({ focus: true }));
    // Escape closes the panel when the focus is in the widget, or nowhere (on the body) - not when the citizen
    // is using the host page, which may have its own use for Escape.
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.isComposing || event.defaultPrevented || ui.panel.hidden) {
        return;
      }
      const active = document.activeElement;
      if (!active || active === document.body || ui.root.contains(active)) {
        event.preventDefault();
        close({ focus: true });
      }
    });

    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = ui.input.value;
      if (!text.trim() || state.busy) {
        return;
      }
      const fromSendButton = document.activeElement === ui.send;
      sendText(text, true);
      if (fromSendButton) {
        ui.input.focus();
      }
    });

    // Enter sends, Shift+Enter makes a new line; not while an input method is composing a character.
    ui.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        if (typeof ui.form.requestSubmit === 'function') {
          ui.form.requestSubmit();
        } else {
          ui.form.dispatchEvent(new Event('submit', { cancelable: true }));
        }
      }
    });
    ui.input.addEventListener('input', () => {
      autosize();
      updateCounter();
      citizenTyping();
    });
    // the box holds at most MAX_LENGTH characters and the browser cuts a longer paste silently: say so
    ui.input.addEventListener('paste', (event) => {
      const pasted = event.clipboardData ? event.clipboardData.getData('text') : '';
      const kept = ui.input.value.length - (ui.input.selectionEnd - ui.input.selectionStart);
      if (kept + pasted.length > MAX_LENGTH) {
        appendNotice(t().pasteCut(MAX_LENGTH));
        scrollToBottom();
      }
    });

    ui.person.addEventListener('click', () => {
      sendText(t().person, false);
    });

    ui.end.addEventListener('click', (event) => {
      if (state.busy) {
        return;
      }
      endConversation().finally(() => refocusInput(event));
    });
  }

  /**
   * The citizen ends the chat: the server ends the conversation (and judges how it went), the widget forgets it and
   * says so; the next message starts a new conversation.
   */
  async function endConversation() {
    const id = state.conversationId || storageGet(KEY_CONVERSATION);
    if (id) {
      try {
        await request('POST', conversationPath(id, '/end'), {});
      } catch (error) {
        if (error.status !== 404) {
          showError(describeError(error), null);
          return;
        }
      }
    }
    closeSocket();
    storageRemove(KEY_CONVERSATION);
    state.conversationId = null;
    state.agent = null;
    setForPerson(false);
    ui.subtitle.textContent = t().subtitle;
    appendNote(t().ended);
    offerTranscript(id);
  }

  /** At the end, the conversation to keep: a text file of it as stored (personal data removed). */
  function offerTranscript(id) {
    if (!id) {
      return;
    }
    const link = el('a', {
      className: 'civicbot-transcript',
      href: `${config.api}${conversationPath(id, '/transcript.txt')}?lang=${state.lang}`,
      download: 'civicbot-chat.txt',
      text: t().downloadTranscript,
    });
    const note = el('div', { className: 'civicbot-msg civicbot-msg-bot civicbot-msg-transcript', lang: state.lang }, [
      el('p', { className: 'civicbot-text' }, [link]),
    ]);
    appendEntry(el('div', { className: 'civicbot-entry civicbot-entry-ended' }, [note]));
  }

  /** A short note from the chat itself in the log (the chat ended, a person joined or left). */
  function appendNote(text) {
    const note = el('div', { className: 'civicbot-msg civicbot-msg-bot civicbot-msg-ended', role: 'status',
      lang: state.lang }, [el('p', { className: 'civicbot-text', text })]);
    appendEntry(el('div', { className: 'civicbot-entry civicbot-entry-ended' }, [note]));
    scrollToBottom();
  }

  /** Grows the textarea with its content, up to a few lines (then it scrolls). */
  function autosize() {
    if (!ui.input.offsetParent) {
      ui.input.style.height = ''; // hidden: nothing to measure
      return;
    }
    ui.input.style.height = 'auto';
    ui.input.style.height = `${Math.min(ui.input.scrollHeight + 2, 160)}px`;
  }

  function updateCounter() {
    if (!ui.counter) {
      return;
    }
    const left = MAX_LENGTH - ui.input.value.length;
    if (left <= COUNTER_FROM) {
      ui.counter.textContent = t().charsLeft(Math.max(0, left));
      ui.counter.hidden = false;
      ui.counter.classList.toggle('civicbot-counter-limit', left <= 0);
      // Described only while visible: a description is read even from a hidden element.
      ui.input.setAttribute('aria-describedby', 'civicbot-counter');
    } else if (!ui.counter.hidden) {
      ui.counter.hidden = true;
      ui.input.removeAttribute('aria-describedby');
    }
  }

  /**
   * While the conversation waits for a person or one answers, "talk to a person" is hidden (there is nothing to ask
   * for); it returns when the bot answers again. A button that had the focus hands it to the input.
   */
  function setForPerson(forPerson) {
    if (forPerson && document.activeElement === ui.person) {
      ui.input.focus();
    }
    ui.person.hidden = forPerson;
    state.forPerson = forPerson;
    watchQueue();
  }

  /**
   * While the citizen waits for a person (in opening hours), their place in the queue and the usual wait, refreshed
   * every QUEUE_POLL_MS; gone once someone answers or the bot does again.
   */
  function watchQueue() {
    const watching = state.forPerson && !state.agent && !state.offHours && state.conversationId;
    if (!watching) {
      window.clearTimeout(state.queueTimer);
      state.queueTimer = 0;
      state.queueRun = null;
      ui.queue.hidden = true;
      ui.queue.textContent = '';
      return;
    }
    if (state.queueTimer) {
      return;
    }
    const run = {}; // this round of refreshes; a stop and a new start make another, and this one ends
    state.queueRun = run;
    const poll = () => {
      const id = state.conversationId;
      request('GET', conversationPath(id, '/queue')).then((place) => {
        if (id !== state.conversationId || !state.forPerson || state.agent) {
          return;
        }
        if (place.waiting === true && typeof place.position === 'number') {
          const text = t().queuePlace(place.position, place.typicalWaitMinutes);
          if (ui.queue.textContent !== text) {
            ui.queue.textContent = text; // a status: read out when it changes, not at every refresh
          }
          ui.queue.hidden = false;
        } else {
          ui.queue.hidden = true;
        }
      }).catch(() => {
        // the next refresh tries again; the conversation itself is unaffected
      }).finally(() => {
        if (state.queueRun === run) {
          state.queueTimer = window.setTimeout(poll, QUEUE_POLL_MS);
        }
      });
    };
    state.queueTimer = window.setTimeout(poll, 0);
  }

  function setBusy(busy) {
    state.busy = busy;
    // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
    [ui.send, ui.person, ui.end].forEach((button) => {
      if (busy) {
        button.setAttribute('aria-disabled', 'true');
      } else {
        button.removeAttribute('aria-disabled');
      }
    });
  }

  /**
   * Moves focus to the input after the control that had it disappeared, unless the control was tapped on a touch
   * screen (focusing the input would pop up the on-screen keyboard).
   */
  function refocusInput(event) {
    const tapped = event && event.detail > 0 && window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
    if (!tapped && !ui.panel.hidden) {
      ui.input.focus();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Open and close
  // ---------------------------------------------------------------------------------------------------------------

  /** Whether the panel covers the whole screen (a phone, or a very low window). */
  const SMALL_SCREEN = window.matchMedia ? window.matchMedia('(max-width: 480px), (max-height: 500px)') : null;

  /**
   * While the panel covers the page, the page behind it is inert (no focus, no clicks, hidden from screen readers)
   * and does not scroll; the elements this made inert are remembered, so ones the page made inert itself stay so.
   */
  function setPageInert(inert) {
    if (inert) {
      Array.prototype.forEach.call(document.body.children, (child) => {
        if (child !== ui.root && !child.inert && child.tagName !== 'SCRIPT') {
          child.inert = true;
          state.inerted.push(child);
        }
      });
      document.documentElement.classList.add('civicbot-page-covered');
    } else {
      state.inerted.forEach((child) => { child.inert = false; });
      state.inerted = [];
      document.documentElement.classList.remove('civicbot-page-covered');
    }
    ui.panel.setAttribute('aria-modal', inert ? 'true' : 'false');
  }

  function showTeaser() {
    ui.teaser.hidden = false;
  }

  function hideTeaser() {
    ui.teaser.hidden = true;
    storageSet(KEY_TEASER, 'hidden');
  }

  function open(options) {
    const focus = !options || options.focus !== false;
    ui.teaser.hidden = true;
    ui.panel.hidden = false;
    setPageInert(Boolean(SMALL_SCREEN && SMALL_SCREEN.matches));
    ui.launcher.setAttribute('aria-expanded', 'true');
    ui.root.classList.add('civicbot-open');
    setUnread(false);
    storageSet(KEY_OPEN, 'true');
    scrollToBottom();
    if (!state.started) {
      state.started = true;
      initConversation();
    }
    if (focus) {
      ui.input.focus();
    }
  }

  function close(options) {
    if (ui.panel.hidden) {
      return;
    }
    const focusWasInside = ui.panel.contains(document.activeElement);
    ui.panel.hidden = true;
    setPageInert(false);
    ui.launcher.setAttribute('aria-expanded', 'false');
    ui.root.classList.remove('civicbot-open');
    storageSet(KEY_OPEN, 'false');
    if ((options && options.focus) || focusWasInside) {
      ui.launcher.focus();
    }
  }

  function setUnread(unread) {
    ui.badge.hidden = !unread;
    ui.launcher.classList.toggle('civicbot-launcher-unread', unread);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Server API
  // ---------------------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, code, serverMessage, retryAfter) {
      super(serverMessage || code || `HTTP ${status}`);
      this.status = status; // 0: no response at all
      this.code = code;
      this.serverMessage = serverMessage;
      this.retryAfter = retryAfter; // seconds, or null
    }
  }

  function retryAfterSeconds(response) {
    // Readable cross-origin only if the server exposes it; then absent.
    const value = response.headers.get('retry-after');
    if (!value) {
      return null;
    }
    if (/^\d+$/.test(value.trim())) {
      return Math.max(1, parseInt(value, 10));
    }
    const date = Date.parse(value);
    return Number.isNaN(date) ? null : Math.max(1, Math.ceil((date - Date.now()) / 1000));
  }

  async function request(method, path, body) {
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = controller ? window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS) : 0;
    try {
      let response;
      try {
        response = await fetch(config.api + path, {
          method,
          headers: body === undefined ? { Accept: 'application/json' }
            : { Accept: 'application/json', 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          credentials: 'omit',
          cache: 'no-store',
          signal: controller ? controller.signal : undefined,
        });
      } catch (e) {
        throw new ApiError(0, 'network', null, null);
      }
      let json = null;
      try {
        json = await response.json();
      } catch (e) {
        json = null;
      }
      if (!response.ok) {
        throw new ApiError(response.status, json && typeof json.error === 'string' ? json.error : null,
          json && typeof json.message === 'string' ? json.message : null, retryAfterSeconds(response));
      }
      if (!json || typeof json !== 'object') {
        throw new ApiError(response.status, 'bad_response', null, null);
      }
      return json;
    } finally {
      window.clearTimeout(timer);
    }
  }

  function conversationPath(id, rest) {
    return `/api/v1/conversations/${encodeURIComponent(id)}${rest || ''}`;
  }

  /** The error in words for the citizen: the server's own message when it sent one. */
  function describeError(error) {
    const T = t();
    if (!error || !error.status) {
      return T.network;
    }
    // the server's own message is English; the citizen reads the widget's language
    const parts = [T.statusText[error.status] || (error.status >= 500 ? T.serverError : T.genericError)];
    if ((error.status === 429 || error.status === 503) && error.retryAfter) {
      parts.push(T.retryIn(error.retryAfter));
    }
    return parts.join(' ');
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Conversation lifecycle
  // ---------------------------------------------------------------------------------------------------------------

  /** First open: restore the tab's conversation, or start one; on failure offer a retry. */
  function initConversation() {
    const storedId = storageGet(KEY_CONVERSATION);
    ensureConversation().catch((error) => {
      const T = t();
      showError(`${storedId ? T.restoreFailed : T.startFailed} ${describeError(error)}`, () => {
        initConversation();
      });
    });
  }

  /** The id of the conversation, restoring or starting it first when needed. */
  function ensureConversation() {
    if (state.conversationId) {
      return Promise.resolve(state.conversationId);
    }
    if (!state.conversationPromise) {
      state.conversationPromise = (async () => {
        const storedId = storageGet(KEY_CONVERSATION);
        if (storedId && await restoreConversation(storedId)) {
          return storedId;
        }
        return startConversation();
      })().finally(() => {
        state.conversationPromise = null;
      });
    }
    return state.conversationPromise;
  }

  async function startConversation() {
    showTyping();
    let data;
    try {
      data = await request('POST', '/api/v1/conversations', {
        channel: 'web',
        lang: state.lang,
        tenant: config.tenant,
        visitor: visitorId(),
      });
    } finally {
      hideTyping();
    }
    if (typeof data.id !== 'string' || !data.id) {
      throw new ApiError(200, 'bad_response', null, null);
    }
    state.conversationId = data.id;
    storageSet(KEY_CONVERSATION, data.id);
    renderReply(data, true);
    connectSocket();
    return data.id;
  }

  /** Renders the stored transcript; false when the server no longer knows the conversation (404). */
  async function restoreConversation(id) {
    let data;
    try {
      data = await request('GET', conversationPath(id));
    } catch (error) {
      if (error.status === 404) {
        storageRemove(KEY_CONVERSATION);
        return false;
      }
      throw error;
    }
    applyLang(data.lang);
    const messages = Array.isArray(data.messages) ? data.messages : [];
    // Only the last message's suggestions and feedback question are still current.
    let lastBot = -1;
    messages.forEach((m, i) => {
      if (m && m.from === 'bot') {
        lastBot = i;
      }
    });
    const interactiveFrom = lastBot === messages.length - 1 ? lastBot : messages.length;
    messages.forEach((m, i) => {
      if (!m || typeof m !== 'object') {
        return;
      }
      if (m.from === 'citizen') {
        appendCitizen(typeof m.text === 'string' ? m.text : '', state.lang);
      } else if (m.from === 'bot') {
        const left = messages.slice(i + 1).some((later) => later && later.leftMessage === true);
        renderReply({ outcome: m.outcome, lang: state.lang, replies: m.replies, action: left ? null : m.action },
          i >= interactiveFrom || (m.action === 'leave_message' && !left && i === lastBot));
      } else if (m.from === 'agent') {
        renderAgent(m);
      }
    });
    state.conversationId = id;
    state.agent = typeof data.agent === 'string' && data.agent ? data.agent : null;
    setForPerson(data.owner === 'queue' || data.owner === 'agent');
    ui.subtitle.textContent = state.agent ? t().withAgent(state.agent) : t().subtitle;
    scrollToBottom();
    connectSocket();
    return true;
  }

  /** Forgets a conversation the server no longer knows. */
  function forgetConversation() {
    state.conversationId = null;
    storageRemove(KEY_CONVERSATION);
    closeSocket();
  }

  /**
   * Sends a citizen message: shown at once, typing indicator until the reply, no second message meanwhile.
   * On failure the text goes back into the input so nothing is lost.
   */
  /** Once the citizen has written again, the earlier answers' suggestions and feedback questions are spent. */
  function retireChoices() {
    ui.log.querySelectorAll('.civicbot-suggestions, .civicbot-feedback').forEach((group) => {
      if (!group.contains(document.activeElement)) {
        group.remove();
      }
    });
  }

  async function sendText(raw, fromInput) {
    const text = String(raw || '').trim();
    if (!text || state.busy) {
      return;
    }
    setBusy(true);
    const citizen = appendCitizen(text, state.lang);
    if (fromInput) {
      ui.input.value = '';
      autosize();
      updateCounter();
    }
    scrollToBottom();
    showTyping();
    try {
      const id = await ensureConversation();
      const data = await request('POST', conversationPath(id, '/messages'), { text });
      hideTyping();
      const lang = applyLang(data.lang);
      citizen.msg.setAttribute('lang', lang); // the language the citizen turned out to write in
      retireChoices();
      if (Array.isArray(data.removed) && data.removed.includes('cpr') && typeof data.stored === 'string') {
        // the server removed a CPR number before storing the message: the screen shows what was kept
        citizen.msg.querySelector('.civicbot-text').textContent = data.stored;
        appendNotice(t(lang).cprRemoved, lang);
      }
      renderReply(data, true);
      if (data.outcome === 'handoff' || data.outcome === 'agent') {
        setForPerson(true);
      }
    } catch (error) {
      hideTyping();
      citizen.entry.remove();
      restoreInput(text);
      const T = t();
      if (error && error.status === 404) {
        showError(T.expired);
        forgetConversation();
        ensureConversation().catch((e) => showError(`${T.startFailed} ${describeError(e)}`, () => initConversation()));
      } else {
        showError(`${T.notSent} ${describeError(error)} ${T.kept}`);
      }
    } finally {
      setBusy(false);
    }
  }

  function restoreInput(text) {
    const current = ui.input.value;
    if (current.trim() === text) {
      return;
    }
    ui.input.value = (current.trim() ? `${text}\n${current}` : text).slice(0, MAX_LENGTH);
    autosize();
    updateCounter();
  }

  async function sendFeedback(event, group, resolved, lang) {
    if (group.getAttribute('data-pending') === 'true') {
      return;
    }
    group.setAttribute('data-pending', 'true');
    const buttons = Array.prototype.slice.call(group.querySelectorAll('button'));
    buttons.forEach((b) => b.setAttribute('aria-disabled', 'true'));
    showTyping();
    try {
      const id = await ensureConversation();
      const data = await request('POST', conversationPath(id, '/feedback'), { resolved });
      hideTyping();
      const hadFocus = group.contains(document.activeElement);
      // Replace the question and buttons with a short thank-you.
      while (group.firstChild) {
        group.removeChild(group.firstChild);
      }
      group.removeAttribute('role');
      group.removeAttribute('aria-labelledby');
      group.removeAttribute('data-pending');
      group.appendChild(el('p', { className: 'civicbot-feedback-thanks', text: t(lang).thanks }));
      applyLang(data.lang);
      renderReply(data, true);
      if (hadFocus) {
        refocusInput(event);
      }
    } catch (error) {
      hideTyping();
      group.removeAttribute('data-pending');
      buttons.forEach((b) => b.removeAttribute('aria-disabled'));
      if (error && error.status === 404) {
        forgetConversation();
      }
      showError(`${t().feedbackNotSent} ${describeError(error)}`);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rendering the log
  // ---------------------------------------------------------------------------------------------------------------

  /** Appends an entry (author line + message) to the log, above the typing indicator if it is showing. */
  function appendEntry(entry) {
    if (ui.typing && ui.typing.parentNode === ui.log) {
      ui.log.insertBefore(entry, ui.typing);
    } else {
      ui.log.appendChild(entry);
    }
  }

  function appendCitizen(text, lang) {
    const msg = el('div', { className: 'civicbot-msg civicbot-msg-citizen', lang }, [
      el('p', { className: 'civicbot-text', text }),
    ]);
    // The author as hidden text outside the message, so the message holds the citizen's words only.
    const entry = el('div', { className: 'civicbot-entry civicbot-entry-citizen' }, [srOnly(t().you), msg]);
    appendEntry(entry);
    return { entry, msg };
  }

  /** Renders the replies of a bot answer: one message each, the author named once. */
  function renderReply(data, interactive) {
    const replies = Array.isArray(data.replies) ? data.replies : [];
    const lang = normaliseLang(data.lang, state.lang);
    const outcome = typeof data.outcome === 'string' && data.outcome ? data.outcome : 'answered';
    let first = null;
    replies.forEach((reply, i) => {
      if (!reply || typeof reply !== 'object') {
        return;
      }
      const msg = buildBotMessage(reply, outcome, lang, interactive);
      const entry = el('div', { className: 'civicbot-entry civicbot-entry-bot' }, [
        i === 0 ? el('p', { className: 'civicbot-author', text: t().bot }) : null,
        msg,
      ]);
      appendEntry(entry);
      first = first || entry;
    });
    if (data.action === 'leave_message') {
      state.offHours = true;
    }
    if (interactive && data.action === 'leave_message') {
      appendEntry(leaveMessageForm(lang));
    }
    if (first) {
      scrollToEntry(first);
    }
  }

  /**
   * Nobody is in: a form for a message and a way to be contacted (e-mail, phone, or both; a call if wanted). The
   * message joins the conversation in the queue; the contact details go to the person who answers it.
   */
  function leaveMessageForm(lang) {
    const T = t(lang);
    const uid = nextId('civicbot-leave');
    const error = el('p', { id: `${uid}-error`, className: 'civicbot-leave-error', role: 'alert', hidden: true });
    const text = el('textarea', { id: `${uid}-text`, className: 'civicbot-leave-text', rows: '3', required: true,
      maxlength: String(MAX_LENGTH), lang });
    const email = el('input', { id: `${uid}-email`, className: 'civicbot-leave-email', type: 'email',
      autocomplete: 'email', maxlength: '254', 'aria-describedby': `${uid}-hint` });
    const phone = el('input', { id: `${uid}-phone`, className: 'civicbot-leave-phone', type: 'tel',
      autocomplete: 'tel', maxlength: '30', 'aria-describedby': `${uid}-hint` });
    const callBack = el('input', { id: `${uid}-call`, className: 'civicbot-leave-call', type: 'checkbox' });
    const send = el('button', { type: 'submit', className: 'civicbot-leave-send', text: T.leaveSend });
    const form = el('form', { className: 'civicbot-leave', novalidate: true, 'aria-labelledby': `${uid}-title` }, [
      el('p', { id: `${uid}-title`, className: 'civicbot-leave-title', text: T.leaveMessage }),
      el('label', { for: `${uid}-text`, text: T.leaveMessageText }), text,
      el('label', { for: `${uid}-email`, text: T.leaveEmail }), email,
      el('label', { for: `${uid}-phone`, text: T.leavePhone }), phone,
      el('div', { className: 'civicbot-leave-check' }, [callBack,
        el('label', { for: `${uid}-call`, text: T.leaveCallBack })]),
      el('p', { id: `${uid}-hint`, className: 'civicbot-leave-hint', text: T.leaveHint }),
      error, send,
    ]);
    const entry = el('div', { className: 'civicbot-entry civicbot-entry-leave' }, [form]);
    function problem(message, field) {
      error.textContent = message;
      error.hidden = false;
      [text, email, phone].forEach((f) => f.removeAttribute('aria-invalid'));
      if (field) {
        field.setAttribute('aria-invalid', 'true');
        field.focus();
      }
    }
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!text.value.trim()) {
        problem(T.leaveNeedText, text);
        return;
      }
      if (!email.value.trim() && !phone.value.trim()) {
        problem(T.leaveNeedContact, email);
        return;
      }
      send.disabled = true;
      try {
        const saved = await request('POST', conversationPath(state.conversationId, '/contact'), {
          text: text.value, email: email.value.trim() || null, phone: phone.value.trim() || null,
          callBack: callBack.checked,
        });
        appendCitizen(typeof saved.stored === 'string' && saved.stored ? saved.stored : text.value.trim(), lang);
        if (Array.isArray(saved.removed) && saved.removed.includes('cpr')) {
          appendNotice(T.cprRemoved, lang);
        }
        const thanks = el('div', { className: 'civicbot-msg civicbot-msg-ended', role: 'status', lang }, [
          el('p', { className: 'civicbot-text', text: T.leaveSaved }),
        ]);
        entry.remove();
        appendEntry(el('div', { className: 'civicbot-entry civicbot-entry-ended' }, [thanks]));
        ui.input.focus();
        scrollToBottom();
      } catch (e) {
        send.disabled = false;
        problem(`${T.leaveNotSent} ${describeError(e)}`, null);
      }
    });
    return entry;
  }

  function buildBotMessage(reply, outcome, lang, interactive) {
    const T = t(lang);
    const msg = el('div', { className: 'civicbot-msg civicbot-msg-bot', 'data-outcome': outcome, lang });
    if (typeof reply.leadHtml === 'string' && reply.leadHtml.trim()) {
      // a long guide: the part that answers the question first, the whole guide folded behind it
      msg.appendChild(messageBody({ html: reply.leadHtml }, lang, 'civicbot-lead'));
      const whole = el('details', { className: 'civicbot-whole' }, [
        el('summary', { className: 'civicbot-whole-summary', text: T.wholeGuide }),
        messageBody(reply, lang),
      ]);
      msg.appendChild(whole);
    } else {
      msg.appendChild(messageBody(reply, lang));
    }

    const sources = Array.isArray(reply.sources) ? reply.sources.filter((s) => s && (s.title || s.url)) : [];
    if (sources.length) {
      const line = el('p', { className: 'civicbot-sources' }, [
        el('span', { className: 'civicbot-sources-label', text: `${T.source(sources.length)} ` }),
      ]);
      sources.forEach((source, i) => {
        if (i > 0) {
          line.appendChild(document.createTextNode(', '));
        }
        const title = String(source.title || source.url || source.slug || '');
        const url = httpUrl(source.url);
        if (url) {
          line.appendChild(el('a', {
            className: 'civicbot-source',
            href: url,
            target: '_blank',
            rel: 'noopener noreferrer',
            text: title,
          }, [srOnly(` ${T.newTab}`)]));
        } else {
          line.appendChild(el('span', { className: 'civicbot-source-text', text: title }));
        }
      });
      msg.appendChild(line);
    }

    // "talk to a person" is the footer's button: not a second one among the suggestions
    const personLabels = [TEXTS.da.person, TEXTS.en.person].map((p) => p.toLowerCase());
    const suggestions = Array.isArray(reply.suggestions)
      ? reply.suggestions.filter((s) => typeof s === 'string' && s.trim()
        && !personLabels.includes(s.trim().toLowerCase())) : [];
    if (interactive && suggestions.length) {
      // after an answer they are related questions to go on with; otherwise the options of a question
      const label = outcome === 'answered' ? T.related : T.suggestions;
      const group = el('div', { className: 'civicbot-suggestions', role: 'group', 'aria-label': label });
      if (outcome === 'answered') {
        group.appendChild(el('p', { className: 'civicbot-suggestions-label', text: label }));
      }
      suggestions.forEach((suggestion) => {
        const button = el('button', { type: 'button', className: 'civicbot-suggestion', text: suggestion });
        button.addEventListener('click', (event) => {
          if (state.busy) {
            return;
          }
          group.remove(); // used up: the chosen text now appears as the citizen's message
          sendText(suggestion, false);
          refocusInput(event);
        });
        group.appendChild(button);
      });
      msg.appendChild(group);
    }

    if (interactive && reply.askFeedback === true) {
      const questionId = nextId('civicbot-feedback-question');
      const group = el('div', { className: 'civicbot-feedback', role: 'group', 'aria-labelledby': questionId });
      const yes = el('button', { type: 'button', className: 'civicbot-feedback-yes', text: T.yes });
      const no = el('button', { type: 'button', className: 'civicbot-feedback-no', text: T.no });
      yes.addEventListener('click', (event) => sendFeedback(event, group, true, lang));
      no.addEventListener('click', (event) => sendFeedback(event, group, false, lang));
      group.appendChild(el('p', { id: questionId, className: 'civicbot-feedback-question', text: T.feedbackQuestion }));
      group.appendChild(el('div', { className: 'civicbot-feedback-buttons' }, [yes, no]));
      msg.appendChild(group);
    }
    return msg;
  }

  /** The message's sanitized HTML from the server; without it, its text as plain text. */
  function messageBody(message, lang, extraClass) {
    const body = el('div', { className: extraClass ? `civicbot-text ${extraClass}` : 'civicbot-text' });
    if (typeof message.html === 'string' && message.html.trim()) {
      body.appendChild(sanitizedFragment(message.html));
      prepareLinks(body, lang);
    } else if (typeof message.text === 'string') {
      body.appendChild(el('p', { className: 'civicbot-plain', text: message.text }));
    }
    return body;
  }

  /**
   * Parses the server's HTML (already sanitized there) in an inert template, and as a second line of defence
   * drops active elements, event-handler and style attributes and script URLs before it reaches the page.
   */
  function sanitizedFragment(html) {
    const template = document.createElement('template');
    template.innerHTML = html;
    const content = template.content;
    content.querySelectorAll('script,style,iframe,frame,object,embed,link,meta,base,form,input,button,textarea,'
      + 'select,img,svg,math,video,audio,source').forEach((node) => node.remove());
    content.querySelectorAll('*').forEach((node) => {
      Array.prototype.slice.call(node.attributes).forEach((attr) => {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on') || name === 'style' || name === 'srcdoc'
          || ((name === 'href' || name === 'src' || name === 'action' || name === 'formaction')
            && /^\s*(javascript|data|vbscript):/i.test(attr.value))) {
          node.removeAttribute(attr.name);
        }
      });
    });
    return document.importNode(content, true);
  }

  /** Web links in an answer open in a new tab (said so to screen readers); other schemes lose their href. */
  function prepareLinks(container, lang) {
    container.querySelectorAll('a').forEach((link) => {
      const href = link.getAttribute('href') || '';
      if (httpUrl(href)) {
        link.setAttribute('target', '_blank');
        link.setAttribute('rel', 'noopener noreferrer');
        link.appendChild(srOnly(` ${t(lang).newTab}`));
      } else if (!/^(mailto|tel):/i.test(href.trim())) {
        link.removeAttribute('href');
      }
    });
  }

  /** A staff member's message (pushed over the WebSocket or from the transcript); once per seq. */
  const seenAgentSeqs = new Set();

  function renderAgent(message) {
    const seq = typeof message.seq === 'number' ? message.seq : null;
    if (seq !== null) {
      if (seenAgentSeqs.has(seq)) {
        return;
      }
      seenAgentSeqs.add(seq);
    }
    const msg = el('div', { className: 'civicbot-msg civicbot-msg-agent', lang: state.lang },
      [messageBody(message, state.lang)]);
    const entry = el('div', { className: 'civicbot-entry civicbot-entry-agent' }, [
      el('p', { className: 'civicbot-author',
        text: typeof message.agent === 'string' && message.agent ? message.agent : t().agent }),
      msg,
    ]);
    appendEntry(entry);
    scrollToEntry(entry);
    if (ui.panel.hidden) {
      setUnread(true);
      ui.announcer.textContent = '';
      window.setTimeout(() => {
        ui.announcer.textContent = t().unreadAnnouncement;
      }, 100);
    }
  }

  /** An error note in the log, announced at once; optionally with a retry button. */
  /** A short notice in the log (a CPR number removed, pasted text cut), read out by screen readers. */
  function appendNotice(text, lang) {
    const note = el('div', { className: 'civicbot-msg civicbot-msg-notice', role: 'status', lang: lang || state.lang },
      [el('p', { className: 'civicbot-text', text })]);
    appendEntry(el('div', { className: 'civicbot-entry civicbot-entry-notice' }, [note]));
  }

  function showError(text, retry) {
    const note = el('div', { className: 'civicbot-msg civicbot-msg-error', role: 'alert', lang: state.lang }, [
      el('p', { className: 'civicbot-text', text: text.replace(/\s+/g, ' ').trim() }),
    ]);
    if (retry) {
      const button = el('button', { type: 'button', className: 'civicbot-retry', text: t().retry });
      button.addEventListener('click', (event) => {
        entry.remove();
        retry();
        refocusInput(event);
      });
      note.appendChild(button);
    }
    const entry = el('div', { className: 'civicbot-entry civicbot-entry-error' }, [note]);
    appendEntry(entry);
    scrollToBottom();
  }

  function showTyping() {
    state.typing += 1;
    if (ui.typing) {
      return;
    }
    ui.typingText = el('span', { className: 'civicbot-typing-text', text: t().typing });
    ui.typing = el('div', { className: 'civicbot-typing' }, [
      el('span', { className: 'civicbot-dots', 'aria-hidden': 'true' }, [el('span'), el('span'), el('span')]),
      ui.typingText,
    ]);
    ui.log.appendChild(ui.typing);
    scrollToBottom();
  }

  function hideTyping() {
    state.typing = Math.max(0, state.typing - 1);
    if (state.typing === 0 && ui.typing) {
      ui.typing.remove();
      ui.typing = null;
      ui.typingText = null;
    }
  }

  function scrollToBottom() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  /** Shows a new entry: at the bottom, or from its start when it is taller than the log (a long answer). */
  function scrollToEntry(entry) {
    const fromTop = entry.offsetTop - 8;
    if (ui.log.scrollHeight - fromTop > ui.log.clientHeight) {
      ui.log.scrollTop = fromTop;
    } else {
      scrollToBottom();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // WebSocket: a person's replies after a handoff
  // ---------------------------------------------------------------------------------------------------------------

  const socket = { ws: null, id: null, attempts: 0, timer: 0, ping: 0, subscribedBefore: false };

  function socketUrl(id) {
    const base = new URL(config.api);
    base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${base.href.replace(/\/+$/, '')}${conversationPath(id, '/events')}`;
  }

  function connectSocket() {
    const id = state.conversationId;
    if (!id || typeof WebSocket !== 'function' || (socket.id === id && (socket.ws || socket.timer))) {
      return;
    }
    closeSocket();
    socket.id = id;
    socket.attempts = 0;
    socket.subscribedBefore = false;
    openSocket();
  }

  function openSocket() {
    window.clearTimeout(socket.timer);
    socket.timer = 0;
    if (!socket.id) {
      return;
    }
    let ws;
    try {
      ws = new WebSocket(socketUrl(socket.id));
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket.ws = ws;
    ws.addEventListener('message', (event) => {
      if (ws === socket.ws) {
        onSocketMessage(event.data);
      }
    });
    ws.addEventListener('close', (event) => {
      if (ws !== socket.ws) {
        return; // closed on purpose, or replaced
      }
      socket.ws = null;
      window.clearInterval(socket.ping);
      if (event.code !== 4404) { // 4404: the server does not know the conversation; retrying will not help
        scheduleReconnect();
      }
    });
  }

  /** Exponential backoff with jitter: about 1 s, 2 s, 4 s … up to 30 s; waits for the network when offline. */
  function scheduleReconnect() {
    if (!socket.id || socket.id !== state.conversationId || socket.timer) {
      return;
    }
    if (navigator.onLine === false) {
      return; // the 'online' listener reconnects
    }
    const delay = Math.min(30000, 1000 * Math.pow(2, socket.attempts)) * (0.5 + Math.random() / 2);
    socket.attempts += 1;
    socket.timer = window.setTimeout(openSocket, delay);
  }

  window.addEventListener('online', () => {
    if (socket.id && !socket.ws) {
      socket.attempts = 0;
      openSocket();
    }
  });

  function closeSocket() {
    const ws = socket.ws;
    socket.ws = null;
    socket.id = null;
    window.clearTimeout(socket.timer);
    socket.timer = 0;
    window.clearInterval(socket.ping);
    if (ws) {
      try {
        ws.close(1000);
      } catch (e) {
        // already closed
      }
    }
  }

  function onSocketMessage(raw) {
    let data;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      return;
    }
    if (!data || typeof data !== 'object') {
      return;
    }
    if (data.type === 'subscribed') {
      socket.attempts = 0;
      window.clearInterval(socket.ping);
      // A ping now and then keeps proxies from closing an idle socket; the server answers with a pong.
      socket.ping = window.setInterval(() => {
        if (socket.ws && socket.ws.readyState === 1) {
          socket.ws.send('ping');
        }
      }, PING_INTERVAL_MS);
      if (socket.subscribedBefore) {
        catchUp(); // something may have been pushed while the socket was down
      }
      socket.subscribedBefore = true;
    } else if (data.type === 'message' && data.from === 'agent') {
      hideAgentTyping();
      renderAgent(data);
    } else if (data.type === 'resync') {
      catchUp(); // the server may have missed pushes for a moment: read what was said meanwhile
    } else if (data.type === 'typing' && data.from === 'agent') {
      showAgentTyping(typeof data.agent === 'string' && data.agent ? data.agent : t().agent);
    } else if (data.type === 'claimed' || data.type === 'released' || data.type === 'closed') {
      ownerChanged(data);
    }
  }

  /** "Mette is typing …" while the person writes (a few seconds after each notice). */
  function showAgentTyping(name) {
    window.clearTimeout(state.agentTypingTimer);
    if (!ui.agentTyping) {
      ui.agentTyping = el('div', { className: 'civicbot-typing civicbot-agent-typing' }, [
        el('span', { className: 'civicbot-dots', 'aria-hidden': 'true' }, [el('span'), el('span'), el('span')]),
        el('span', { className: 'civicbot-typing-text', text: t().agentTyping(name) }),
      ]);
      ui.log.appendChild(ui.agentTyping);
      scrollToBottom();
    }
    state.agentTypingTimer = window.setTimeout(hideAgentTyping, 6000);
  }

  function hideAgentTyping() {
    window.clearTimeout(state.agentTypingTimer);
    if (ui.agentTyping) {
      ui.agentTyping.remove();
      ui.agentTyping = null;
    }
  }

  /** The citizen writes to a person: the agent's inbox shows it, one notice every few seconds at most. */
  function citizenTyping() {
    if (!state.agent || !state.conversationId || Date.now() - (state.typedAt || 0) < 4000) {
      return;
    }
    state.typedAt = Date.now();
    request('POST', conversationPath(state.conversationId, '/typing'), {}).catch(() => {
      // only a hint for the person
    });
  }

  /** A person took the conversation, gave it back to the bot, or closed it: the header and a note say so. */
  const seenChangeSeqs = new Set();

  function ownerChanged(data) {
    if (typeof data.seq === 'number') {
      if (seenChangeSeqs.has(data.seq)) {
        return;
      }
      seenChangeSeqs.add(data.seq);
    }
    const name = typeof data.agent === 'string' && data.agent ? data.agent : t().agent;
    if (data.type === 'claimed') {
      state.agent = name;
      setForPerson(true);
      appendNote(t().joined(name));
    } else if (data.type === 'released') {
      state.agent = null;
      setForPerson(false);
      appendNote(t().left(name));
    } else {
      setForPerson(false);
      state.agent = null;
      closeSocket();
      storageRemove(KEY_CONVERSATION);
      const closedId = state.conversationId;
      state.conversationId = null;
      appendNote(t().closedBy(name));
      offerTranscript(closedId);
    }
    ui.subtitle.textContent = state.agent ? t().withAgent(state.agent) : t().subtitle;
  }

  /** After a reconnect: staff messages from the transcript that were not seen yet. */
  function catchUp() {
    const id = state.conversationId;
    if (!id) {
      return;
    }
    request('GET', conversationPath(id)).then((data) => {
      if (id !== state.conversationId || !Array.isArray(data.messages)) {
        return;
      }
      data.messages.forEach((m) => {
        if (m && m.from === 'agent') {
          renderAgent(m);
        }
      });
      // who answers may have changed meanwhile
      const holder = data.owner === 'agent' && typeof data.agent === 'string' ? data.agent : null;
      if (holder && holder !== state.agent) {
        ownerChanged({ type: 'claimed', agent: holder });
      } else if (!holder && state.agent && data.owner === 'bot') {
        ownerChanged({ type: 'released', agent: state.agent });
      }
    }).catch(() => {
      // not important enough to bother the citizen; the next reconnect tries again
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Start
  // ---------------------------------------------------------------------------------------------------------------

  function start() {
    if (document.getElementById('civicbot-widget')) {
      return;
    }
    build();
    const stored = storageGet(KEY_OPEN);
    const openNow = stored === null ? config.openAtLoad : stored === 'true';
    if (openNow && stored === null && SMALL_SCREEN && SMALL_SCREEN.matches) {
      // Opened by the page on a phone: a teaser, not a panel that covers the page the citizen came to read.
      if (storageGet(KEY_TEASER) !== 'hidden') {
        showTeaser();
      }
    } else if (openNow) {
      // Opened by the page, not by the citizen: do not move the focus away from the page.
      open({ focus: false });
    }
  }

  window.CivicBotWidget = Object.freeze({
    open() {
      if (ui.panel) {
        open({ focus: true });
      }
    },
    close() {
      if (ui.panel) {
        close({ focus: false });
      }
    },
  });

  if (document.body) {
    start();
  } else {
    document.addEventListener('DOMContentLoaded', start);
  }
})();

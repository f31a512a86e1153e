/*
 * BPO vs call center FAQ chat widget: one file, no framework.
 *
 * One script tag embeds it; it loads its styles (chat-widget.css) and the socket.io client
 * (vendor/socket.io.min.js) from where the script itself came from:
 *   <script src="https://faq.example.com/chat-widget.js" data-server-url="https://rasa.example.com"
 *           data-title="BPO & call center FAQ" data-language="en" defer></script>
 * Without data-container it is a launcher: a round button in the bottom-right corner that
 * opens the chat panel, drawn in a shadow root so that the host page's styles and the
 * widget's never meet. With data-container="#chat" the chat is drawn inside that element
 * (embedded mode). From a script: BpoFaqWidget.mount({serverUrl, title, language, container}).
 *
 * Safety: nothing from the server or the user is ever inserted as HTML. Text is built
 * from DOM nodes (textContent); the only formatting is **bold**, "- " / "1. " lists and
 * links whose URL is http(s). Everything else stays literal text.
 */
(function () {
  "use strict";

  var LANGUAGES = ["en", "sk", "id", "sv", "fi"];
  var UI = {
    en: { placeholder: "Ask about BPO or call centers…", send: "Send", sources: "Sources", title: "BPO & call center FAQ", log: "Conversation", offline: "Connecting…", open: "Open the chat", close: "Close the chat", unread: "New messages" },
    sk: { placeholder: "Opýtajte sa na BPO alebo call centrá…", send: "Odoslať", sources: "Zdroje", title: "BPO a call centrá – otázky", log: "Konverzácia", offline: "Pripájam sa…", open: "Otvoriť chat", close: "Zavrieť chat", unread: "Nové správy" },
    id: { placeholder: "Tanyakan tentang BPO atau call center…", send: "Kirim", sources: "Sumber", title: "Tanya jawab BPO & call center", log: "Percakapan", offline: "Menghubungkan…", open: "Buka obrolan", close: "Tutup obrolan", unread: "Pesan baru" },
    sv: { placeholder: "Fråga om BPO eller callcenter…", send: "Skicka", sources: "Källor", title: "Frågor om BPO och callcenter", log: "Konversation", offline: "Ansluter…", open: "Öppna chatten", close: "Stäng chatten", unread: "Nya meddelanden" },
    fi: { placeholder: "Kysy BPO:sta tai puhelinkeskuksista…", send: "Lähetä", sources: "Lähteet", title: "BPO ja puhelinkeskukset – kysymyksiä", log: "Keskustelu", offline: "Yhdistetään…", open: "Avaa keskustelu", close: "Sulje keskustelu", unread: "Uusia viestejä" }
  };
  var STORAGE_PREFIX = "bpo-faq-widget:";
  var MAX_HISTORY = 200;
  var HOST_TAG = "bpo-faq-widget";
  var SVG = "http://www.w3.org/2000/svg";

  // Styles and the socket.io client come from the widget's own origin, not the host page's.
  var SCRIPT = document.currentScript;
  var BASE = (SCRIPT && SCRIPT.src) || window.location.href;
  var STYLESHEET = new URL("chat-widget.css", BASE).href;
  var SOCKET_IO = new URL("vendor/socket.io.min.js", BASE).href;

  function pickLanguage(requested) {
    var candidates = [requested].concat(navigator.languages || [navigator.language || "en"]);
    for (var i = 0; i < candidates.length; i++) {
      var code = String(candidates[i] || "").slice(0, 2).toLowerCase();
      if (LANGUAGES.indexOf(code) >= 0) return code;
    }
    return "en";
  }

  function randomSessionId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(raw) {
    try {
      var url = new URL(raw, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // Inline formatting: **bold**, [label](http...) and bare http(s) URLs; the rest is text.
  function appendInline(parent, text) {
    var pattern = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>"]+)/g;
    var last = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1] !== undefined) {
        parent.appendChild(el("strong", null, match[1]));
      } else {
        var label = match[2] !== undefined ? match[2] : match[4];
        var href = safeUrl(match[3] !== undefined ? match[3] : match[4]);
        if (href) {
          var link = el("a", null, label);
          link.href = href;
          link.target = "_blank";
          link.rel = "noopener noreferrer nofollow";
          parent.appendChild(link);
        } else {
          parent.appendChild(document.createTextNode(match[0]));
        }
      }
      last = pattern.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // Paragraphs and simple lists; every piece goes through appendInline.
  function renderText(text) {
    var container = el("div", "bfw-text");
    String(text).split(/\n{2,}/).forEach(function (block) {
      var lines = block.split("\n");
      var bullets = lines.every(function (l) { return /^\s*[-*•]\s+/.test(l); });
      var numbers = lines.every(function (l) { return /^\s*\d+[.)]\s+/.test(l); });
      if ((bullets || numbers) && lines.length > 0) {
        var list = el(numbers ? "ol" : "ul");
        lines.forEach(function (line) {
          var item = el("li");
          appendInline(item, line.replace(/^\s*([-*•]|\d+[.)])\s+/, ""));
          list.appendChild(item);
        });
        container.appendChild(list);
      } else {
        var paragraph = el("p");
        lines.forEach(function (line, i) {
          if (i > 0) paragraph.appendChild(el("br"));
          appendInline(paragraph, line);
        });
        container.appendChild(paragraph);
      }
    });
    return container;
  }

  function renderTable(table) {
    var wrapper = el("div", "bfw-table-wrap");
    var node = el("table", "bfw-table");
    var head = el("thead"), headRow = el("tr");
    (table.columns || []).forEach(function (c) { var th = el("th", null, c); th.scope = "col"; headRow.appendChild(th); });
    head.appendChild(headRow);
    node.appendChild(head);
    var body = el("tbody");
    (table.rows || []).forEach(function (row) {
      var tr = el("tr");
      (row || []).forEach(function (cell, i) {
        var td = el(i === 0 ? "th" : "td");
        if (i === 0) td.scope = "row";
        appendInline(td, String(cell));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    node.appendChild(body);
    wrapper.appendChild(node);
    return wrapper;
  }

  // The label comes from the message's own short line ("Zdroje: ..."), so it is in the
  // answer's language; the page's language is the fallback.
  function renderSources(sources, line, ui) {
    var box = el("div", "bfw-sources");
    var label = typeof line === "string" && line.indexOf(":") > 0 ? line.slice(0, line.indexOf(":")) : ui.sources;
    box.appendChild(el("span", "bfw-sources-label", label + ": "));
    var list = el("ul");
    sources.forEach(function (source) {
      var item = el("li", null, source.title + (source.language ? " (" + String(source.language).toUpperCase() + ")" : ""));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function stylesheet() {
    var link = el("link");
    link.rel = "stylesheet";
    link.href = STYLESHEET;
    return link;
  }

  function icon(className, path) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", className);
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var shape = document.createElementNS(SVG, "path");
    shape.setAttribute("d", path);
    svg.appendChild(shape);
    return svg;
  }

  // socket.io is loaded once, when the first widget connects. A host page's own socket.io
  // v3/v4 client (protocol 5) is reused; any other `io` the page has is put back.
  var socketIo = null;
  function loadSocketIo() {
    if (socketIo) return socketIo;
    socketIo = new Promise(function (resolve, reject) {
      if (typeof window.io === "function" && window.io.protocol === 5) return resolve(window.io);
      var previous = window.io;
      var tag = document.createElement("script");
      tag.src = SOCKET_IO;
      tag.async = true;
      tag.onload = function () {
        var ours = window.io;
        if (previous !== undefined) window.io = previous;
        if (typeof ours === "function") resolve(ours);
        else reject(new Error("no socket.io client in " + SOCKET_IO));
      };
      tag.onerror = function () { socketIo = null; reject(new Error("could not load " + SOCKET_IO)); };
      document.head.appendChild(tag);
    });
    return socketIo;
  }

  function Widget(options) {
    this.serverUrl = options.serverUrl || "http://127.0.0.1:5005";
    this.language = pickLanguage(options.language);
    this.ui = UI[this.language];
    this.title = options.title || this.ui.title;
    this.storageKey = STORAGE_PREFIX + this.serverUrl;
    this.state = this.load();
    this.pending = [];
    this.launcher = !options.container;
    // The history is drawn before the log is in the page, so a reload announces nothing.
    this.build();
    this.replay();
    if (this.launcher) this.buildLauncher();
    else this.embed(options.container);
    // A launcher nobody has opened stays offline (and does not even load socket.io).
    if (!this.launcher || this.state.open || this.state.history.length) this.connect();
  }

  Widget.prototype.load = function () {
    try {
      var saved = JSON.parse(window.localStorage.getItem(this.storageKey) || "null");
      if (saved && typeof saved.sessionId === "string" && /^[0-9a-f]{32}$/.test(saved.sessionId) && Array.isArray(saved.history)) {
        var unread = Number(saved.unread);
        return { sessionId: saved.sessionId, history: saved.history, open: saved.open === true, unread: unread > 0 ? Math.floor(unread) : 0 };
      }
    } catch (e) { /* corrupt storage: start over */ }
    return { sessionId: randomSessionId(), history: [], open: false, unread: 0 };
  };

  Widget.prototype.save = function () {
    this.state.history = this.state.history.slice(-MAX_HISTORY);
    try { window.localStorage.setItem(this.storageKey, JSON.stringify(this.state)); } catch (e) { /* storage full or blocked */ }
  };

  Widget.prototype.build = function () {
    var root = this.root = el("section", "bfw");
    root.setAttribute("aria-label", this.title);
    this.header = el("div", "bfw-header");
    this.header.appendChild(el("h2", "bfw-title", this.title));
    root.appendChild(this.header);
    this.log = el("div", "bfw-log");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.log.setAttribute("aria-label", this.ui.log);
    this.log.tabIndex = 0;
    root.appendChild(this.log);
    this.status = el("p", "bfw-status", this.ui.offline);
    this.status.setAttribute("role", "status");
    root.appendChild(this.status);
    var form = el("form", "bfw-form");
    this.input = el("input", "bfw-input");
    this.input.type = "text";
    this.input.maxLength = 2000;
    this.input.autocomplete = "off";
    this.input.placeholder = this.ui.placeholder;
    this.input.setAttribute("aria-label", this.ui.placeholder);
    var send = el("button", "bfw-send", this.ui.send);
    send.type = "submit";
    form.appendChild(this.input);
    form.appendChild(send);
    var self = this;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text) return;
      self.input.value = "";
      self.send(text, text);
    });
    root.appendChild(form);
  };

  // Embedded mode: the chat in the page's own container, styled by chat-widget.css, whose
  // selectors all start with .bfw (nothing else on the page is touched).
  Widget.prototype.embed = function (container) {
    var loaded = Array.prototype.some.call(document.querySelectorAll("link[rel~=stylesheet]"), function (link) {
      return link.href === STYLESHEET;
    });
    if (!loaded) document.head.appendChild(stylesheet());
    container.appendChild(this.root);
  };

  // Launcher mode: a button and a panel in a shadow root at the end of <body>.
  Widget.prototype.buildLauncher = function () {
    var self = this;
    var host = document.createElement(HOST_TAG);
    var shadow = host.attachShadow({ mode: "open" });
    var link = stylesheet();
    var wrapper = this.wrapper = el("div", "bfw-root");
    wrapper.hidden = true; // until its styles are in: no flash of an unstyled widget
    link.addEventListener("load", function () { wrapper.hidden = false; });
    link.addEventListener("error", function () { wrapper.hidden = false; });
    shadow.appendChild(link);

    var button = this.button = el("button", "bfw-launcher");
    button.type = "button";
    button.setAttribute("aria-controls", "bfw-panel");
    button.appendChild(icon("bfw-icon-chat", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"));
    button.appendChild(icon("bfw-icon-close", "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4L12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z"));
    this.badge = el("span", "bfw-badge");
    this.badge.setAttribute("aria-hidden", "true");
    button.appendChild(this.badge);
    button.addEventListener("click", function () { self.setOpen(!self.state.open, true); });

    var close = el("button", "bfw-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", this.ui.close);
    close.addEventListener("click", function () { self.setOpen(false, true); });
    this.header.appendChild(close);
    this.root.id = "bfw-panel";
    this.root.className = "bfw bfw-panel";
    this.root.setAttribute("role", "dialog");

    // Unread messages are announced while the panel (and its live log) is closed.
    this.announcer = el("p", "bfw-visually-hidden");
    this.announcer.setAttribute("role", "status");

    wrapper.appendChild(button);
    wrapper.appendChild(this.root);
    wrapper.appendChild(this.announcer);
    shadow.appendChild(wrapper);
    shadow.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && self.state.open) {
        event.stopPropagation();
        self.setOpen(false, true);
      }
    });
    this.setOpen(this.state.open, false);
    document.body.appendChild(host);
  };

  // byUser: focus follows (into the input on open, back to the launcher on close); a
  // state restored on load takes no focus.
  Widget.prototype.setOpen = function (open, byUser) {
    this.state.open = open;
    if (open) this.state.unread = 0;
    this.save();
    this.root.hidden = !open;
    this.wrapper.classList.toggle("bfw-open", open);
    this.button.setAttribute("aria-expanded", String(open));
    this.showUnread();
    if (open) {
      this.announcer.textContent = "";
      this.connect();
      this.log.scrollTop = this.log.scrollHeight;
    }
    if (byUser) (open ? this.input : this.button).focus();
  };

  Widget.prototype.showUnread = function () {
    var count = this.state.unread;
    this.badge.textContent = count > 9 ? "9+" : String(count);
    this.badge.hidden = !count;
    this.button.setAttribute("aria-label", (this.state.open ? this.ui.close : this.ui.open) + (count ? " (" + this.ui.unread + ": " + count + ")" : ""));
  };

  Widget.prototype.replay = function () {
    var self = this;
    this.state.history.forEach(function (entry) { self.render(entry, true); });
  };

  Widget.prototype.connect = function () {
    if (this.connecting) return;
    this.connecting = true;
    var self = this;
    loadSocketIo().then(function (io) {
      // WebSocket only: no cross-origin HTTP polling, so only the server's origin check applies.
      var socket = self.socket = io(self.serverUrl, { transports: ["websocket"] });
      socket.on("connect", function () {
        socket.emit("session_request", { session_id: self.state.sessionId });
      });
      // Messages wait for the session: the server refuses them from a socket that has not joined.
      socket.on("session_confirm", function () {
        self.joined = true;
        self.status.textContent = "";
        self.status.hidden = true;
        self.pending.splice(0).forEach(function (payload) { self.emit(payload); });
      });
      socket.on("disconnect", function () {
        self.joined = false;
        self.status.hidden = false;
        self.status.textContent = self.ui.offline;
      });
      socket.on("bot_uttered", function (message) { self.receive(message); });
    }, function (error) {
      self.connecting = false;
      if (window.console) window.console.error("BPO FAQ widget:", error.message);
    });
  };

  Widget.prototype.emit = function (payload) {
    this.socket.emit("user_uttered", { message: payload, session_id: this.state.sessionId });
  };

  Widget.prototype.send = function (shown, payload) {
    this.add({ from: "user", text: shown });
    if (this.joined) this.emit(payload);
    else this.pending.push(payload);
  };

  Widget.prototype.receive = function (message) {
    if (!message || typeof message !== "object") return;
    if (this.launcher && !this.state.open) {
      this.state.unread += 1;
      this.showUnread();
      this.announcer.textContent = this.ui.unread + ": " + this.state.unread;
    }
    this.add({
      from: "bot",
      text: typeof message.text === "string" ? message.text : "",
      buttons: Array.isArray(message.buttons) ? message.buttons : (Array.isArray(message.quick_replies) ? message.quick_replies : []),
      custom: message.custom && typeof message.custom === "object" ? message.custom : null
    });
  };
  Widget.prototype.add = function (entry) {
    this.state.history.push(entry);
    this.save();
    this.render(entry, false);
  };

  Widget.prototype.render = function (entry, replayed) {
    var bubble = el("div", "bfw-msg bfw-" + (entry.from === "user" ? "user" : "bot"));
    var custom = entry.custom || {};
    var hasSources = Array.isArray(custom.sources) && custom.sources.length > 0;
    // A message carrying a sources payload shows the full citation instead of its short line.
    var hasTable = custom.table && typeof custom.table === "object";
    // With a table, the text is its plain fallback: only its first line (the intro) is shown.
    var text = hasTable && entry.text ? String(entry.text).split("\n")[0] : entry.text;
    if (text && !hasSources) bubble.appendChild(renderText(text));
    if (hasTable) bubble.appendChild(renderTable(custom.table));
    if (hasSources) bubble.appendChild(renderSources(custom.sources, entry.text, this.ui));
    if (entry.buttons && entry.buttons.length) {
      var group = el("div", "bfw-buttons");
      group.setAttribute("role", "group");
      var self = this;
      entry.buttons.forEach(function (button) {
        var node = el("button", "bfw-button", button.title);
        node.type = "button";
        node.disabled = replayed;
        node.addEventListener("click", function () { self.send(String(button.title), String(button.payload)); });
        group.appendChild(node);
      });
      bubble.appendChild(group);
    }
    if (!bubble.childNodes.length) return;
    this.log.appendChild(bubble);
    this.log.scrollTop = this.log.scrollHeight;
  };

  window.BpoFaqWidget = {
    mount: function (options) { return new Widget(options || {}); },
    _renderText: renderText
  };

  // One script tag: <script src=".../chat-widget.js" data-server-url="..." [data-container="#chat"]>.
  var data = SCRIPT && SCRIPT.dataset;
  if (data && data.serverUrl) {
    var start = function () {
      var container = data.container ? document.querySelector(data.container) : null;
      if (data.container && !container && window.console) {
        window.console.warn("BPO FAQ widget: no element matches " + data.container + "; showing the launcher");
      }
      window.BpoFaqWidget.mount({ serverUrl: data.serverUrl, title: data.title, language: data.language, container: container });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();

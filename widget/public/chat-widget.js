/*
 * BPO vs call center FAQ chat widget.
 *
 * Embed with one script tag (after socket.io.min.js):
 *   <script src="chat-widget.js" data-server-url="http://127.0.0.1:5005"
 *           data-title="BPO & call center FAQ" data-language="en"></script>
 * or call BpoFaqWidget.mount({serverUrl, title, language, container}).
 *
 * Safety: nothing from the server or the user is ever inserted as HTML. Text is built
 * from DOM nodes (textContent); the only formatting is **bold**, "- " / "1. " lists and
 * links whose URL is http(s). Everything else stays literal text.
 */
(function () {
  "use strict";

  var LANGUAGES = ["en", "sk", "id", "sv", "fi"];
  var UI = {
    en: { placeholder: "Ask about BPO or call centers…", send: "Send", sources: "Sources", title: "BPO & call center FAQ", log: "Conversation", offline: "Connecting…" },
    sk: { placeholder: "Opýtajte sa na BPO alebo call centrá…", send: "Odoslať", sources: "Zdroje", title: "BPO a call centrá – otázky", log: "Konverzácia", offline: "Pripájam sa…" },
    id: { placeholder: "Tanyakan tentang BPO atau call center…", send: "Kirim", sources: "Sumber", title: "Tanya jawab BPO & call center", log: "Percakapan", offline: "Menghubungkan…" },
    sv: { placeholder: "Fråga om BPO eller callcenter…", send: "Skicka", sources: "Källor", title: "Frågor om BPO och callcenter", log: "Konversation", offline: "Ansluter…" },
    fi: { placeholder: "Kysy BPO:sta tai puhelinkeskuksista…", send: "Lähetä", sources: "Lähteet", title: "BPO ja puhelinkeskukset – kysymyksiä", log: "Keskustelu", offline: "Yhdistetään…" }
  };
  var STORAGE_PREFIX = "bpo-faq-widget:";
  var MAX_HISTORY = 200;

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

  function Widget(options) {
    this.serverUrl = options.serverUrl || "http://127.0.0.1:5005";
    this.language = pickLanguage(options.language);
    this.ui = UI[this.language];
    this.title = options.title || this.ui.title;
    this.container = options.container || document.body;
    this.storageKey = STORAGE_PREFIX + this.serverUrl;
    this.state = this.load();
    this.build();
    this.replay();
    this.connect();
  }

  Widget.prototype.load = function () {
    try {
      var saved = JSON.parse(window.localStorage.getItem(this.storageKey) || "null");
      if (saved && typeof saved.sessionId === "string" && /^[0-9a-f]{32}$/.test(saved.sessionId) && Array.isArray(saved.history)) {
        return saved;
      }
    } catch (e) { /* corrupt storage: start over */ }
    return { sessionId: randomSessionId(), history: [] };
  };

  Widget.prototype.save = function () {
    this.state.history = this.state.history.slice(-MAX_HISTORY);
    try { window.localStorage.setItem(this.storageKey, JSON.stringify(this.state)); } catch (e) { /* storage full or blocked */ }
  };

  Widget.prototype.build = function () {
    var root = el("section", "bfw");
    root.setAttribute("aria-label", this.title);
    root.appendChild(el("h2", "bfw-title", this.title));
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
    this.container.appendChild(root);
  };

  Widget.prototype.replay = function () {
    var self = this;
    this.state.history.forEach(function (entry) { self.render(entry, true); });
  };

  Widget.prototype.connect = function () {
    var self = this;
    // WebSocket only: no cross-origin HTTP polling, so only the server's origin check applies.
    this.socket = window.io(this.serverUrl, { transports: ["websocket"] });
    this.socket.on("connect", function () {
      self.socket.emit("session_request", { session_id: self.state.sessionId });
    });
    this.socket.on("session_confirm", function () {
      self.status.textContent = "";
      self.status.hidden = true;
    });
    this.socket.on("disconnect", function () {
      self.status.hidden = false;
      self.status.textContent = self.ui.offline;
    });
    this.socket.on("bot_uttered", function (message) { self.receive(message); });
  };

  Widget.prototype.send = function (shown, payload) {
    this.add({ from: "user", text: shown });
    this.socket.emit("user_uttered", { message: payload, session_id: this.state.sessionId });
  };

  Widget.prototype.receive = function (message) {
    if (!message || typeof message !== "object") return;
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

  var script = document.currentScript;
  if (script && script.dataset && script.dataset.serverUrl) {
    var start = function () {
      window.BpoFaqWidget.mount({
        serverUrl: script.dataset.serverUrl,
        title: script.dataset.title,
        language: script.dataset.language
      });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();

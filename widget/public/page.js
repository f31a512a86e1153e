// The demo page's own script (a file, not inline: the page's Content-Security-Policy allows
// scripts from this origin only). The Rasa server's address comes from the page server
// (channels/widget_page.py), never from the page's URL, so a link cannot point the page
// at somebody else's server.
(function () {
  var intros = {
    en: "Ask the assistant anything about BPO (business process outsourcing) and call centers, in English, Slovak, Indonesian, Swedish or Finnish.",
    sk: "Opýtajte sa asistenta čokoľvek o BPO (outsourcingu obchodných procesov) a call centrách – po anglicky, slovensky, indonézsky, švédsky alebo fínsky.",
    id: "Tanyakan apa saja tentang BPO (alih daya proses bisnis) dan call center kepada asisten, dalam bahasa Inggris, Slovakia, Indonesia, Swedia, atau Finlandia.",
    sv: "Fråga assistenten vad som helst om BPO (outsourcing av affärsprocesser) och callcenter, på engelska, slovakiska, indonesiska, svenska eller finska.",
    fi: "Kysy avustajalta mitä tahansa BPO:sta (liiketoimintaprosessien ulkoistamisesta) ja call centereistä englanniksi, slovakiksi, indonesiaksi, ruotsiksi tai suomeksi."
  };
  var language = "en";
  var wanted = navigator.languages || [navigator.language || "en"];
  for (var i = 0; i < wanted.length; i++) {
    var code = String(wanted[i]).slice(0, 2).toLowerCase();
    if (intros[code]) { language = code; break; }
  }
  document.documentElement.lang = language;
  document.getElementById("intro").textContent = intros[language];
  var meta = document.querySelector('meta[name="bpo-faq-server"]');
  var serverUrl = (meta && meta.content) || "http://127.0.0.1:5005";
  window.BpoFaqWidget.mount({ serverUrl: serverUrl, language: language, container: document.getElementById("chat") });
})();

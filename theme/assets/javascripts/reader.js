/* cablesite reader helpers: the colour-scheme toggle, the menu button for keyboards, and on
   cable pages a "Copy link" and a "Cite" action per paragraph. No third-party code; the page
   reads fully without this script (the ¶ links are plain links). */
(function () {
  "use strict";

  var STORE = "cablesite.palette";

  /* Colour scheme: the toggle cycles through mkdocs.yml's palette entries and remembers the
     choice; until the reader chooses, the scheme follows the system setting. */
  function setUpPalette() {
    var button = document.querySelector("[data-cs-palette]");
    if (!button) return;
    var options = JSON.parse(button.getAttribute("data-cs-palette"));
    function current() {
      var scheme = document.body.getAttribute("data-md-color-scheme");
      for (var i = 0; i < options.length; i++) if (options[i].scheme === scheme) return i;
      return 0;
    }
    function apply(index) {
      var option = options[index];
      document.body.setAttribute("data-md-color-scheme", option.scheme);
      document.body.setAttribute("data-md-color-primary", option.primary);
      document.body.setAttribute("data-md-color-accent", option.accent);
      button.setAttribute("aria-label", option.name);
      button.setAttribute("title", option.name);
      var icons = button.querySelectorAll("[data-cs-palette-icon]");
      for (var k = 0; k < icons.length; k++) icons[k].hidden = +icons[k].getAttribute("data-cs-palette-icon") !== index;
    }
    apply(current());
    button.hidden = false;
    button.addEventListener("click", function () {
      var next = (current() + 1) % options.length;
      apply(next);
      try { localStorage.setItem(STORE, String(next)); } catch (e) { /* private mode: not remembered */ }
    });
    options.forEach(function (option, index) {
      if (!option.media || !window.matchMedia) return;
      var query = window.matchMedia(option.media);
      var follow = function () {
        var chosen = null;
        try { chosen = localStorage.getItem(STORE); } catch (e) { /* ignore */ }
        if (chosen === null && query.matches) apply(index);
      };
      if (query.addEventListener) query.addEventListener("change", follow);
    });
  }

  /* The menu button (a label for Material's drawer checkbox) opens the drawer on Enter and
     Space too, and says whether it is open. */
  function setUpDrawer() {
    var toggle = document.getElementById("__drawer");
    var buttons = document.querySelectorAll("[data-cs-drawer]");
    if (!toggle || !buttons.length) return;
    function update() {
      for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-expanded", String(toggle.checked));
    }
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        event.stopPropagation();  // Material's own Enter-on-a-label handler would toggle it back
        toggle.checked = !toggle.checked;
        toggle.dispatchEvent(new Event("change"));
        update();
        if (toggle.checked) {
          var first = document.querySelector(".md-sidebar--primary a, .md-sidebar--primary label[tabindex]");
          if (first) window.setTimeout(function () { first.focus(); }, 50);
        }
      });
    });
    toggle.addEventListener("change", update);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
        update();
        buttons[0].focus();
      }
    });
    update();
  }

  /* Copying: the Clipboard API where the page may use it (HTTPS, localhost), else a selected
     text area and execCommand, which also works on plain HTTP. */
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  function pageAddress() {
    var canonical = document.querySelector('link[rel="canonical"]');
    if (canonical && canonical.href) return canonical.href.split("#")[0];
    return location.href.split("#")[0];
  }

  /* A citation a journalist can paste: post, subject, cable id, date, paragraph and address. */
  function citation(article, label, url) {
    var parts = [];
    var origin = article.getAttribute("data-origin");
    var subject = article.getAttribute("data-subject");
    var date = article.getAttribute("data-date");
    if (origin) parts.push(origin);
    if (subject) parts.push("\u201c" + subject + "\u201d");
    parts.push("cable " + article.getAttribute("data-cable-id") + (date ? ", " + date : ", undated"));
    parts.push(label);
    return parts.join(", ") + ". " + url;
  }

  function setUpParagraphActions() {
    var article = document.querySelector("article.cable[data-cable-id]");
    if (!article) return;
    var status = document.createElement("p");
    status.className = "cable-copied";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    document.body.appendChild(status);
    var pars = article.querySelectorAll(".cable-par[id]");
    Array.prototype.forEach.call(pars, function (par) {
      var number = par.querySelector(".cable-num");
      var label = number ? "paragraph " + number.textContent.replace(/\.$/, "") : "passage " + par.id;
      var box = document.createElement("span");
      box.className = "cable-actions";
      box.appendChild(action("Copy link", "Copy the link to " + label, function () {
        return pageAddress() + "#" + par.id;
      }, "Link to " + label + " copied"));
      box.appendChild(action("Cite", "Copy a citation of " + label, function () {
        return citation(article, label, pageAddress() + "#" + par.id);
      }, "Citation of " + label + " copied"));
      par.appendChild(box);
    });

    function action(text, name, value, done) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cable-action";
      button.textContent = text;
      button.setAttribute("aria-label", name);
      button.addEventListener("click", function () {
        var copied = value();
        copy(copied).then(function (ok) {
          status.textContent = ok ? done + ": " + copied : "Copy this: " + copied;
          status.classList.add("cable-copied--shown");
          window.clearTimeout(status._timer);
          status._timer = window.setTimeout(function () { status.classList.remove("cable-copied--shown"); }, ok ? 4000 : 15000);
        });
      });
      return button;
    }
  }

  /* The home page's search form goes to search.html; where the header's search box is on the
     page, the query is handed to it instead, and its results panel opens in place. */
  function setUpHomeSearch() {
    var form = document.querySelector("[data-cs-home-search]");
    var box = document.querySelector(".cs-search__input");
    if (!form || !box) return;
    form.addEventListener("submit", function (event) {
      var query = form.querySelector("input[name=q]").value.trim();
      if (!query) { event.preventDefault(); return; }
      event.preventDefault();
      box.value = query;
      box.focus();
      box.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function start() {
    setUpHomeSearch();
    setUpPalette();
    setUpDrawer();
    setUpParagraphActions();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

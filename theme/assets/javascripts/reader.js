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

  /* The menu button: the header's label for Material's drawer checkbox (which works without
     JavaScript, for a mouse) becomes a button, which the keyboard reaches and screen readers
     announce, and which says whether the drawer is open. */
  function setUpDrawer() {
    var toggle = document.getElementById("__drawer");
    var labels = document.querySelectorAll("label[data-cs-drawer]");
    if (!toggle || !labels.length) return;
    var buttons = Array.prototype.map.call(labels, function (label) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = label.className + " cs-drawer-button";
      button.setAttribute("aria-label", "Navigation menu");
      button.setAttribute("data-cs-drawer", "");
      while (label.firstChild) button.appendChild(label.firstChild);
      label.parentNode.replaceChild(button, label);
      button.addEventListener("click", function () {
        toggle.checked = !toggle.checked;
        toggle.dispatchEvent(new Event("change"));
        update();
        if (toggle.checked) {
          var first = document.querySelector(".md-sidebar--primary a, .md-sidebar--primary label[tabindex]");
          if (first) window.setTimeout(function () { first.focus(); }, 50);
        }
      });
      return button;
    });
    function update() {
      for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute("aria-expanded", String(toggle.checked));
    }
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
      box.appendChild(action("Copy link", "Copy link to " + label, function () {
        return pageAddress() + "#" + par.id;
      }, "Link to " + label + " copied"));
      box.appendChild(action("Cite", "Cite " + label, function () {
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

  /* The home page's search form is a plain GET form to search.html?q=... (relative, so it works
     under a sub-path and without JavaScript), where the search page runs the query from the URL
     and keeps it linkable. Here only: the query is sent trimmed, and an empty one stays put. */
  function setUpHomeSearch() {
    var form = document.querySelector("[data-cs-home-search]");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    form.addEventListener("submit", function (event) {
      input.value = input.value.trim();
      if (!input.value) { event.preventDefault(); input.focus(); }
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
